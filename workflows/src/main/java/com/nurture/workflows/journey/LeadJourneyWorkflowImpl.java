package com.nurture.workflows.journey;

import com.nurture.workflows.activities.ConsentActivities;
import com.nurture.workflows.activities.EmailActivities;
import com.nurture.workflows.activities.JourneyActivities;
import com.nurture.workflows.activities.JourneyTransition;
import com.nurture.workflows.activities.ProgramActivities;
import com.nurture.workflows.activities.SalesActivities;
import com.nurture.workflows.activities.SendOutcome;
import com.nurture.workflows.activities.SendRequest;
import com.nurture.workflows.program.Program;
import io.temporal.activity.ActivityOptions;
import io.temporal.activity.LocalActivityOptions;
import io.temporal.api.enums.v1.RetryState;
import io.temporal.common.SearchAttributeUpdate;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Promise;
import io.temporal.workflow.TimerOptions;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInfo;
import io.temporal.workflow.WorkflowInit;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;

/**
 * The workflow shell around the journey core ({@link Journey}): it turns signals, updates and
 * timers into the core's inputs, and the core's {@link Effect}s into activity calls and timers.
 * Handlers only hand inputs to the core and queue its effects; the loop carries out every effect,
 * so their order is the core's order. Runs started before the core existed run {@link LegacyJourney}.
 * Every timer and activity carries a summary (Temporal's user metadata) naming the step it belongs
 * to, so {@code temporal workflow show} and the Web UI read as the journey; the search attributes
 * ({@link JourneySearchAttributes}) follow each transition.
 */
public class LeadJourneyWorkflowImpl implements LeadJourneyWorkflow {
  private static final Logger log = Workflow.getLogger(LeadJourneyWorkflowImpl.class);

  private final LegacyJourney legacy;
  private final Journey core;
  private final Deque<LeadEvent> inbox = new ArrayDeque<>();
  private final Deque<TrackOffer> offers = new ArrayDeque<>();
  /** Effects of updates, carried out by the loop at its next turn. */
  private final List<Effect> outbox = new ArrayList<>();
  /** An update changed the journey: the loop must look again. */
  private boolean poked;
  /** Sales webhooks, task webhooks and owner emails being delivered (retried until they are). */
  private final List<Promise<Void>> notifications = new ArrayList<>();

  private static final ActivityOptions CATALOG =
      JourneyActivityOptions.untilDone(Duration.ofSeconds(10), Duration.ofSeconds(1), Duration.ofMinutes(1));
  /** The sales endpoint may be down for a while: retry the notification until it is delivered. */
  private static final ActivityOptions NOTIFY =
      JourneyActivityOptions.untilDone(Duration.ofSeconds(30), Duration.ofSeconds(2), Duration.ofHours(1));
  /** Double opt-in confirmations, sent like notifications: retried until SMTP takes them. */
  private static final ActivityOptions CONFIRM =
      JourneyActivityOptions.untilDone(Duration.ofSeconds(30), Duration.ofSeconds(2), Duration.ofMinutes(10));
  /**
   * Timeline entries not yet written (change id merged-records): the next entries join them, and
   * they are written, as one local activity, before any other effect, wait, continue-as-new or end.
   */
  private Effect.RecordTransitions unwritten;
  /** Whether this run has the behaviours guarded by the shell's change ids. */
  private final ChangeVersions changes = new ChangeVersions();

  @WorkflowInit
  public LeadJourneyWorkflowImpl(JourneyInput input) {
    boolean onCore = input.state() == null || input.state().engine == JourneyState.CORE_ENGINE;
    this.legacy = onCore ? null : new LegacyJourney(input);
    this.core = onCore ? Journey.of(input) : null;
  }

