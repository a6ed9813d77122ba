package com.nurture.api.core;

import com.nurture.activities.mail.EmailRenderer;
import com.nurture.activities.mail.EmailTemplate;
import com.nurture.activities.mail.MailSettings;
import com.nurture.activities.mail.TemplateCatalog;
import com.nurture.workflows.activities.SendOutcome;
import com.nurture.workflows.activities.SendRequest;
import com.nurture.workflows.journey.Effect;
import com.nurture.workflows.journey.EventType;
import com.nurture.workflows.journey.JourneyInput;
import com.nurture.workflows.journey.JourneyPreview;
import com.nurture.workflows.journey.LeadEvent;
import com.nurture.workflows.program.Program;
import com.nurture.workflows.scoring.ScoringModel;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Preview: the journey core ({@link JourneyPreview}) for one imagined lead on a virtual clock, with
 * scripted events at offsets; returns the timeline the journey would write, the score after each
 * event and when the lead would be handed to sales. No Temporal: the same core the workflow runs,
 * answered by fakes. Nothing is sent or stored; subjects are rendered with the real templates.
 */
public final class Simulator {
  /** An event the script sends at {@code at} after the start. */
  public record ScriptedEvent(Duration at, EventType type, Map<String, Object> properties) {}

  public record Script(Map<String, Object> lead, Instant start, Duration horizon, List<ScriptedEvent> events) {}

  /** One line of the simulated timeline; {@code day} is days since the start. */
  public record Entry(Instant at, double day, String kind, Map<String, Object> detail) {}

  /** The score after a scored event. */
  public record ScoreAt(Instant at, double day, String eventId, int total) {}

  public record Result(String program, Instant start, String status, String reason, List<Entry> timeline,
      long elapsedMillis, List<ScoreAt> scores, Optional<Instant> handedOffAt) {}

  private final TemplateCatalog templates;
  private final EmailRenderer renderer;
  private final Function<String, Optional<Program>> catalog;
  private final Optional<ScoringModel> scoring;

  /** @param scoring the model journeys score with (the preview hands off as a journey would) */
  public Simulator(TemplateCatalog templates, MailSettings mail, Function<String, Optional<Program>> catalog,
      Optional<ScoringModel> scoring) {
    this.templates = templates;
    this.renderer = new EmailRenderer(mail);
    this.catalog = catalog;
    this.scoring = scoring;
  }

  public Result run(Program program, Script script) {
    long began = System.nanoTime();
    JourneyInput input = JourneyInput.enrol("simulation", script.lead(), program);
    scoring.ifPresent(input.state()::withScoring);
    List<LeadEvent> events = new ArrayList<>();
    List<Entry> timeline = new ArrayList<>();
    List<ScriptedEvent> ordered = script.events().stream().sorted(Comparator.comparing(ScriptedEvent::at)).toList();
    for (int n = 0; n < ordered.size(); n++) {
      ScriptedEvent e = ordered.get(n);
      Instant at = script.start().plus(e.at());
      events.add(new LeadEvent("simulated-" + n, e.type(), at, e.properties()));
      Map<String, Object> d = new LinkedHashMap<>();
      d.put("type", e.type().wireName());
      if (!e.properties().isEmpty()) {
        d.put("properties", e.properties());
      }
      timeline.add(entry(script.start(), at, "event", d));
    }
    JourneyPreview.Outcome outcome = JourneyPreview.run(input, "preview", script.start(),
        script.start().plus(script.horizon()), events, new Answers(script.lead()));
    for (Effect.Note n : outcome.timeline()) {
      timeline.add(entry(script.start(), n.at(), n.kind(), n.detail()));
    }
    timeline.sort(Comparator.comparing(Entry::at));
    List<ScoreAt> scores = outcome.timeline().stream().filter(n -> n.kind().equals("scored"))
        .map(n -> new ScoreAt(n.at(), day(script.start(), n.at()), String.valueOf(n.detail().get("event_id")),
            ((Number) n.detail().get("total")).intValue()))
        .toList();
    String status = outcome.ended() ? outcome.end().status().name()
        : outcome.end().status().name() + " (still running at the horizon)";
    return new Result(program.ref(), script.start(), status, outcome.end().exitReason().orElse(""), timeline,
        (System.nanoTime() - began) / 1_000_000, scores, outcome.handedOffAt());
  }

  private static Entry entry(Instant start, Instant at, String kind, Map<String, Object> detail) {
    return new Entry(at, day(start, at), kind, detail);
  }

  private static double day(Instant start, Instant at) {
    return Math.round(Duration.between(start, at).toMinutes() / 14.4) / 100.0;
  }

  /** A send renders its subject with the real template and reports SENT (or HELD_OUT); nothing leaves the JVM. */
  private final class Answers implements JourneyPreview.Answers {
    private final Map<String, Object> lead;

    Answers(Map<String, Object> lead) {
      this.lead = lead;
    }

    @Override
    public SendOutcome send(SendRequest r, Instant at) {
      EmailTemplate template = templates.forLead(r.template(), lead)
          .orElseThrow(() -> new JourneyPreview.SendFailed("template " + r.template() + " does not exist"));
      EmailTemplate chosen = r.subject().isEmpty() ? template
          : new EmailTemplate(template.id(), r.subject(), template.text(), template.html());
      String subject;
      try {
        subject = renderer.render(chosen, lead, "https://unsubscribe.invalid/preview").subject();
      } catch (RuntimeException e) {
        throw new JourneyPreview.SendFailed("template " + template.id() + " cannot be rendered: " + e.getMessage());
      }
      SendOutcome.Status status = r.heldOut() ? SendOutcome.Status.HELD_OUT : SendOutcome.Status.SENT;
      return new SendOutcome(status, "<preview>", subject, template.id(), at);
    }

    @Override
    public Optional<Program> load(String programId) {
      return catalog.apply(programId);
    }
  }
}
