package com.nurture.workflows.journey;

import com.nurture.workflows.activities.SendOutcome;
import com.nurture.workflows.activities.SendRequest;
import com.nurture.workflows.program.Program;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The journey core on a virtual clock: what a lead's journey would do, in milliseconds. Scripted
 * events arrive at their times; sends and program loads are answered by {@link Answers}; the clock
 * jumps from one thing to the next. The workflow shell feeds the same core the same inputs, so the
 * preview tells the same story (the parity test holds it to that).
 */
public final class JourneyPreview {
  /** How the preview answers the effects the core waits on. */
  public interface Answers {
    /** @throws SendFailed when the send cannot succeed (an unknown template, say) */
    SendOutcome send(SendRequest request, Instant at);

    Optional<Program> load(String programId);
  }

  /** A send the preview's answers refuse for good. */
  public static final class SendFailed extends RuntimeException {
    public SendFailed(String reason) {
      super(reason);
    }
  }

  /**
   * What happened: every timeline entry in order, the effects besides them (alerts, hand-offs,
   * suppressions), and where the journey stood at the end (or at the horizon).
   */
  public record Outcome(List<Effect.Note> timeline, List<Effect> effects, JourneyView end, boolean ended) {
    /** The score after each scored event: (when, event id, total). */
    public List<Map<String, Object>> scores() {
      return timeline.stream().filter(n -> n.kind().equals("scored"))
          .map(n -> Map.<String, Object>of("at", n.at(), "event_id", n.detail().get("event_id"),
              "total", n.detail().get("total")))
          .toList();
    }

    /** When the lead was handed to sales, if it was. */
    public Optional<Instant> handedOffAt() {
      return timeline.stream().filter(n -> n.kind().equals("handed_off")).map(Effect.Note::at).findFirst();
    }
  }

  private JourneyPreview() {}

  /**
   * Runs the journey from {@code start} until it ends or the clock passes {@code horizon}.
   *
   * @param journeyKey what the workflow would use as the journey key (its first run id)
   */
  public static Outcome run(JourneyInput input, String journeyKey, Instant start, Instant horizon,
      List<LeadEvent> script, Answers answers) {
    Journey journey = Journey.of(input);
    List<Effect.Note> timeline = new ArrayList<>();
    List<Effect> effects = new ArrayList<>();
    List<LeadEvent> due = new ArrayList<>(script);
    due.sort(Comparator.comparing(LeadEvent::occurredAt));
    Instant now = start;
    Recorder recorder = new Recorder(timeline, effects);
    recorder.take(journey.begin(journeyKey, now));
    List<LeadEvent> carried = journey.carriedEvents();
    List<TrackOffer> carriedOffers = journey.carriedOffers();
    for (LeadEvent e : carried) {
      recorder.take(journey.react(e, now));
    }
    for (TrackOffer o : carriedOffers) {
      recorder.take(journey.consider(o, now));
    }
    while (true) {
      while (!due.isEmpty() && !due.get(0).occurredAt().isAfter(now)) {
        LeadEvent e = due.remove(0);
        if (journey.admit(e)) {
          recorder.take(journey.react(e, now));
        }
      }
      Effect.Block block = answer(journey, recorder.take(journey.settle(now)), recorder, answers, now);
      if (block == null) {
        block = answer(journey, recorder.take(journey.next(now)), recorder, answers, now);
      }
      if (block instanceof Effect.End) {
        return new Outcome(timeline, effects, journey.view(now), true);
      }
      if (block instanceof Effect.Sleep sleep) {
        Optional<Instant> next = sleep.until();
        if (!due.isEmpty() && (next.isEmpty() || due.get(0).occurredAt().isBefore(next.get()))) {
          next = Optional.of(due.get(0).occurredAt());
        }
        if (next.isEmpty() || next.get().isAfter(horizon)) {
          return new Outcome(timeline, effects, journey.view(horizon), false);
        }
        now = next.get().isAfter(now) ? next.get() : now;
      }
    }
  }

  /** Answers sends and loads at once, as the shell does; returns a sleep or the end, if the turn ended in one. */
  private static Effect.Block answer(Journey journey, List<Effect> effects, Recorder recorder, Answers answers,
      Instant now) {
    Effect.Block block = null;
    for (Effect effect : effects) {
      if (effect instanceof Effect.Send send) {
        List<Effect> answered;
        try {
          answered = journey.sent(answers.send(send.request(), now), now);
        } catch (SendFailed e) {
          answered = journey.sendFailed(true, e.getMessage(), now);
        }
        block = answer(journey, recorder.take(answered), recorder, answers, now);
      } else if (effect instanceof Effect.LoadProgram load) {
        block = answer(journey, recorder.take(journey.loaded(answers.load(load.programId()), now)), recorder,
            answers, now);
      } else if (effect instanceof Effect.Sleep || effect instanceof Effect.End) {
        block = (Effect.Block) effect;
      }
    }
    return block;
  }

  /** Keeps the timeline and the other effects as they come. */
  private record Recorder(List<Effect.Note> timeline, List<Effect> effects) {
    List<Effect> take(List<Effect> batch) {
      for (Effect e : batch) {
        if (e instanceof Effect.RecordTransitions r) {
          timeline.addAll(r.notes());
        } else if (!(e instanceof Effect.Block)) {
          effects.add(e);
        }
      }
      return batch;
    }
  }
}
