package com.nurture.workflows.journey;

import com.nurture.workflows.activities.EmailActivities;
import com.nurture.workflows.activities.JourneyActivities;
import com.nurture.workflows.activities.JourneyTransition;
import com.nurture.workflows.activities.OperatorAlert;
import com.nurture.workflows.activities.SendOutcome;
import com.nurture.workflows.activities.SendRequest;
import com.nurture.workflows.activities.HandOff;
import com.nurture.workflows.activities.ProgramActivities;
import com.nurture.workflows.activities.SalesActivities;
import com.nurture.workflows.condition.ConditionContext;
import com.nurture.workflows.condition.SeenEvent;
import com.nurture.workflows.program.BranchStep;
import com.nurture.workflows.program.DurationText;
import com.nurture.workflows.program.EventMatch;
import com.nurture.workflows.program.ExitStep;
import com.nurture.workflows.program.GotoStep;
import com.nurture.workflows.program.HandoffStep;
import com.nurture.workflows.program.OnComplete;
import com.nurture.workflows.program.Variant;
import com.nurture.workflows.scoring.Score;
import com.nurture.workflows.scoring.ScoringModel;
import com.nurture.workflows.scoring.Tracks;
import com.nurture.workflows.program.WaitForStep;
import com.nurture.workflows.program.Program;
import com.nurture.workflows.program.SendStep;
import com.nurture.workflows.program.Step;
import com.nurture.workflows.program.WaitStep;
import io.temporal.activity.ActivityOptions;
import io.temporal.activity.LocalActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;

/**
 * The journey as runs started before the journey core ({@link Journey}) run it: their input has no
 * engine, and they must replay exactly, so this code changes only behind a change id. When such a
 * run continues as new, the next run is on the core (it carries the same state). Delete this class
 * once no run without the core engine is open (docs/evolution.md says how to check).
 *
 * <p>The interpreter loop: take the current step, run it, advance. Waits are
 * {@code Workflow.await(remaining, interrupted)} so an unsubscribe, a reply or an operator command
 * takes effect at once, mid-sleep. Handlers only change state and queue work; the loop does all
 * activity calls, so their order is the loop's order.
 */
final class LegacyJourney implements LeadJourneyWorkflow {
  private static final Logger log = Workflow.getLogger(LegacyJourney.class);

  private static final LocalActivityOptions LOCAL_WRITE = JourneyActivityOptions.LOCAL_WRITE;

  private static ActivityOptions untilDone(Duration startToClose, Duration initial, Duration maxInterval) {
    return JourneyActivityOptions.untilDone(startToClose, initial, maxInterval);
  }

  /**
   * SMTP can be down for a while: retry with backoff. Up to journeys.send_retry_limit (24 h by
   * default) for journeys with {@link ChangeIds#SEND_FAILURE_POLICY}, never giving up before it. A
   * permanent failure is not retried (the activity says so). The start-to-close leaves room for the
   * 60 s the activity waits on the SMTP server.
   */
  private EmailActivities email() {
    ActivityOptions options = untilDone(Duration.ofSeconds(90), Duration.ofSeconds(1), Duration.ofMinutes(10));
    if (sendFailurePolicy()) {
      options = ActivityOptions.newBuilder(options).setScheduleToCloseTimeout(s.sendRetryLimit).build();
    }
    return Workflow.newActivityStub(EmailActivities.class, options);
  }

  /** Marks a send the journey gave up on in the ledger. */
  private final EmailActivities ledger = Workflow.newLocalActivityStub(EmailActivities.class, LOCAL_WRITE);

  private final ProgramActivities catalog = Workflow.newActivityStub(ProgramActivities.class,
      untilDone(Duration.ofSeconds(10), Duration.ofSeconds(1), Duration.ofMinutes(1)));

  /** The program a lead sales said "not now" to enters when that time has come. */
  static final String RE_ENGAGEMENT = "dormant-re-engagement";

  /** The sales endpoint may be down for a while: retry the notification until it is delivered. */
  private final SalesActivities salesNotify = Workflow.newActivityStub(SalesActivities.class,
      untilDone(Duration.ofSeconds(30), Duration.ofSeconds(2), Duration.ofHours(1)));

  private final SalesActivities salesRecord = Workflow.newLocalActivityStub(SalesActivities.class, LOCAL_WRITE);

  private final List<Promise<Void>> notifications = new ArrayList<>();

  private final JourneyActivities journal = Workflow.newLocalActivityStub(JourneyActivities.class, LOCAL_WRITE);

  private final String leadId;
  private Program program;
  private final JourneyState s;
  private final Deque<LeadEvent> inbox = new ArrayDeque<>();
  private final Deque<TrackOffer> offers = new ArrayDeque<>();
  /** Sales outcomes to record (hand-off key, outcome), written by the loop. */
  private final List<String[]> outcomes = new ArrayList<>();
  /** A migration the loop applies at its next step boundary. */
  private Program migration;
  private final List<Note> notes = new ArrayList<>();

  /** A timeline entry made by a handler or the loop, written by the loop in order. */
  private record Note(String kind, Map<String, Object> detail, Instant at, long seq) {}

  LegacyJourney(JourneyInput input) {
    this.leadId = input.leadId();
    this.program = input.program();
    this.s = input.state() == null ? JourneyState.fresh() : input.state();
  }

