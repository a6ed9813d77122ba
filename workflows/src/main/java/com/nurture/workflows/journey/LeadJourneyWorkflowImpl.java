package com.nurture.workflows.journey;

import com.nurture.workflows.activities.ConsentActivities;
import com.nurture.workflows.activities.EmailActivities;
import com.nurture.workflows.activities.JourneyActivities;
import com.nurture.workflows.activities.JourneyTransition;
import com.nurture.workflows.activities.ProgramActivities;
import com.nurture.workflows.activities.SalesActivities;
import com.nurture.workflows.activities.SendOutcome;
import com.nurture.workflows.program.Program;
import io.temporal.api.enums.v1.RetryState;
import io.temporal.failure.ActivityFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Promise;
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

  private final JourneyActivities journal =
      Workflow.newLocalActivityStub(JourneyActivities.class, JourneyActivityOptions.LOCAL_WRITE);
  private final SalesActivities salesRecord =
      Workflow.newLocalActivityStub(SalesActivities.class, JourneyActivityOptions.LOCAL_WRITE);
  private final EmailActivities ledger =
      Workflow.newLocalActivityStub(EmailActivities.class, JourneyActivityOptions.LOCAL_WRITE);
  private final ProgramActivities catalog = Workflow.newActivityStub(ProgramActivities.class,
      JourneyActivityOptions.untilDone(Duration.ofSeconds(10), Duration.ofSeconds(1), Duration.ofMinutes(1)));
  /** The sales endpoint may be down for a while: retry the notification until it is delivered. */
  private final SalesActivities salesNotify = Workflow.newActivityStub(SalesActivities.class,
      JourneyActivityOptions.untilDone(Duration.ofSeconds(30), Duration.ofSeconds(2), Duration.ofHours(1)));
  private EmailActivities email;
  /** Double opt-in confirmations, sent like notifications: retried until SMTP takes them. */
  private ConsentActivities consent;

  @WorkflowInit
  public LeadJourneyWorkflowImpl(JourneyInput input) {
    boolean onCore = input.state() == null || input.state().engine == JourneyState.CORE_ENGINE;
    this.legacy = onCore ? null : new LegacyJourney(input);
    this.core = onCore ? Journey.of(input) : null;
  }

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
      } else if (effect instanceof Effect.RaiseAlert a) {
        journal.raiseAlert(a.alert());
      } else if (effect instanceof Effect.CreateTask t) {
        journal.raiseAlert(t.alert());
        notifications.add(Async.procedure(salesNotify::notifyTask, t.alert()));
      } else if (effect instanceof Effect.Suppress sup) {
        journal.suppress(core.leadId, sup.reason());
      } else if (effect instanceof Effect.HandOffToSales h) {
        log.info("lead {} handed to sales ({}): {}", core.leadId, h.handOff().priority(), h.handOff().reason());
        salesRecord.recordHandOff(h.handOff());
        notifications.add(Async.procedure(salesNotify::notifySales, h.handOff()));
        notifications.add(Async.procedure(salesNotify::notifyOwner, h.handOff()));
      } else if (effect instanceof Effect.RecordSalesOutcome o) {
        salesRecord.recordOutcome(o.handOffKey(), o.outcome());
      } else if (effect instanceof Effect.RequestConfirmation c) {
        if (consent == null) {
          consent = Workflow.newActivityStub(ConsentActivities.class,
              JourneyActivityOptions.untilDone(Duration.ofSeconds(30), Duration.ofSeconds(2), Duration.ofMinutes(10)));
        }
        notifications.add(Async.procedure(consent::sendConfirmation, c.request()));
      } else if (effect instanceof Effect.RecordSendFailed f) {
        ledger.recordSendFailed(f.idempotencyKey(), f.reason());
      } else if (effect instanceof Effect.Send send) {
        block = carryOut(send(send));
      } else if (effect instanceof Effect.LoadProgram load) {
        Optional<Program> program = catalog.latestProgram(load.programId());
        block = carryOut(core.loaded(program, now()));
      } else if (effect instanceof Effect.Block b) {
        block = b;
      }
    }
    return block;
  }

  private List<Effect> send(Effect.Send send) {
    if (email == null) {
      email = Workflow.newActivityStub(EmailActivities.class, JourneyActivityOptions.send(core.state().sendRetryLimit));
    }
    SendOutcome outcome;
    try {
      outcome = email.sendEmail(send.request());
    } catch (ActivityFailure failure) {
      // Not retried because the activity said it cannot succeed; anything else ran out of retry time.
      boolean permanent = failure.getRetryState() == RetryState.RETRY_STATE_NON_RETRYABLE_FAILURE;
      String error = rootMessage(failure);
      log.warn("lead {} step {}: email not sent ({}): {}", core.leadId, send.request().stepId(),
          permanent ? "permanent" : "gave up", error);
      return core.sendFailed(permanent, error, now());
    }
    return core.sent(outcome, now());
  }

  private void record(Effect.RecordTransitions r) {
    WorkflowInfo info = Workflow.getInfo();
    Effect.Snapshot at = r.snapshot();
    journal.recordTransitions(r.notes().stream().map(n -> new JourneyTransition(core.leadId, info.getWorkflowId(),
        info.getRunId(), at.programId(), at.programVersion(), at.status(), at.step(), at.nextActionAt(),
        at.enrolledAt(), at.score(), n.kind(), n.detail(), n.at(),
        info.getWorkflowId() + "/" + core.state().journeyKey + "/" + n.seq())).toList());
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
    CancellationScope scope = Workflow.newCancellationScope(() -> timer.add(Workflow.newTimer(timeout)));
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