  /**
   * Carries on from the state the constructor built; {@code input} is not read. Every role's data
   * converter hands it the very objects the constructor was given, which the constructor may have
   * changed (the api module's {@code StartInputOnce}: the input is decoded once, not twice).
   */
  @Override
  public JourneyResult run(JourneyInput input) {
    if (legacy != null) {
      return legacy.run(input);
    }
    boolean firstRun = core.state().journeyKey == null;
    carryOut(core.begin(Workflow.getInfo().getRunId(), now()));
    if (firstRun) {
      log.info("lead {} enrolled in {}", core.leadId, core.program().ref());
    }
    inbox.addAll(core.carriedEvents());
    offers.addAll(core.carriedOffers());
    while (true) {
      takeInputs();
      if (historyIsLong() && !core.state().status().isTerminal()) {
        continueAsNewWhenQuiet();
      }
      Effect.Block block = carryOut(core.next(now()));
      if (block instanceof Effect.End) {
        break;
      }
      if (block instanceof Effect.Sleep sleep) {
        sleep(sleep.until());
      }
    }
    Workflow.await(Workflow::isEveryHandlerFinished);
    takeInputs();
    writeUnwritten();
    // A hand-off notification still being retried is delivered before the journey ends.
    Promise.allOf(notifications).get();
    JourneyResult result = core.result();
    log.info("lead {} journey ended: {} ({})", core.leadId, result.status(), result.reason());
    return result;
  }

  /** The inputs received since the last turn, in order, then what follows from them. */
  private void takeInputs() {
    poked = false;
    List<Effect> queued = List.copyOf(outbox);
    outbox.clear();
    carryOut(queued);
    while (!inbox.isEmpty()) {
      carryOut(core.react(inbox.poll(), now()));
    }
    while (!offers.isEmpty()) {
      carryOut(core.consider(offers.poll(), now()));
    }
    carryOut(core.settle(now()));
  }

  private boolean hasInput() {
    return poked || !inbox.isEmpty() || !offers.isEmpty() || !outbox.isEmpty() || core.migrationPending();
  }

  /**
   * Carries out effects in order. A send or a program load is answered at once (its answer may
   * bring more effects); a sleep or the end is returned to the loop.
   */
  private Effect.Block carryOut(List<Effect> effects) {
    Effect.Block block = null;
    for (Effect effect : effects) {
      if (effect instanceof Effect.RecordTransitions r) {
        record(r);
        continue;
      }
      writeUnwritten();
      if (effect instanceof Effect.RaiseAlert a) {
        local(JourneyActivities.class, at() + ": alert " + a.alert().kind()).raiseAlert(a.alert());
      } else if (effect instanceof Effect.CreateTask t) {
        local(JourneyActivities.class, at() + ": task " + t.alert().kind()).raiseAlert(t.alert());
        SalesActivities webhook = remote(SalesActivities.class, NOTIFY, at() + ": task webhook " + t.alert().kind());
        notifications.add(Async.procedure(webhook::notifyTask, t.alert()));
      } else if (effect instanceof Effect.Suppress sup) {
        local(JourneyActivities.class, at() + ": suppress the address").suppress(core.leadId, sup.reason());
      } else if (effect instanceof Effect.HandOffToSales h) {
        log.info("lead {} handed to sales ({}): {}", core.leadId, h.handOff().priority(), h.handOff().reason());
        String handOff = at() + ": hand-off to sales (" + h.handOff().priority() + ")";
        local(SalesActivities.class, handOff).recordHandOff(h.handOff());
        SalesActivities webhook = remote(SalesActivities.class, NOTIFY, handOff + ", sales webhook");
        notifications.add(Async.procedure(webhook::notifySales, h.handOff()));
        SalesActivities ownerEmail = remote(SalesActivities.class, NOTIFY, handOff + ", owner email");
        notifications.add(Async.procedure(ownerEmail::notifyOwner, h.handOff()));
      } else if (effect instanceof Effect.RecordSalesOutcome o) {
        local(SalesActivities.class, at() + ": sales answered " + o.outcome()).recordOutcome(o.handOffKey(), o.outcome());
      } else if (effect instanceof Effect.RequestConfirmation c) {
        ConsentActivities consent = remote(ConsentActivities.class, CONFIRM, at() + ": double opt-in confirmation email");
        notifications.add(Async.procedure(consent::sendConfirmation, c.request()));
      } else if (effect instanceof Effect.RecordSendFailed f) {
        local(EmailActivities.class, at() + ": send failed").recordSendFailed(f.idempotencyKey(), f.reason());
      } else if (effect instanceof Effect.Send send) {
        block = carryOut(send(send));
      } else if (effect instanceof Effect.LoadProgram load) {
        Optional<Program> program = remote(ProgramActivities.class, CATALOG, at() + ": load program " + load.programId())
            .latestProgram(load.programId());
        block = carryOut(core.loaded(program, now()));
      } else if (effect instanceof Effect.Block b) {
        block = b;
      }
    }
    return block;
  }

