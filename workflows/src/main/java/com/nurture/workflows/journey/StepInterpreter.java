package com.nurture.workflows.journey;

import static com.nurture.workflows.journey.Journey.detail;

import com.nurture.workflows.activities.SendOutcome;
import com.nurture.workflows.activities.SendRequest;
import com.nurture.workflows.condition.ConditionContext;
import com.nurture.workflows.condition.SeenEvent;
import com.nurture.workflows.program.BranchStep;
import com.nurture.workflows.program.DurationText;
import com.nurture.workflows.program.EventMatch;
import com.nurture.workflows.program.ExitStep;
import com.nurture.workflows.program.GotoStep;
import com.nurture.workflows.program.HandoffStep;
import com.nurture.workflows.program.OnComplete;
import com.nurture.workflows.program.Program;
import com.nurture.workflows.program.SendStep;
import com.nurture.workflows.program.Step;
import com.nurture.workflows.program.Variant;
import com.nurture.workflows.program.WaitForStep;
import com.nurture.workflows.program.WaitStep;
import com.nurture.workflows.activities.OperatorAlert;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The interpreter loop over the program's steps: take the current step, run it, advance, until a
 * step must wait (a wait, a wait_for, a send window), send an email, or load a program, or the
 * journey ends. A held journey (paused, waiting for a person, handed off) waits for its deadline.
 */
final class StepInterpreter {
  /** A program that jumps this often without waiting is broken (validation forbids loops without a wait). */
  private static final int MAX_STEPS_PER_TURN = 10_000;

  private StepInterpreter() {}

  static void advance(Journey j) {
    JourneyState s = j.s;
    for (int turns = 0; turns < MAX_STEPS_PER_TURN; turns++) {
      if (s.status.isTerminal()) {
        j.flush();
        j.emit(new Effect.End(j.result()));
        return;
      }
      if (s.status != JourneyStatus.ACTIVE) {
        Optional<Instant> deadline = JourneyClocks.heldDeadline(j);
        if (deadline.isPresent() && !j.now.isBefore(deadline.get())) {
          JourneyClocks.heldDeadlinePassed(j);
          if (j.pending != null) {
            return;
          }
          continue;
        }
        sleep(j, deadline);
        return;
      }
      if (s.stepIndex >= j.program.steps().size()) {
        complete(j);
        if (j.pending != null) {
          return;
        }
        continue;
      }
      if (s.waitUntil == null && Graduation.atStepBoundary(j)) {
        if (j.pending != null) {
          return;
        }
        continue;
      }
      if (interpret(j, j.program.steps().get(s.stepIndex))) {
        return;
      }
    }
    throw new IllegalStateException("program " + j.program.ref() + " ran " + MAX_STEPS_PER_TURN
        + " steps without waiting at step " + j.currentStepId());
  }

  private static void sleep(Journey j, Optional<Instant> until) {
    j.flush();
    j.emit(new Effect.Sleep(until));
  }

  /** Runs one step. @return true when the journey must now wait for time, a send or a program */
  private static boolean interpret(Journey j, Step step) {
    JourneyState s = j.s;
    if (step instanceof SendStep send) {
      return deferredByPolicy(j, send) || startSend(j, send);
    } else if (step instanceof WaitStep wait) {
      return waitOut(j, wait);
    } else if (step instanceof WaitForStep waitFor) {
      return waitFor(j, waitFor);
    } else if (step instanceof BranchStep branch) {
      branch(j, branch);
    } else if (step instanceof HandoffStep handoff) {
      s.stepIndex++;
      SalesLoop.handOff(j, List.of(handoff.reason()), "normal", handoff.id() + "/" + s.nextOccurrence(handoff.id()));
    } else if (step instanceof GotoStep go) {
      j.jump(go.target());
    } else if (step instanceof ExitStep exit) {
      s.end(exit.recycle() ? JourneyStatus.RECYCLED : JourneyStatus.COMPLETED, exit.reason());
      j.note(exit.recycle() ? "recycled" : "exited", detail("step", exit.id(), "reason", exit.reason()));
    }
    return false;
  }

  /**
   * Holds a send until the program's send policy allows it (window in the lead's time zone, gap,
   * weekly cap across programs). @return true when the send must wait
   */
  private static boolean deferredByPolicy(Journey j, SendStep step) {
    JourneyState s = j.s;
    Instant allowed = j.program.sendPolicy().nextAllowed(j.now, s.leadZone(), s.sendTimes, !step.immediate());
    if (!allowed.isAfter(j.now)) {
      s.waitUntil = null;
      return false;
    }
    if (!allowed.equals(s.waitUntil)) {
      s.waitUntil = allowed;
      j.note("send_deferred", detail("step", step.id(), "until", allowed.toString(), "policy", j.program.sendPolicy().name()));
    }
    sleep(j, Optional.of(allowed));
    return true;
  }

