package com.nurture.workflows.journey;

import com.nurture.workflows.activities.SendOutcome;
import com.nurture.workflows.condition.ConditionContext;
import com.nurture.workflows.journey.Effect.Note;
import com.nurture.workflows.program.Program;
import com.nurture.workflows.program.SendStep;
import com.nurture.workflows.scoring.Score;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The journey core: one lead's nurture as a pure state machine. Each call takes one input (an
 * event, an offer, an operator command, sales feedback, a send outcome, a loaded program, or just
 * the time) with the time it happens, changes the state, and returns the {@link Effect}s the world
 * must carry out, in order. No Temporal, clock, randomness or I/O: the workflow shell and the
 * preview drive the same core, so they tell the same story.
 *
 * <p>The rules live in classes named for their concern: {@link StepInterpreter},
 * {@link EventReactions}, {@link Graduation}, {@link SalesLoop}, {@link TrackSwitching},
 * {@link JourneyClocks}. This class holds what they share and the entry points.
 */
public final class Journey {
  final String leadId;
  Program program;
  final JourneyState s;
  Instant now = Instant.EPOCH;
  private final List<Note> notes = new ArrayList<>();
  private final List<Effect> out = new ArrayList<>();
  /** What the core waits for (a send's outcome, a loaded program) and what to do with it. */
  Pending pending;
  /** A migration requested by an operator, applied at the next step boundary. */
  private Program migration;
  /** Sales rejected the lead: at the next turn it moves to the after-rejection track. */
  boolean rejected;

  /** What a {@link Effect.Block} the core is waiting on will continue with. */
  sealed interface Pending {
    record Sending(SendStep step, com.nurture.workflows.activities.SendRequest request) implements Pending {}
    record Loading(String programId, java.util.function.BiConsumer<Journey, Optional<Program>> then) implements Pending {}
  }

  public Journey(String leadId, Program program, JourneyState state) {
    this.leadId = leadId;
    this.program = program;
    this.s = state;
  }

  public static Journey of(JourneyInput input) {
    return new Journey(input.leadId(), input.program(), input.state() == null ? JourneyState.fresh() : input.state());
  }

  public Program program() {
    return program;
  }

  public JourneyState state() {
    return s;
  }

  // ---- entry points -------------------------------------------------------------------------

  /** The journey starts (or a new run continues): on the first run, enrolment and the fast track. */
  public List<Effect> begin(String journeyKey, Instant at) {
    now = at;
    if (s.journeyKey == null) {
      s.journeyKey = journeyKey;
      s.enrolledAt = now;
      if (s.scoring != null) {
        s.fitPoints = s.scoring.fit(conditionContext());
      }
      note("enrolled", detail("program", program.ref(), "score", s.scoring == null ? null : score().total(),
          "fit", s.scoring == null ? null : s.fitPoints, "quadrant", s.quadrant,
          "assigned_by", s.quadrant == null ? null : "fit x engagement matrix"));
      if (s.confirmWithin != null) {
        Consent.requestConfirmation(this);
      } else {
        Graduation.fastTrack(this);
      }
    }
    return take();
  }

  /** Events and offers received by an earlier run but not processed before it continued as new. */
  public List<LeadEvent> carriedEvents() {
    List<LeadEvent> events = List.copyOf(s.pendingEvents);
    s.pendingEvents.clear();
    return events;
  }

  public List<TrackOffer> carriedOffers() {
    List<TrackOffer> offers = List.copyOf(s.pendingOffers);
    s.pendingOffers.clear();
    return offers;
  }

  /** @return false when the event was seen before: it must be ignored */
  public boolean admit(LeadEvent event) {
    return s.markSeenRecent(event.id());
  }

  public boolean admit(TrackOffer offer) {
    return s.markSeenRecent("offer/" + offer.id());
  }

  /** An admitted event, in arrival order. */
  public List<Effect> react(LeadEvent event, Instant at) {
    now = at;
    EventReactions.react(this, event);
    return take();
  }

  /** An admitted offer of a triggered program. */
  public List<Effect> consider(TrackOffer offer, Instant at) {
    now = at;
    TrackSwitching.consider(this, offer);
    return take();
  }

  public Optional<String> commandRejection(JourneyCommand command) {
    if (command == null || command.kind() == null) {
      return Optional.of("a command needs a kind: PAUSE, RESUME or EXIT");
    }
    return JourneyRules.rejection(s.status, command.kind());
  }

  /** Pause, resume or exit by an operator (validated by {@link #commandRejection}). */
  public List<Effect> command(JourneyCommand command, Instant at) {
    now = at;
    Map<String, Object> d = detail("reason", command.reason(), "actor", command.actor());
    switch (command.kind()) {
      case PAUSE -> {
        s.hold(JourneyStatus.PAUSED, now);
        note("paused", d);
      }
      case RESUME -> {
        s.release(now);
        note("resumed", d);
      }
      case EXIT -> {
        s.end(JourneyStatus.COMPLETED, command.reason().isEmpty() ? "exited by operator" : command.reason());
        note("exited", d);
      }
    }
    return take();
  }

  public Optional<String> migrationRejection(Program to) {
    return JourneyRules.migrationRejection(s.status, program, s.stepIndex, to);
  }

  /** Moves to another version of the program at the next step boundary ({@link #settle}). */
  public void requestMigration(Program to) {
    migration = to;
  }

  public boolean migrationPending() {
    return migration != null;
  }

  public Optional<String> feedbackRejection(SalesFeedback feedback, Instant at) {
    return JourneyRules.feedbackRejection(s.status, feedback, at);
  }

  public List<Effect> salesFeedback(SalesFeedback feedback, Instant at) {
    now = at;
    SalesLoop.feedback(this, feedback);
    return take();
  }