  /** Carries on from {@code s}, which the constructor took; {@code input} is not read ({@link LeadJourneyWorkflowImpl#run}). */
  @Override
  public JourneyResult run(JourneyInput input) {
    if (s.journeyKey == null) {
      s.journeyKey = Workflow.getInfo().getRunId();
      s.enrolledAt = now();
      if (s.scoring != null) {
        s.fitPoints = s.scoring.fit(conditionContext());
      }
      note("enrolled", detail("program", program.ref(), "score", s.scoring == null ? null : score().total(),
          "fit", s.scoring == null ? null : s.fitPoints, "quadrant", s.quadrant,
          "assigned_by", s.quadrant == null ? null : "fit x engagement matrix"));
      log.info("lead {} enrolled in {}", leadId, program.ref());
      fastTrack();
    }
    // Events and offers that arrived during the previous run's last moments come first.
    inbox.addAll(s.pendingEvents);
    offers.addAll(s.pendingOffers);
    s.pendingEvents.clear();
    s.pendingOffers.clear();
    while (true) {
      drain();
      if (s.status.isTerminal()) {
        break;
      }
      if (historyIsLong()) {
        continueAsNew();
      }
      if (s.status != JourneyStatus.ACTIVE) {
        JourneyStatus held = s.status;
        java.util.function.Supplier<Boolean> woken = () -> !inbox.isEmpty() || !offers.isEmpty() || migration != null
            || !notes.isEmpty() || s.status != held;
        Optional<Instant> deadline = heldDeadline();
        if (deadline.isEmpty()) {
          Workflow.await(woken::get);
        } else if (!awaitUnlessWoken(maxZero(Duration.between(now(), deadline.get())), woken::get)) {
          heldDeadlinePassed();
        }
        continue;
      }
      if (s.stepIndex >= program.steps().size()) {
        complete();
        continue;
      }
      if (s.waitUntil == null && atStepBoundary()) {
        continue;
      }
      interpret(program.steps().get(s.stepIndex));
    }
    Workflow.await(Workflow::isEveryHandlerFinished);
    drain();
    // A hand-off notification still being retried is delivered before the journey ends.
    Promise.allOf(notifications).get();
    log.info("lead {} journey ended: {} ({})", leadId, s.status, s.exitReason);
    return new JourneyResult(s.status, s.exitReason, s.emailsSent);
  }

  @Override
  public void event(LeadEvent event) {
    if (s.markSeen(event.id())) {
      inbox.add(event);
    }
  }

  @Override
  public void offer(TrackOffer offer) {
    if (s.markSeen("offer/" + offer.id())) {
      offers.add(offer);
    }
  }

  @Override
  public void validateCommand(JourneyCommand command) {
    if (command == null || command.kind() == null) {
      throw new IllegalArgumentException("a command needs a kind: PAUSE, RESUME or EXIT");
    }
    JourneyRules.rejection(s.status, command.kind()).ifPresent(reason -> {
      throw new IllegalStateException(reason);
    });
  }

  @Override
  public JourneyView command(JourneyCommand command) {
    Map<String, Object> d = detail("reason", command.reason(), "actor", command.actor());
    switch (command.kind()) {
      case PAUSE -> {
        s.hold(JourneyStatus.PAUSED, now());
        note("paused", d);
      }
      case RESUME -> {
        s.release(now());
        note("resumed", d);
      }
      case EXIT -> {
        s.end(JourneyStatus.COMPLETED, command.reason().isEmpty() ? "exited by operator" : command.reason());
        note("exited", d);
      }
    }
    return view();
  }

  @Override
  public void validateMigrate(Program version) {
    JourneyRules.migrationRejection(s.status, program, s.stepIndex, version).ifPresent(reason -> {
      throw new IllegalStateException(reason);
    });
  }

  @Override
  public JourneyView migrate(Program version) {
    migration = version;
    Workflow.await(() -> migration == null);
    return view();
  }