  private static boolean startSend(Journey j, SendStep step) {
    JourneyState s = j.s;
    int occurrence = s.nextOccurrence(step.id());
    Variant variant = step.variants().isEmpty() ? null
        : step.variants().get(Assignment.bucket(j.leadId, j.program.id() + "/" + step.id(), step.variants().size()));
    String template = variant == null || variant.template().isEmpty() ? step.template() : variant.template();
    SendRequest request = new SendRequest(j.leadId, s.journeyKey, j.program.id(), j.program.version(), step.id(),
        occurrence, template, variant == null ? "" : variant.id(), variant == null ? "" : variant.subject(),
        Assignment.heldOut(j.leadId, j.program.id(), j.program.holdoutPercent()));
    j.flush();
    j.pending = new Journey.Pending.Sending(step, request);
    j.emit(new Effect.Send(request, step.immediate()));
    return true;
  }

  static void sent(Journey j, SendStep step, SendRequest request, SendOutcome out) {
    JourneyState s = j.s;
    s.addTouch(new Touch(step.id(), out.template(), out.subject(), out.status().name(), out.messageId(), out.at()));
    Map<String, Object> d = detail("step", step.id(), "template", out.template(), "subject", out.subject(),
        "message_id", out.messageId(), "variant", request.variant().isEmpty() ? null : request.variant());
    switch (out.status()) {
      case SENT, ALREADY_SENT -> {
        s.emailsSent++;
        s.recordSend(j.now);
        j.note("email_sent", d);
      }
      case SUPPRESSED -> {
        s.end(JourneyStatus.UNSUBSCRIBED, "address is on the suppression list");
        j.note("email_suppressed", d);
      }
      case OUTCOME_UNKNOWN -> j.note("email_outcome_unknown", d);
      case HELD_OUT -> j.note("email_held_out", d);
    }
    s.stepIndex++;
  }

  /**
   * A send failed for good: permanently, or transiently for longer than journeys.send_retry_limit
   * ("gave_up"). The timeline shows send_failed, an operator is alerted, and the program's
   * on_send_failure decides: skip to the next step, or pause (resuming tries the step again, as a
   * new send).
   */
  static void sendFailed(Journey j, SendStep step, SendRequest request, boolean permanent, String error) {
    JourneyState s = j.s;
    String reason = permanent ? "permanent" : "gave_up";
    if (!permanent) {
      j.emit(new Effect.RecordSendFailed(request.idempotencyKey(), "gave_up after "
          + DurationText.format(s.sendRetryLimit) + " of transient failures: " + error));
    }
    boolean pause = j.program.onSendFailure() == Program.OnSendFailure.PAUSE;
    Map<String, Object> d = detail("step", step.id(), "template", request.template(), "reason", reason, "error", error,
        "then", pause ? "pause" : "skip");
    j.note("send_failed", d);
    j.emit(new Effect.RaiseAlert(new OperatorAlert(j.leadId, "send_failed", "An email could not be sent (" + reason
        + "): " + error + (pause ? ". The journey is paused until an operator resumes it."
        : ". The journey went on with the next step."), d, "send_failed/" + request.idempotencyKey())));
    if (pause) {
      s.hold(JourneyStatus.PAUSED, j.now);
      j.note("paused", detail("reason", "send failed: " + error, "actor", "nurture"));
    } else {
      s.stepIndex++;
    }
  }

  /** The program ran out of steps: do what its on_complete says. */
  private static void complete(Journey j) {
    JourneyState s = j.s;
    OnComplete then = j.program.onComplete();
    switch (then.kind()) {
      case COMPLETE -> {
        s.end(JourneyStatus.COMPLETED, "program complete");
        j.note("completed", detail("program", j.program.ref()));
      }
      case RECYCLE -> {
        s.end(JourneyStatus.RECYCLED, "program complete; recycled for later re-engagement");
        j.note("recycled", detail("program", j.program.ref()));
      }
      case RESUME_PREVIOUS -> {
        if (!TrackSwitching.resumePrevious(j)) {
          s.end(JourneyStatus.COMPLETED, "program complete; no earlier program to resume");
          j.note("completed", detail("program", j.program.ref()));
        }
      }
      case START -> j.load(then.program(), (k, next) -> {
        if (next.isEmpty()) {
          k.s.end(JourneyStatus.COMPLETED, "program complete; the program to start next, " + then.program()
              + ", does not exist");
          k.note("completed", detail("program", k.program.ref(), "missing_next", then.program()));
          k.emit(new Effect.RaiseAlert(new OperatorAlert(k.leadId, "missing_program",
              "on_complete names an unknown program: " + then.program(), detail("program", k.program.ref()),
              "missing_program/" + k.s.journeyKey + "/" + k.program.ref())));
          return;
        }
        k.note("switched", detail("from", k.program.ref(), "to", next.get().ref(), "reason", "on_complete"));
        k.switchTo(next.get());
      });
    }
  }