  /**
   * After the inputs of a turn: a requested migration, the move after a sales rejection, and the
   * timeline written. May end with a {@link Effect.LoadProgram}.
   */
  public List<Effect> settle(Instant at) {
    now = at;
    applyMigration();
    if (rejected && pending == null) {
      rejected = false;
      TrackSwitching.afterRejection(this);
    }
    flush();
    return take();
  }

  /**
   * The journey goes as far as it can at {@code at}: runs steps until one must wait, send, load a
   * program, or the journey ends. The last effect is always a {@link Effect.Block}.
   */
  public List<Effect> next(Instant at) {
    now = at;
    StepInterpreter.advance(this);
    flush();
    return take();
  }

  /** The answer to {@link Effect.Send}. */
  public List<Effect> sent(SendOutcome outcome, Instant at) {
    now = at;
    Pending.Sending sending = (Pending.Sending) pending;
    pending = null;
    StepInterpreter.sent(this, sending.step(), sending.request(), outcome);
    flush();
    return take();
  }

  /**
   * The answer to {@link Effect.Send} when the send failed for good.
   *
   * @param permanent the send can never succeed (else: transient failures ran past the retry limit)
   */
  public List<Effect> sendFailed(boolean permanent, String error, Instant at) {
    now = at;
    Pending.Sending sending = (Pending.Sending) pending;
    pending = null;
    StepInterpreter.sendFailed(this, sending.step(), sending.request(), permanent, error);
    flush();
    return take();
  }

  /** The answer to {@link Effect.LoadProgram}. */
  public List<Effect> loaded(Optional<Program> loaded, Instant at) {
    now = at;
    Pending.Loading loading = (Pending.Loading) pending;
    pending = null;
    loading.then().accept(this, loaded);
    flush();
    return take();
  }

  /** Whether the core waits for nothing: the shell may continue as new. */
  public boolean atRest() {
    return pending == null && migration == null && !rejected && notes.isEmpty();
  }

  /** Carries events and offers not yet processed into the state, for the next run. */
  public JourneyInput continueAsNew(List<LeadEvent> events, List<TrackOffer> offers) {
    s.pendingEvents.addAll(events);
    s.pendingOffers.addAll(offers);
    return new JourneyInput(leadId, program, s);
  }

  public JourneyResult result() {
    return new JourneyResult(s.status, s.exitReason, s.emailsSent);
  }

  public JourneyView view(Instant at) {
    return new JourneyView(leadId, s.status, program.id(), program.version(), currentStepId(),
        Optional.ofNullable(s.waitUntil), Optional.ofNullable(s.exitReason), s.enrolledAt, s.emailsSent,
        List.copyOf(s.touches), score(at));
  }

  // ---- shared by the rule classes ------------------------------------------------------------

  void note(String kind, Map<String, Object> detail) {
    notes.add(new Note(kind, detail, now, s.transitionSeq++));
  }

  /** Writes the notes so far, with the journey as it is now. */
  void flush() {
    if (notes.isEmpty()) {
      return;
    }
    out.add(new Effect.RecordTransitions(List.copyOf(notes), new Effect.Snapshot(s.status, program.id(),
        program.version(), currentStepId(), Optional.ofNullable(s.waitUntil), s.enrolledAt, score().total())));
    notes.clear();
  }

  void emit(Effect effect) {
    out.add(effect);
  }

  /** Waits for the latest version of a program, then continues with {@code then}. */
  void load(String programId, java.util.function.BiConsumer<Journey, Optional<Program>> then) {
    flush();
    pending = new Pending.Loading(programId, then);
    out.add(new Effect.LoadProgram(programId));
  }

  private List<Effect> take() {
    List<Effect> effects = List.copyOf(out);
    out.clear();
    return effects;
  }

  Score score() {
    return score(now);
  }

  private Score score(Instant at) {
    return s.scoring == null ? Score.NONE : s.scoring.score(s.fitPoints, s.scored, at);
  }

  ConditionContext conditionContext() {
    return ConditionContext.of(s.attributes, score()::named, s.seen, now);
  }

  String currentStepId() {
    return s.stepIndex < program.steps().size() ? program.steps().get(s.stepIndex).id() : "";
  }

  /** Continues at the step with this id, or at the next step when the id is empty. */
  void jump(String stepId) {
    s.stepIndex = stepId.isEmpty() ? s.stepIndex + 1 : program.indexOf(stepId);
  }

  /** Runs {@code program} from its first step. */
  void switchTo(Program next) {
    program = next;
    s.stepIndex = 0;
    s.waitUntil = null;
  }

  private void applyMigration() {
    if (migration == null) {
      return;
    }
    Program to = migration;
    migration = null;
    Optional<String> refused = JourneyRules.migrationRejection(s.status, program, s.stepIndex, to);
    if (refused.isPresent()) {
      note("migration_refused", detail("to", to.ref(), "reason", refused.get()));
      return;
    }
    String step = currentStepId();
    note("migrated", detail("from", program.ref(), "to", to.ref(), "step", step));
    program = to;
    s.stepIndex = to.indexOf(step);
  }

  static Duration maxZero(Duration d) {
    return d.isNegative() ? Duration.ZERO : d;
  }

  static Map<String, Object> detail(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i + 1 < kv.length; i += 2) {
      if (kv[i + 1] != null) {
        m.put((String) kv[i], kv[i + 1]);
      }
    }
    return m;
  }

  static Map<String, Object> with(Map<String, Object> d, String key, Object value) {
    Map<String, Object> m = new LinkedHashMap<>(d);
    m.put(key, value);
    return m;
  }
}