  /** Applies a requested migration between steps: same step id, same pending wait. */
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
    log.info("lead {} migrated from {} to {} at step {}", leadId, program.ref(), to.ref(), step);
    program = to;
    s.stepIndex = to.indexOf(step);
  }

  @Override
  public JourneyView view() {
    return new JourneyView(leadId, s.status, program.id(), program.version(), currentStepId(),
        Optional.ofNullable(s.waitUntil), Optional.ofNullable(s.exitReason), s.enrolledAt, s.emailsSent,
        List.copyOf(s.touches), score());
  }

  private boolean historyIsLong() {
    WorkflowInfo info = Workflow.getInfo();
    return info.isContinueAsNewSuggested() || (s.historyLimit > 0 && info.getHistoryLength() >= s.historyLimit);
  }

  /**
   * Starts a fresh run with the whole state, at a step boundary: a pending wait keeps its end time
   * (so no timer is lost), and events or offers not yet processed travel in the state.
   */
  private void continueAsNew() {
    Workflow.await(Workflow::isEveryHandlerFinished);
    // Webhooks and owner emails still being retried would be abandoned with this run: deliver first.
    Promise.allOf(notifications).get();
    flushNotes();
    s.pendingEvents.addAll(inbox);
    s.pendingOffers.addAll(offers);
    log.info("lead {}: continuing as new after {} history events", leadId, Workflow.getInfo().getHistoryLength());
    // The next run is on the journey core: it takes the same state.
    s.engine = JourneyState.CORE_ENGINE;
    Workflow.continueAsNew(new JourneyInput(leadId, program, s));
  }

  /** Runs one step; moves {@code stepIndex} on unless the step was interrupted and must run again. */
  private void interpret(Step step) {
    if (step instanceof SendStep send) {
      if (deferredByPolicy(send)) {
        return;
      }
      if (send(send)) {
        s.stepIndex++;
      }
    } else if (step instanceof WaitStep wait) {
      if (waitOut(wait)) {
        s.stepIndex++;
      }
    } else if (step instanceof WaitForStep waitFor) {
      waitFor(waitFor);
    } else if (step instanceof BranchStep branch) {
      branch(branch);
    } else if (step instanceof HandoffStep handoff) {
      s.stepIndex++;
      handOff(List.of(handoff.reason()), "normal", handoff.id() + "/" + s.nextOccurrence(handoff.id()));
    } else if (step instanceof GotoStep go) {
      jump(go.target());
    } else if (step instanceof ExitStep exit) {
      s.end(exit.recycle() ? JourneyStatus.RECYCLED : JourneyStatus.COMPLETED, exit.reason());
      note(exit.recycle() ? "recycled" : "exited", detail("step", exit.id(), "reason", exit.reason()));
    }
  }

  /**
   * Holds a send until the program's send policy allows it (window in the lead's time zone, gap,
   * weekly cap across programs). @return true when the send must wait (the loop comes back)
   */
  private boolean deferredByPolicy(SendStep step) {
    Instant now = now();
    Instant allowed = program.sendPolicy().nextAllowed(now, s.leadZone(), s.sendTimes, !step.immediate());
    if (!allowed.isAfter(now)) {
      s.waitUntil = null;
      return false;
    }
    if (!allowed.equals(s.waitUntil)) {
      s.waitUntil = allowed;
      note("send_deferred", detail("step", step.id(), "until", allowed.toString(), "policy", program.sendPolicy().name()));
      flushNotes();
    }
    awaitUnlessWoken(Duration.between(now, allowed), this::hasWork);
    return true;
  }

  /** Continues at the step with this id, or at the next step when the id is empty. */
  private void jump(String stepId) {
    s.stepIndex = stepId.isEmpty() ? s.stepIndex + 1 : program.indexOf(stepId);
  }

  /** The program ran out of steps: do what its on_complete says. */
  private void complete() {
    OnComplete then = program.onComplete();
    switch (then.kind()) {
      case COMPLETE -> {
        s.end(JourneyStatus.COMPLETED, "program complete");
        note("completed", detail("program", program.ref()));
      }
      case RECYCLE -> {
        s.end(JourneyStatus.RECYCLED, "program complete; recycled for later re-engagement");
        note("recycled", detail("program", program.ref()));
      }
      case RESUME_PREVIOUS -> {
        if (!resumePrevious()) {
          s.end(JourneyStatus.COMPLETED, "program complete; no earlier program to resume");
          note("completed", detail("program", program.ref()));
        }
      }
      case START -> {
        Optional<Program> next = catalog.latestProgram(then.program());
        if (next.isEmpty()) {
          s.end(JourneyStatus.COMPLETED, "program complete; the program to start next, " + then.program() + ", does not exist");
          note("completed", detail("program", program.ref(), "missing_next", then.program()));
          journal.raiseAlert(new OperatorAlert(leadId, "missing_program", "on_complete names an unknown program: "
              + then.program(), detail("program", program.ref()), "missing_program/" + s.journeyKey + "/" + program.ref()));
          return;
        }
        note("switched", detail("from", program.ref(), "to", next.get().ref(), "reason", "on_complete"));
        program = next.get();
        s.stepIndex = 0;
        s.waitUntil = null;
      }
    }
  }

  private void branch(BranchStep branch) {
    ConditionContext context = conditionContext();
    String target = branch.otherwise();
    String taken = "else";
    for (int i = 0; i < branch.cases().size(); i++) {
      if (branch.cases().get(i).when().test(context)) {
        target = branch.cases().get(i).then();
        taken = "case " + (i + 1);
        break;
      }
    }
    note("branch", detail("step", branch.id(), "taken", taken, "to", target.isEmpty() ? "(next step)" : target));
    jump(target);
  }

  private void waitFor(WaitForStep w) {
    if (s.waitUntil == null) {
      s.waitUntil = now().plus(w.timeout());
      s.waitForFrom = s.seenCount;
      note("waiting_for", detail("step", w.id(), "mode", w.mode().name().toLowerCase(), "events",
          w.events().stream().map(m -> m.type().wireName()).toList(), "until", s.waitUntil.toString()));
      flushNotes();
    }
    if (waitForMet(w)) {
      s.waitUntil = null;
      note("wait_for_met", detail("step", w.id(), "to", w.onEvent().isEmpty() ? "(next step)" : w.onEvent()));
      jump(w.onEvent());
      return;
    }
    Duration left = Duration.between(now(), s.waitUntil);
    boolean ranOut;
    if (left.isNegative() || left.isZero()) {
      ranOut = true;
    } else if (leadIntelligence2()) {
      ranOut = awaitOrClock(left);
    } else {
      ranOut = !awaitUnlessWoken(left, this::hasWork);
    }
    if (ranOut) {
      s.waitUntil = null;
      note("wait_for_timeout", detail("step", w.id(), "to", w.onTimeout().isEmpty() ? "(next step)" : w.onTimeout()));
      jump(w.onTimeout());
    }
  }

  private boolean waitForMet(WaitForStep w) {
    List<SeenEvent> since = s.seen.stream().filter(e -> e.seq() >= s.waitForFrom).toList();
    java.util.function.Predicate<EventMatch> matched =
        m -> since.stream().anyMatch(e -> m.matches(e, s.stepOf(e)));
    return w.mode() == WaitForStep.Mode.ANY ? w.events().stream().anyMatch(matched) : w.events().stream().allMatch(matched);
  }

  /** The event, then each triggered program in the lead's audience (the API checked audiences before). */
  @Override
  public void deliver(EventDelivery delivery) {
    event(delivery.event());
    delivery.triggered().stream().filter(this::inAudience).forEach(p -> offer(delivery.offer(p)));
  }

  @Override
  public void deliverAll(EventDeliveries deliveries) {
    deliveries.deliveries().forEach(this::deliver);
  }

  private boolean inAudience(Program p) {
    return p.audience().map(a -> a.test(conditionContext())).orElse(true);
  }

  private ConditionContext conditionContext() {
    return ConditionContext.of(s.attributes, score()::named, s.seen, now());
  }

  /** @return true when the wait ran out; false when something interrupted it */
  private boolean waitOut(WaitStep wait) {
    if (s.waitUntil == null) {
      s.waitUntil = now().plus(wait.duration());
      note("waiting", detail("step", wait.id(), "duration", DurationText.format(wait.duration()),
          "until", s.waitUntil.toString()));
      flushNotes();
    }
    Duration left = Duration.between(now(), s.waitUntil);
    if (left.isNegative() || left.isZero()) {
      s.waitUntil = null;
      return true;
    }
    if (!awaitOrClock(left)) {
      return false;
    }
    s.waitUntil = null;
    return true;
  }

  /** A journey-level clock that runs during waits: when it is due, and what it does then. */
  private record Clock(Duration in, Runnable fire) {}

  /**
   * Waits up to {@code left} for work. A journey clock due sooner (the inactivity recycle, the
   * quiet-lead alert) fires instead. @return true when the whole wait ran out
   */
  private boolean awaitOrClock(Duration left) {
    Optional<Clock> clock = nextClock().filter(c -> c.in().compareTo(left) < 0);
    if (awaitUnlessWoken(clock.map(Clock::in).orElse(left), this::hasWork)) {
      return false;
    }
    if (clock.isPresent()) {
      clock.get().fire().run();
      return false;
    }
    return true;
  }

  private Optional<Clock> nextClock() {
    Optional<Clock> inactive = untilInactive().map(d -> new Clock(d, this::recycleInactive));
    Optional<Clock> quiet = untilQuietAlert().map(d -> new Clock(d, this::quietHighFitAlert));
    if (inactive.isPresent() && quiet.isPresent()) {
      return Optional.of(quiet.get().in().compareTo(inactive.get().in()) < 0 ? quiet.get() : inactive.get());
    }
    return inactive.isPresent() ? inactive : quiet;
  }

  /** The start of the current quiet period: the last engagement, or enrolment. */
  private Instant quietSince() {
    return s.lastEngagementAt != null ? s.lastEngagementAt : s.enrolledAt;
  }

  /** Time until a high-fit lead that has not engaged needs a person, when that alert applies and is not yet raised. */
  private Optional<Duration> untilQuietAlert() {
    if (s.scoring == null || !s.scoring.quietHighFit(s.fitPoints) || !leadIntelligence2()
        || quietSince().equals(s.quietAlertedFor)) {
      return Optional.empty();
    }
    return Optional.of(maxZero(Duration.between(now(), quietSince().plus(s.scoring.quietHighFit().after()))));
  }

  /** A lead that fits well has gone quiet: a person should look before nurture loses it. Once per quiet period. */
  private void quietHighFitAlert() {
    Instant since = quietSince();
    s.quietAlertedFor = since;
    String quietFor = DurationText.format(s.scoring.quietHighFit().after());
    note("quiet_high_fit", detail("fit", s.fitPoints, "quiet_since", since.toString(), "after", quietFor));
    task(new OperatorAlert(leadId, "quiet_high_fit", "A high-fit lead (fit " + s.fitPoints
        + ") has not engaged for " + quietFor + ": worth a personal look.",
        detail("fit", s.fitPoints, "quiet_since", since.toString()), "quiet/" + s.journeyKey + "/" + since));
  }

  private Boolean inactivityRule;

  /** Time until the inactivity rule recycles the journey, when it applies (a journey started after the rule). */
  private Optional<Duration> untilInactive() {
    if (inactivityRule == null) {
      inactivityRule = has(ChangeIds.INACTIVITY_RECYCLE);
    }
    if (!inactivityRule || s.inactivityLimit.isZero()) {
      return Optional.empty();
    }
    Instant last = s.lastEngagementAt != null ? s.lastEngagementAt : s.enrolledAt;
    return Optional.of(maxZero(Duration.between(now(), last.plus(s.inactivityLimit))));
  }

  /** 180 days (by default) without engagement: kept for later re-engagement, not mailed now. */
  private void recycleInactive() {
    Instant last = s.lastEngagementAt != null ? s.lastEngagementAt : s.enrolledAt;
    s.end(JourneyStatus.RECYCLED, "no engagement for " + DurationText.format(s.inactivityLimit));
    note("recycled", detail("reason", s.exitReason, "last_engagement", last.toString(),
        "recycle_until", now().plus(s.inactivityLimit).toString()));
  }

  /** Sends the step's email. @return true when the journey moves on to the next step */
  private boolean send(SendStep step) {
    int occurrence = s.nextOccurrence(step.id());
    Variant variant = step.variants().isEmpty() ? null
        : step.variants().get(Assignment.bucket(leadId, program.id() + "/" + step.id(), step.variants().size()));
    String template = variant == null || variant.template().isEmpty() ? step.template() : variant.template();
    SendRequest request = new SendRequest(leadId, s.journeyKey, program.id(), program.version(), step.id(),
        occurrence, template, variant == null ? "" : variant.id(), variant == null ? "" : variant.subject(),
        Assignment.heldOut(leadId, program.id(), program.holdoutPercent()));
    SendOutcome out;
    try {
      out = email().sendEmail(request);
    } catch (ActivityFailure failure) {
      if (sendFailurePolicy()) {
        return sendFailed(step, request, failure);
      }
      String why = rootMessage(failure);
      log.warn("lead {} step {}: email not sent: {}", leadId, step.id(), why);
      note("email_failed", detail("step", step.id(), "template", step.template(), "error", why));
      journal.raiseAlert(new OperatorAlert(leadId, "send_failed",
          "An email could not be sent and was skipped: " + why,
          detail("step", step.id(), "template", step.template()), "send_failed/" + request.idempotencyKey()));
      return true;
    }
    s.addTouch(new Touch(step.id(), out.template(), out.subject(), out.status().name(), out.messageId(), out.at()));
    Map<String, Object> d = detail("step", step.id(), "template", out.template(), "subject", out.subject(),
        "message_id", out.messageId(), "variant", request.variant().isEmpty() ? null : request.variant());
    switch (out.status()) {
      case SENT, ALREADY_SENT -> {
        s.emailsSent++;
        s.recordSend(now());
        note("email_sent", d);
      }
      case SUPPRESSED -> {
        s.end(JourneyStatus.UNSUBSCRIBED, "address is on the suppression list");
        note("email_suppressed", d);
      }
      case OUTCOME_UNKNOWN -> note("email_outcome_unknown", d);
      case HELD_OUT -> note("email_held_out", d);
    }
    return true;
  }

  /**
   * A send failed for good: permanently (the activity said so) or transiently for longer than
   * journeys.send_retry_limit ("gave_up"). The ledger says why, the timeline shows send_failed, an
   * operator is alerted, and the program's on_send_failure decides: skip to the next step, or
   * pause (resuming tries the step again, as a new send).
   *
   * @return true when the journey moves on to the next step
   */
  private boolean sendFailed(SendStep step, SendRequest request, ActivityFailure failure) {
    // Not retried because the activity said it cannot succeed; anything else ran out of retry time.
    boolean gaveUp = failure.getRetryState() != io.temporal.api.enums.v1.RetryState.RETRY_STATE_NON_RETRYABLE_FAILURE;
    String error = rootMessage(failure);
    String reason = gaveUp ? "gave_up" : "permanent";
    if (gaveUp) {
      ledger.recordSendFailed(request.idempotencyKey(), "gave_up after " + DurationText.format(s.sendRetryLimit)
          + " of transient failures: " + error);
    }
    boolean pause = program.onSendFailure() == Program.OnSendFailure.PAUSE;
    log.warn("lead {} step {}: email not sent ({}): {}; {}", leadId, step.id(), reason, error, pause ? "pausing" : "skipping");
    Map<String, Object> d = detail("step", step.id(), "template", request.template(), "reason", reason, "error", error,
        "then", pause ? "pause" : "skip");
    note("send_failed", d);
    journal.raiseAlert(new OperatorAlert(leadId, "send_failed", "An email could not be sent (" + reason + "): " + error
        + (pause ? ". The journey is paused until an operator resumes it." : ". The journey went on with the next step."),
        d, "send_failed/" + request.idempotencyKey()));
    if (!pause) {
      return true;
    }
    s.hold(JourneyStatus.PAUSED, now());
    note("paused", detail("reason", "send failed: " + error, "actor", "nurture"));
    return false;
  }

  private void drain() {
    while (!inbox.isEmpty()) {
      react(inbox.poll());
    }
    while (!offers.isEmpty()) {
      consider(offers.poll());
    }
    applyMigration();
    if (rejected) {
      rejected = false;
      trackAfterRejection();
    }
    for (String[] o : outcomes) {
      salesRecord.recordOutcome(o[0], o[1]);
    }
    outcomes.clear();
    flushNotes();
  }

  private Score score() {
    return s.scoring == null ? Score.NONE : s.scoring.score(s.fitPoints, s.scored, now());
  }

  /**
   * Scores the event, then applies the graduation rules: a high-intent action, the MQL threshold,
   * or score velocity hands the lead to sales (high priority for intent or velocity).
   */
  private void scoreAndGraduate(LeadEvent e, SeenEvent seen) {
    if (s.scoring == null) {
      return;
    }
    double points = s.scoring.earn(e.id(), seen, s.scored);
    if (points > 0) {
      if (s.scored.size() > JourneyState.EVENTS_KEPT) {
        s.scored.remove(0);
      }
      Score now = score();
      note("scored", detail("event_id", e.id(), "type", e.type().wireName(), "points", points, "fit", now.fit(),
          "engagement", now.engagement(), "total", now.total(), "velocity", now.velocity()));
    }
    graduate(Optional.of(seen), "graduation/" + e.id());
  }

  /**
   * The graduation rules: a high-intent action (with an event), and the level rules of the scoring
   * model (threshold, velocity, touches, composite MQL definitions). From "lead-intelligence-2" on,
   * a level rule fires when it starts to hold, so a lead sales sent back is not handed over again
   * for the reason it already was; before it, threshold and velocity fired whenever they held.
   */
  private void graduate(Optional<SeenEvent> event, String key) {
    if (s.status != JourneyStatus.ACTIVE && s.status != JourneyStatus.PAUSED || !program.graduate()) {
      return;
    }
    List<ScoringModel.RuleHolds> holds = s.scoring.holding(score(), conditionContext());
    java.util.Set<String> names = new java.util.LinkedHashSet<>();
    holds.forEach(h -> names.add(h.rule()));
    boolean edges = leadIntelligence2();
    boolean fired = edges ? names.stream().anyMatch(n -> !s.graduationHolding.contains(n)) : !names.isEmpty();
    if (edges) {
      s.graduationHolding = names;
    }
    List<String> reasons = new ArrayList<>();
    boolean high = false;
    Optional<EventMatch> intent = event.flatMap(s.scoring::highIntent);
    if (intent.isPresent()) {
      reasons.add("high-intent action: " + intent.get().type().wireName()
          + (intent.get().where().isEmpty() ? "" : " " + intent.get().where()));
      high = true;
      fired = true;
    }
    if (!fired) {
      return;
    }
    for (ScoringModel.RuleHolds h : holds) {
      reasons.add(h.reason());
      high |= h.high();
    }
    handOff(reasons, high ? "high" : "normal", key);
  }

  /** The change ids this run has asked about, and whether it has each behaviour. */
  private final ChangeVersions changes = new ChangeVersions();

  /** Whether this run has the behaviour a change id guards ({@link ChangeIds}; see {@link ChangeVersions}). */
  private boolean has(String changeId) {
    return changes.has(changeId);
  }

  /**
   * The seven behaviours of lead-intelligence-2 (see {@link ChangeIds#LEAD_INTELLIGENCE_2}): one
   * marker decides them all, as in the histories that carry it.
   */
  private boolean leadIntelligence2() {
    return has(ChangeIds.LEAD_INTELLIGENCE_2);
  }

  private boolean sendFailurePolicy() {
    return has(ChangeIds.SEND_FAILURE_POLICY);
  }

  /**
   * {@code Workflow.await(timeout, woken)}, but from {@link ChangeIds#CANCEL_WOKEN_TIMERS} on the
   * timer is cancelled when {@code woken} comes true first (and not started when it already is),
   * so an event mid-wait leaves no orphan timer to fire later.
   *
   * @return true when woken, false when the time ran out
   */
  private boolean awaitUnlessWoken(Duration timeout, java.util.function.Supplier<Boolean> woken) {
    if (!has(ChangeIds.CANCEL_WOKEN_TIMERS)) {
      return Workflow.await(timeout, woken);
    }
    if (woken.get()) {
      return true;
    }
    List<Promise<Void>> timer = new ArrayList<>(1);
    io.temporal.workflow.CancellationScope scope =
        Workflow.newCancellationScope(() -> timer.add(Workflow.newTimer(timeout)));
    scope.run();
    Workflow.await(() -> timer.get(0).isCompleted() || woken.get());
    if (timer.get(0).isCompleted()) {
      return false;
    }
    scope.cancel();
    return true;
  }

  /**
   * At a step boundary: the graduation rules, then a move to the track of the lead's new quadrant.
   * @return true when the journey changed (handed off or moved): the loop looks again
   */
  private boolean atStepBoundary() {
    if (s.scoring == null || !leadIntelligence2()) {
      return false;
    }
    graduate(Optional.empty(), "graduation/step/" + currentStepId() + "/" + s.transitionSeq);
    if (s.status != JourneyStatus.ACTIVE) {
      flushNotes();
      return true;
    }
    return reassignTrack();
  }

  /** A lead on the matrix's track whose quadrant changed moves to that quadrant's track, from its first step. */
  private boolean reassignTrack() {
    var tracks = s.scoring.tracks();
    if (!tracks.on() || s.assignedTrack == null || s.quadrant == null || !program.id().equals(s.assignedTrack)) {
      return false;
    }
    var q = tracks.quadrant(score());
    if (q.key().equals(s.quadrant)) {
      return false;
    }
    String from = s.quadrant;
    s.quadrant = q.key();
    String target = tracks.programFor(q).orElse(program.id());
    if (!tracks.reassign() || target.equals(program.id())) {
      note("quadrant_changed", detail("from", from, "to", q.key(), "program", program.ref(),
          "moved", false, "why", tracks.reassign() ? "same track" : "reassignment is off"));
      return false;
    }
    Optional<Program> next = catalog.latestProgram(target);
    if (next.isEmpty()) {
      note("quadrant_changed", detail("from", from, "to", q.key(), "program", program.ref(), "moved", false,
          "why", "the track's program " + target + " is not published"));
      return false;
    }
    note("reassigned", detail("from", program.ref(), "to", next.get().ref(), "from_quadrant", from, "to_quadrant", q.key(),
        "reason", "quadrant changed to " + q.describe(), "at_step", currentStepId()));
    log.info("lead {}: quadrant {} -> {}, moved from {} to {}", leadId, from, q.key(), program.ref(), next.get().ref());
    program = next.get();
    s.assignedTrack = target;
    s.stepIndex = 0;
    flushNotes();
    return true;
  }

  /**
   * A hot lead skips nurture: a near-perfect fit, a high-intent source (a review site), or a
   * high-intent action as its first touch goes to sales at once, before any email.
   */
  private void fastTrack() {
    if (s.scoring == null || !program.graduate()) {
      return;
    }
    List<String> reasons = new ArrayList<>();
    if (s.scoring.fastTrackFit() > 0 && s.fitPoints >= s.scoring.fastTrackFit()) {
      reasons.add("fast track: fit " + s.fitPoints + " >= " + s.scoring.fastTrackFit());
    }
    Object source = s.attributes.get("source");
    if (source != null && s.scoring.fastTrackSources().contains(String.valueOf(source).toLowerCase(java.util.Locale.ROOT))) {
      reasons.add("fast track: high-intent source " + source);
    }
    // The lead's earlier events are seen too (scored history): only a recent one is a "first touch".
    Instant recent = now().minus(s.scoring.velocityWindow());
    s.seen.stream().filter(e -> !e.at().isBefore(recent) && s.scoring.highIntent(e).isPresent()).findFirst()
        .ifPresent(e -> reasons.add("fast track: " + e.type().wireName() + " on first touch"));
    if (!reasons.isEmpty()) {
      handOff(reasons, "high", "fast-track");
    }
  }

  /** Hands the lead to sales: recorded with its reasons, score and the events behind it; nurture holds. */
  private void handOff(List<String> reasons, String priority, String key) {
    Score now = score();
    List<Map<String, Object>> events = s.scored.stream()
        .map(x -> detail("event_id", x.eventId(), "type", x.type().wireName(), "points", x.points(), "at", x.at().toString()))
        .toList();
    s.hold(JourneyStatus.HANDED_OFF, now());
    Map<String, Object> d = detail("reason", String.join("; ", reasons), "priority", priority,
        "score", s.scoring == null ? null : now.total(), "events", s.scoring == null ? null : events);
    note("handed_off", d);
    journal.raiseAlert(new OperatorAlert(leadId, "handoff", "Hand to sales (" + priority + " priority): "
        + String.join("; ", reasons), d, "handoff/" + s.journeyKey + "/" + key));
    log.info("lead {} handed to sales ({}): {}", leadId, priority, reasons);
    if (has(ChangeIds.SALES_LOOP)) {
      Instant at = now();
      s.handOff = new HandOff(s.journeyKey + "/" + key, leadId, String.join("; ", reasons), now.total(), priority,
          s.scoring == null ? List.of() : events, at.plus(s.handOffSla), at);
      s.slaAlerts = 0;
      salesRecord.recordHandOff(s.handOff);
      notifications.add(Async.procedure(salesNotify::notifySales, s.handOff));
      if (leadIntelligence2()) {
        notifications.add(Async.procedure(salesNotify::notifyOwner, s.handOff));
      }
    }
  }

  /**
   * An alert a person must act on: on the alert list, and (from "lead-intelligence-2") a
   * {@code lead.task_created} webhook to sales, retried until delivered.
   */
  private void task(OperatorAlert alert) {
    journal.raiseAlert(alert);
    if (leadIntelligence2()) {
      notifications.add(Async.procedure(salesNotify::notifyTask, alert));
    }
  }

  /** While held: the next SLA escalation of an open hand-off, or the end of a "not now". */
  private Optional<Instant> heldDeadline() {
    if (s.status == JourneyStatus.HANDED_OFF && s.handOff != null && s.slaAlerts < 2) {
      return Optional.of(s.handOff.at().plus(s.handOffSla.multipliedBy(s.slaAlerts + 1L)));
    }
    if (s.status == JourneyStatus.PAUSED && s.notNowUntil != null) {
      return Optional.of(s.notNowUntil);
    }
    if (s.status == JourneyStatus.WAITING_FOR_HUMAN && s.heldForHumanAt != null && !s.replyResumeAfter.isZero()
        && has(ChangeIds.REPLY_AUTO_RESUME)) {
      return Optional.of(s.heldForHumanAt.plus(s.replyResumeAfter));
    }
    return Optional.empty();
  }

  private void heldDeadlinePassed() {
    if (s.status == JourneyStatus.WAITING_FOR_HUMAN) {
      s.release(now());
      s.heldForHumanAt = null;
      note("resumed", detail("reason", "no one resumed it within " + DurationText.format(s.replyResumeAfter)
          + " of the reply", "actor", "nurture"));
      return;
    }
    if (s.status == JourneyStatus.HANDED_OFF && s.handOff != null) {
      s.slaAlerts++;
      String message = s.slaAlerts == 1
          ? "No feedback from sales within the " + DurationText.format(s.handOffSla) + " SLA: follow up this lead"
          : "Still no feedback from sales, twice the SLA after the hand-off: escalate";
      note("sla_breached", detail("level", s.slaAlerts, "handoff", s.handOff.key()));
      journal.raiseAlert(new OperatorAlert(leadId, "sla_breach", message,
          detail("level", s.slaAlerts, "priority", s.handOff.priority(), "handoff", s.handOff.key()),
          "sla/" + s.handOff.key() + "/" + s.slaAlerts));
    } else if (s.status == JourneyStatus.PAUSED && s.notNowUntil != null) {
      s.notNowUntil = null;
      Optional<Program> next = catalog.latestProgram(RE_ENGAGEMENT);
      note("not_now_over", detail("program", next.map(Program::ref).orElse("(missing: " + RE_ENGAGEMENT + ")")));
      if (next.isPresent()) {
        program = next.get();
        s.stepIndex = 0;
        s.waitUntil = null;
        s.heldRemaining = null;
      }
      s.status = JourneyStatus.ACTIVE;
    }
  }

  /** Sales rejected the lead: the loop moves it to the configured track at its next turn. */
  private boolean rejected;

  /**
   * A lead sales rejected goes back to nurture: where it stopped, or (tracks.after_rejection) on the
   * track of its quadrant now or a named program, from that program's first step.
   */
  private void trackAfterRejection() {
    if (s.scoring == null || s.status != JourneyStatus.ACTIVE || !leadIntelligence2()) {
      return;
    }
    var tracks = s.scoring.tracks();
    Optional<String> target = tracks.programAfterRejection(score());
    if (target.isEmpty() || target.get().equals(program.id())) {
      return;
    }
    Optional<Program> next = catalog.latestProgram(target.get());
    if (next.isEmpty()) {
      note("switch_refused", detail("program", target.get(), "why", "the after-rejection track is not published; resuming"));
      return;
    }
    note("switched", detail("from", program.ref(), "to", next.get().ref(), "reason", "rejected by sales (after_rejection: "
        + tracks.afterRejection() + ")"));
    if (Tracks.MATRIX.equals(tracks.afterRejection())) {
      s.assignedTrack = target.get();
      s.quadrant = tracks.quadrant(score()).key();
    }
    program = next.get();
    s.stepIndex = 0;
    s.waitUntil = null;
  }

  @Override
  public void validateSalesFeedback(SalesFeedback feedback) {
    JourneyRules.feedbackRejection(s.status, feedback, now()).ifPresent(reason -> {
      throw new IllegalStateException(reason);
    });
  }

  @Override
  public JourneyView salesFeedback(SalesFeedback f) {
    Map<String, Object> d = detail("outcome", f.outcome().name().toLowerCase(), "note", f.note(), "actor", f.actor(),
        "until", f.until().map(Instant::toString).orElse(null));
    switch (f.outcome()) {
      case ACCEPTED -> {
        s.end(JourneyStatus.GRADUATED, "accepted by sales");
        note("sales_accepted", d);
      }
      case REJECTED -> {
        s.release(now());
        note("sales_rejected", d);
        rejected = true;
      }
      case NOT_NOW -> {
        s.status = JourneyStatus.PAUSED;
        s.notNowUntil = f.until().orElseThrow();
        note("sales_not_now", d);
      }
    }
    if (s.handOff != null) {
      outcomes.add(new String[] {s.handOff.key(), f.outcome().name().toLowerCase()});
      s.handOff = null;
    }
    return view();
  }

  /** Pre-empts the running program with a triggered one of higher priority; records the others. */
  private void consider(TrackOffer offer) {
    Program next = offer.program();
    Map<String, Object> d = detail("program", next.ref(), "priority", next.priority(), "running", program.ref(),
        "running_priority", program.priority(), "reason", offer.reason());
    if (s.status.isTerminal() || s.status != JourneyStatus.ACTIVE) {
      note("trigger_recorded", with(d, "why", "the journey is " + s.status));
      return;
    }
    if (next.id().equals(program.id()) || s.suspended.stream().anyMatch(t -> t.program().id().equals(next.id()))) {
      note("trigger_recorded", with(d, "why", "already on this program"));
      return;
    }
    if (next.priority() <= program.priority()) {
      note("trigger_recorded", with(d, "why", "priority is not higher than the running program's"));
      return;
    }
    Duration remaining = s.waitUntil == null ? null : maxZero(Duration.between(now(), s.waitUntil));
    s.suspended.add(new SuspendedTrack(program, s.stepIndex, remaining, s.waitForFrom));
    note("preempted", with(d, "at_step", currentStepId()));
    log.info("lead {}: {} pre-empts {}", leadId, next.ref(), program.ref());
    program = next;
    s.stepIndex = 0;
    s.waitUntil = null;
  }

  /** Back to the program the current one pre-empted, at its step, with the rest of its wait. */
  private boolean resumePrevious() {
    if (s.suspended.isEmpty()) {
      return false;
    }
    SuspendedTrack t = s.suspended.remove(s.suspended.size() - 1);
    note("resumed_previous", detail("from", program.ref(), "to", t.program().ref(),
        "step", t.stepIndex() < t.program().steps().size() ? t.program().steps().get(t.stepIndex()).id() : "",
        "wait_left", t.waitRemaining() == null ? null : DurationText.format(t.waitRemaining())));
    program = t.program();
    s.stepIndex = t.stepIndex();
    s.waitForFrom = t.waitForFrom();
    s.waitUntil = t.waitRemaining() == null ? null : now().plus(t.waitRemaining());
    return true;
  }

  private static Duration maxZero(Duration d) {
    return d.isNegative() ? Duration.ZERO : d;
  }

  private static Map<String, Object> with(Map<String, Object> d, String key, Object value) {
    Map<String, Object> m = new LinkedHashMap<>(d);
    m.put(key, value);
    return m;
  }

  private void react(LeadEvent e) {
    if (s.status.isTerminal()) {
      return;
    }
    SeenEvent seen = s.see(e);
    if (JourneyRules.isEngagement(e.type())) {
      s.lastEngagementAt = now();
    }
    if (e.type() == EventType.ATTRIBUTE_CHANGED) {
      s.attributes.putAll(e.properties());
      if (s.scoring != null) {
        s.fitPoints = s.scoring.fit(conditionContext());
      }
    }
    scoreAndGraduate(e, seen);
    switch (JourneyRules.reactionTo(e)) {
      case END_UNSUBSCRIBED -> {
        s.end(JourneyStatus.UNSUBSCRIBED, "unsubscribed");
        journal.suppress(leadId, "unsubscribed (event " + e.id() + ")");
        note("unsubscribed", detail("event_id", e.id()));
        log.info("lead {} unsubscribed; journey ends", leadId);
      }
      case END_SUPPRESSED -> {
        String reason = e.type() == EventType.COMPLAINED ? "spam complaint" : "hard bounce";
        s.end(JourneyStatus.UNSUBSCRIBED, reason + "; the address is suppressed");
        journal.suppress(leadId, reason + " (event " + e.id() + ")");
        note("suppressed", detail("event_id", e.id(), "reason", reason));
      }
      case END_DISQUALIFIED -> {
        String reason = String.valueOf(e.properties().getOrDefault("reason", "disqualified"));
        s.end(JourneyStatus.DISQUALIFIED, reason);
        note("disqualified", detail("event_id", e.id(), "reason", reason));
      }
      case HOLD_FOR_HUMAN -> {
        Object channel = e.properties().getOrDefault("channel", "email");
        s.hold(JourneyStatus.WAITING_FOR_HUMAN, now());
        s.heldForHumanAt = now();
        note("waiting_for_human", detail("event_id", e.id(), "channel", channel));
        if (!"email".equalsIgnoreCase(String.valueOf(channel))) {
          task(new OperatorAlert(leadId, "non_standard_channel",
              "The lead wrote through " + channel + ", not by replying to an email: answer them there.",
              detail("event_id", e.id(), "channel", channel), "channel/" + e.id()));
        }
        task(new OperatorAlert(leadId, "reply",
            "The lead replied (" + channel + "); sending is paused until someone resumes the journey.",
            detail("event_id", e.id(), "channel", channel), "reply/" + e.id()));
      }
      case RECORD -> {
        if (e.type() == EventType.PAGE_VISITED
            && "comparison".equalsIgnoreCase(String.valueOf(e.properties().getOrDefault("page", "")))) {
          task(new OperatorAlert(leadId, "competitor_interest",
              "The lead is reading competitor comparisons: time-sensitive, reach out now.",
              detail("event_id", e.id(), "properties", e.properties()), "competitor/" + e.id()));
        }
      }
    }
  }

  private boolean hasWork() {
    return !inbox.isEmpty() || !offers.isEmpty() || migration != null || !notes.isEmpty() || s.status != JourneyStatus.ACTIVE;
  }

  private void note(String kind, Map<String, Object> detail) {
    notes.add(new Note(kind, detail, now(), s.transitionSeq++));
  }

  private void flushNotes() {
    if (notes.isEmpty()) {
      return;
    }
    WorkflowInfo info = Workflow.getInfo();
    List<Note> batch = List.copyOf(notes);
    notes.clear();
    for (Note n : batch) {
      journal.recordTransition(new JourneyTransition(leadId, info.getWorkflowId(), info.getRunId(), program.id(),
          program.version(), s.status, currentStepId(), Optional.ofNullable(s.waitUntil), s.enrolledAt, score().total(), n.kind(),
          n.detail(), n.at(), info.getWorkflowId() + "/" + s.journeyKey + "/" + n.seq()));
    }
  }

  private String currentStepId() {
    return s.stepIndex < program.steps().size() ? program.steps().get(s.stepIndex).id() : "";
  }

  private static Instant now() {
    return Instant.ofEpochMilli(Workflow.currentTimeMillis());
  }

  private static Map<String, Object> detail(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i + 1 < kv.length; i += 2) {
      if (kv[i + 1] != null) {
        m.put((String) kv[i], kv[i + 1]);
      }
    }
    return m;
  }

  private static String rootMessage(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null) {
      c = c.getCause();
    }
    return c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
  }
}