  private List<Effect> send(Effect.Send send) {
    SendOutcome outcome;
    try {
      // Since change local-sends a scheduled send runs inside the workflow task that reaches it; an
      // immediate one stays an activity task, dispatched ahead of the bulk's (the priority lane).
      outcome = !send.immediate() && changes.has(ChangeIds.LOCAL_SENDS) ? sendLocallyFirst(send)
          : sendTask(send, "").sendEmail(send.request());
    } catch (ActivityFailure failure) {
      // Not retried because the activity said it cannot succeed; anything else ran out of retry time.
      boolean permanent = isPermanent(failure);
      String error = rootMessage(failure);
      log.warn("lead {} step {}: email not sent ({}): {}", core.leadId, send.request().stepId(),
          permanent ? "permanent" : "gave up", error);
      return core.sendFailed(permanent, error, now());
    }
    return core.sent(outcome, now());
  }

  /**
   * One attempt as a local activity (one workflow task per email, no activity task); a transient
   * failure tries again as the activity task, with its retries in the server up to the send retry
   * limit. A permanent failure is final either way.
   */
  private SendOutcome sendLocallyFirst(Effect.Send send) {
    EmailActivities local = local(EmailActivities.class, JourneyActivityOptions.LOCAL_SEND, sendSummary(send.request()));
    try {
      return local.sendEmail(send.request());
    } catch (ActivityFailure failure) {
      if (isPermanent(failure)) {
        throw failure;
      }
      log.info("lead {} step {}: the send's first attempt failed ({}); retrying it as an activity task", core.leadId,
          send.request().stepId(), rootMessage(failure));
      return sendTask(send, " (its first attempt failed: retried as an activity task)").sendEmail(send.request());
    }
  }

  /** The send as an activity task, in its lane, retried by the server up to the send retry limit. */
  private EmailActivities sendTask(Effect.Send send, String note) {
    return remote(EmailActivities.class, JourneyActivityOptions.send(core.state().sendRetryLimit, send.immediate(),
        IntakeLane.of(Workflow.getInfo().getPriority())), sendSummary(send.request()) + note);
  }

  /** The activity said it cannot succeed (a local activity's failure carries no retry state of its own). */
  private static boolean isPermanent(ActivityFailure failure) {
    return failure.getRetryState() == RetryState.RETRY_STATE_NON_RETRYABLE_FAILURE
        || failure.getCause() instanceof ApplicationFailure cause && cause.isNonRetryable();
  }

  /**
   * Writes the entries, or, since change merged-records, keeps them to write with the entries that
   * follow before anything else happens: a send's {@code email_sent} and the next step's entries
   * are one local activity (one history event, one database transaction) instead of two. Nothing
   * is reordered: every other effect, and every wait, first writes what is kept.
   */
  private void record(Effect.RecordTransitions r) {
    if (!changes.has(ChangeIds.MERGED_RECORDS)) {
      write(r);
    } else if (unwritten == null) {
      unwritten = r;
    } else {
      List<Effect.Note> notes = new ArrayList<>(unwritten.notes());
      notes.addAll(r.notes());
      unwritten = new Effect.RecordTransitions(List.copyOf(notes), r.snapshot());
    }
  }

  private void writeUnwritten() {
    if (unwritten != null) {
      Effect.RecordTransitions r = unwritten;
      unwritten = null;
      write(r);
    }
  }

