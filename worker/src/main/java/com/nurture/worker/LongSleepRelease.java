package com.nurture.worker;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.MethodDescriptor;
import io.temporal.api.command.v1.Command;
import io.temporal.api.workflowservice.v1.RespondWorkflowTaskCompletedRequest;
import io.temporal.api.workflowservice.v1.WorkflowServiceGrpc;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Gives up this worker's sticky queue for a journey that goes to sleep for at least {@code longest}:
 * the workflow task's completion goes to Temporal without its sticky attributes, so Temporal clears
 * the journey's sticky queue in the same update and schedules its wake-up on the task queue, with its
 * history in the poll's answer, for any worker (docs/operations.md, "Worker tuning").
 *
 * <p>Why: a journey asleep for minutes or days has almost always left the worker's cache by the time it
 * wakes, so the sticky queue saves it nothing; and when many wake at once (a newsletter's send window),
 * their tasks wait on the sticky queue behind each other for longer than its schedule-to-start timeout,
 * and Temporal times each out, writes two events and schedules it again (15% of the server's CPU in the
 * first minute of a 12,000-lead burst's profile: docs/benchmarks.md, "2026-12-06 13:53-15:40"); a
 * worker that dies leaves its queued tasks there until that timeout. Temporal's own {@code ResetStickyTaskQueue}
 * does not hold (1.32 clears only the history service's cached copy); a completion without sticky
 * attributes is written with the workflow's state. On 2 cores a 20,000-lead burst drained no faster
 * with it (docs/benchmarks.md, "2026-12-06 22:54-2026-12-07 00:45"): what it removes is the timeout's
 * two events in each journey's history, the wait, and a second history call for an evicted journey.
 *
 * <p>A completion that started anything that answers soon (an activity, a child, an update's message,
 * a timer shorter than {@code longest}) keeps the sticky queue. If the journey is woken sooner (an
 * event), that task comes from the task queue too, with its full history: the SDK replays it, as for a
 * journey that left the cache. Nothing about what the journey does changes, only where its next task
 * is queued. A gRPC interceptor on the worker's service stubs, because the SDK sets the sticky
 * attributes on every completion and offers no per-task choice.
 */
public final class LongSleepRelease implements ClientInterceptor {
  private static final String COMPLETED = WorkflowServiceGrpc.getRespondWorkflowTaskCompletedMethod().getFullMethodName();
  private final Duration longest;
  private final AtomicLong released = new AtomicLong();

  public LongSleepRelease(Duration longest) {
    if (longest.isNegative() || longest.isZero()) {
      throw new IllegalArgumentException("the longest sticky sleep must be above zero");
    }
    this.longest = longest;
  }

  /** Completions sent without their sticky attributes so far. */
  public long released() {
    return released.get();
  }

  /**
   * Whether this completion leaves its workflow asleep on timers of at least {@code longest} and starts
   * nothing else: only timers (each at least that long), cancelled timers, markers (local activities,
   * versions) and search-attribute or memo updates, no update messages, no new task asked for.
   */
  static boolean releases(RespondWorkflowTaskCompletedRequest completion, Duration longest) {
    if (!completion.hasStickyAttributes() || completion.getForceCreateNewWorkflowTask()
        || completion.getReturnNewWorkflowTask() || completion.getMessagesCount() > 0) {
      return false;
    }
    boolean sleeps = false;
    for (Command command : completion.getCommandsList()) {
      switch (command.getCommandType()) {
        case COMMAND_TYPE_START_TIMER -> {
          com.google.protobuf.Duration fire = command.getStartTimerCommandAttributes().getStartToFireTimeout();
          if (Duration.ofSeconds(fire.getSeconds(), fire.getNanos()).compareTo(longest) < 0) {
            return false;
          }
          sleeps = true;
        }
        case COMMAND_TYPE_CANCEL_TIMER, COMMAND_TYPE_RECORD_MARKER, COMMAND_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES,
            COMMAND_TYPE_MODIFY_WORKFLOW_PROPERTIES -> { }
        default -> {
          return false;
        }
      }
    }
    return sleeps;
  }

  @Override
  public <Q, A> ClientCall<Q, A> interceptCall(MethodDescriptor<Q, A> method, CallOptions options, Channel next) {
    ClientCall<Q, A> call = next.newCall(method, options);
    if (!COMPLETED.equals(method.getFullMethodName())) {
      return call;
    }
    return new ForwardingClientCall.SimpleForwardingClientCall<>(call) {
      @Override
      @SuppressWarnings("unchecked")
      public void sendMessage(Q message) {
        RespondWorkflowTaskCompletedRequest completion = (RespondWorkflowTaskCompletedRequest) message;
        if (releases(completion, longest)) {
          released.incrementAndGet();
          super.sendMessage((Q) completion.toBuilder().clearStickyAttributes().build());
        } else {
          super.sendMessage(message);
        }
      }
    };
  }
}