  private static void branch(Journey j, BranchStep branch) {
    ConditionContext context = j.conditionContext();
    String target = branch.otherwise();
    String taken = "else";
    for (int i = 0; i < branch.cases().size(); i++) {
      if (branch.cases().get(i).when().test(context)) {
        target = branch.cases().get(i).then();
        taken = "case " + (i + 1);
        break;
      }
    }
    j.note("branch", detail("step", branch.id(), "taken", taken, "to", target.isEmpty() ? "(next step)" : target));
    j.jump(target);
  }

  /** @return true when the journey must wait */
  private static boolean waitFor(Journey j, WaitForStep w) {
    JourneyState s = j.s;
    if (s.waitUntil == null) {
      s.waitUntil = j.now.plus(w.timeout());
      s.waitForFrom = s.seenCount;
      j.note("waiting_for", detail("step", w.id(), "mode", w.mode().name().toLowerCase(), "events",
          w.events().stream().map(m -> m.type().wireName()).toList(), "until", s.waitUntil.toString()));
    }
    if (waitForMet(j, w)) {
      s.waitUntil = null;
      j.note("wait_for_met", detail("step", w.id(), "to", w.onEvent().isEmpty() ? "(next step)" : w.onEvent()));
      j.jump(w.onEvent());
      return false;
    }
    Optional<Boolean> ranOut = awaitOrClock(j);
    if (ranOut.isEmpty()) {
      return true;
    }
    if (ranOut.get()) {
      s.waitUntil = null;
      j.note("wait_for_timeout", detail("step", w.id(), "to", w.onTimeout().isEmpty() ? "(next step)" : w.onTimeout()));
      j.jump(w.onTimeout());
    }
    return false;
  }

  private static boolean waitForMet(Journey j, WaitForStep w) {
    JourneyState s = j.s;
    List<SeenEvent> since = s.seen.stream().filter(e -> e.seq() >= s.waitForFrom).toList();
    Predicate<EventMatch> matched = m -> since.stream().anyMatch(e -> m.matches(e, s.stepOf(e)));
    return w.mode() == WaitForStep.Mode.ANY ? w.events().stream().anyMatch(matched) : w.events().stream().allMatch(matched);
  }

  /** @return true when the journey must wait */
  private static boolean waitOut(Journey j, WaitStep wait) {
    JourneyState s = j.s;
    if (s.waitUntil == null) {
      s.waitUntil = j.now.plus(wait.duration());
      j.note("waiting", detail("step", wait.id(), "duration", DurationText.format(wait.duration()),
          "until", s.waitUntil.toString()));
    }
    Optional<Boolean> ranOut = awaitOrClock(j);
    if (ranOut.isEmpty()) {
      return true;
    }
    if (ranOut.get()) {
      s.waitUntil = null;
      s.stepIndex++;
    }
    return false;
  }

  /**
   * A wait until {@code waitUntil}, during which a journey clock (the inactivity recycle, the quiet
   * lead alert) due sooner fires instead.
   *
   * @return true when the wait ran out, false when a clock fired (look again), empty when the
   *     journey sleeps (a {@link Effect.Sleep} was emitted)
   */
  private static Optional<Boolean> awaitOrClock(Journey j) {
    Duration left = Duration.between(j.now, j.s.waitUntil);
    if (left.isNegative() || left.isZero()) {
      return Optional.of(true);
    }
    Optional<JourneyClocks.Clock> clock = JourneyClocks.next(j).filter(c -> c.in().compareTo(left) < 0);
    if (clock.isPresent() && clock.get().in().isZero()) {
      clock.get().fire().accept(j);
      return Optional.of(false);
    }
    sleep(j, Optional.of(j.now.plus(clock.map(JourneyClocks.Clock::in).orElse(left))));
    return Optional.empty();
  }
}