  private void write(Effect.RecordTransitions r) {
    WorkflowInfo info = Workflow.getInfo();
    Effect.Snapshot at = r.snapshot();
    local(JourneyActivities.class, recordSummary(r)).recordTransitions(r.notes().stream().map(n -> new JourneyTransition(
        core.leadId, info.getWorkflowId(), info.getRunId(), at.programId(), at.programVersion(), at.status(), at.step(),
        at.nextActionAt(), at.enrolledAt(), at.score(), n.kind(), n.detail(), n.at(),
        info.getWorkflowId() + "/" + core.state().journeyKey + "/" + n.seq())).toList());
    Workflow.setCurrentDetails(at.status() + " at " + at.programId() + "@" + at.programVersion()
        + (at.step().isEmpty() ? "" : " step " + at.step()) + ", score " + at.score()
        + at.nextActionAt().map(next -> ", next action " + next).orElse(""));
    if (changes.has(ChangeIds.SEARCH_ATTRIBUTES)) {
      // Only what changed: most transitions (a note, a send) leave the attributes as they were.
      List<SearchAttributeUpdate<?>> updates = JourneySearchAttributes.changes(Workflow.getTypedSearchAttributes(), at);
      if (!updates.isEmpty()) {
        Workflow.upsertTypedSearchAttributes(updates.toArray(new SearchAttributeUpdate<?>[0]));
      }
    }
  }

  /** Where the journey is, for summaries: {@code program/step} (the program alone past its last step). */
  private String at() {
    String step = core.currentStepId();
    return step.isEmpty() ? core.program().id() : core.program().id() + "/" + step;
  }

  private String recordSummary(Effect.RecordTransitions r) {
    Effect.Snapshot at = r.snapshot();
    List<String> kinds = r.notes().stream().map(Effect.Note::kind).distinct().toList();
    String listed = kinds.size() <= 6 ? String.join(", ", kinds)
        : String.join(", ", kinds.subList(0, 6)) + " and " + (kinds.size() - 6) + " more";
    return at.programId() + (at.step().isEmpty() ? "" : "/" + at.step()) + ": record " + listed + " (" + at.status() + ")";
  }

  /** The step, the template and, when the step sets one, the subject (a template, never rendered with lead data). */
  private static String sendSummary(SendRequest request) {
    StringBuilder s = new StringBuilder(request.programId()).append('/').append(request.stepId())
        .append(": send ").append(request.template());
    if (!request.variant().isEmpty()) {
      s.append(" variant ").append(request.variant());
    }
    if (!request.subject().isEmpty()) {
      s.append(" \"").append(request.subject()).append('"');
    }
    if (request.occurrence() > 1) {
      s.append(" (occurrence ").append(request.occurrence()).append(')');
    }
    return request.heldOut() ? s.append(" (held out: recorded, not sent)").toString() : s.toString();
  }

  /** A local activity stub (a business-record write) whose calls carry {@code summary} in the history. */
  private static <T> T local(Class<T> type, String summary) {
    return local(type, JourneyActivityOptions.LOCAL_WRITE, summary);
  }

  /** A local activity stub whose calls carry {@code summary} in the history. */
  private static <T> T local(Class<T> type, LocalActivityOptions options, String summary) {
    return Workflow.newLocalActivityStub(type, LocalActivityOptions.newBuilder(options).setSummary(summary).build());
  }

  /** An activity stub whose calls carry {@code summary} in the history. */
  private static <T> T remote(Class<T> type, ActivityOptions options, String summary) {
    return Workflow.newActivityStub(type, ActivityOptions.newBuilder(options).setSummary(summary).build());
  }

  /** Until {@code until} or the next input, whichever comes first; a timer an input beats is cancelled. */
  private void sleep(Optional<Instant> until) {
    Supplier<Boolean> woken = this::hasInput;
    if (until.isEmpty()) {
      Workflow.await(woken::get);
      return;
    }
    Duration timeout = Duration.between(now(), until.get());
    if (woken.get() || timeout.isNegative() || timeout.isZero()) {
      return;
    }
    List<Promise<Void>> timer = new ArrayList<>(1);
    TimerOptions summary = TimerOptions.newBuilder()
        .setSummary(at() + ": wait until " + until.get() + " (" + core.state().status() + ")").build();
    CancellationScope scope = Workflow.newCancellationScope(() -> timer.add(Workflow.newTimer(timeout, summary)));
    scope.run();
    Workflow.await(() -> timer.get(0).isCompleted() || woken.get());
    if (!timer.get(0).isCompleted()) {
      scope.cancel();
      // The cancelled timer's promise fails with CanceledFailure: expected, and handled here.
      timer.get(0).handle((done, cancelled) -> null);
    }
  }

  private boolean historyIsLong() {
    WorkflowInfo info = Workflow.getInfo();
    int limit = core.state().historyLimit;
    return info.isContinueAsNewSuggested() || (limit > 0 && info.getHistoryLength() >= limit);
  }

  /**
   * Starts a fresh run with the whole state, once handlers and notifications are done and nothing
   * is left to take: inputs received meanwhile are taken first (the next turn tries again).
   */
  private void continueAsNewWhenQuiet() {
    writeUnwritten();
    Workflow.await(Workflow::isEveryHandlerFinished);
    // Webhooks and owner emails still being retried would be abandoned with this run: deliver first.
    Promise.allOf(notifications).get();
    if (poked || !outbox.isEmpty() || !core.atRest()) {
      return;
    }
    log.info("lead {}: continuing as new after {} history events", core.leadId, Workflow.getInfo().getHistoryLength());
    Workflow.continueAsNew(core.continueAsNew(List.copyOf(inbox), List.copyOf(offers)));
  }

  @Override
  public void event(LeadEvent event) {
    if (legacy != null) {
      legacy.event(event);
    } else if (core.admit(event)) {
      inbox.add(event);
    }
  }

  @Override
  public void deliver(EventDelivery delivery) {
    if (legacy != null) {
      legacy.deliver(delivery);
      return;
    }
    if (core.admit(delivery.event())) {
      inbox.add(delivery.event());
      for (Program p : delivery.triggered()) {
        TrackOffer offer = delivery.offer(p);
        if (core.admit(offer)) {
          offers.add(offer);
        }
      }
    }
  }

  @Override
  public void deliverAll(EventDeliveries deliveries) {
    deliveries.deliveries().forEach(this::deliver);
  }

  @Override
  public void offer(TrackOffer offer) {
    if (legacy != null) {
      legacy.offer(offer);
    } else if (core.admit(offer)) {
      offers.add(offer);
    }
  }

  @Override
  public void validateCommand(JourneyCommand command) {
    if (legacy != null) {
      legacy.validateCommand(command);
      return;
    }
    core.commandRejection(command).ifPresent(reason -> {
      throw new IllegalStateException(reason);
    });
  }

  @Override
  public JourneyView command(JourneyCommand command) {
    if (legacy != null) {
      return legacy.command(command);
    }
    outbox.addAll(core.command(command, now()));
    poked = true;
    return core.view(now());
  }

  @Override
  public void validateMigrate(Program version) {
    if (legacy != null) {
      legacy.validateMigrate(version);
      return;
    }
    core.migrationRejection(version).ifPresent(reason -> {
      throw new IllegalStateException(reason);
    });
  }

  @Override
  public JourneyView migrate(Program version) {
    if (legacy != null) {
      return legacy.migrate(version);
    }
    core.requestMigration(version);
    Workflow.await(() -> !core.migrationPending());
    return core.view(now());
  }

  @Override
  public void validateSalesFeedback(SalesFeedback feedback) {
    if (legacy != null) {
      legacy.validateSalesFeedback(feedback);
      return;
    }
    core.feedbackRejection(feedback, now()).ifPresent(reason -> {
      throw new IllegalStateException(reason);
    });
  }

  @Override
  public JourneyView salesFeedback(SalesFeedback feedback) {
    if (legacy != null) {
      return legacy.salesFeedback(feedback);
    }
    outbox.addAll(core.salesFeedback(feedback, now()));
    poked = true;
    return core.view(now());
  }

  @Override
  public JourneyView view() {
    return legacy != null ? legacy.view() : core.view(now());
  }

  private static Instant now() {
    return Instant.ofEpochMilli(Workflow.currentTimeMillis());
  }

  private static String rootMessage(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null) {
      c = c.getCause();
    }
    return c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
  }
}
