package com.nurture.worker;

import io.temporal.worker.WorkerFactoryOptions;
import io.temporal.worker.WorkerOptions;
import io.temporal.worker.tuning.PollerBehavior;
import io.temporal.worker.tuning.PollerBehaviorAutoscaling;
import io.temporal.worker.tuning.PollerBehaviorSimpleMaximum;
import java.time.Duration;

/**
 * How much a worker takes on at once (config.yml's {@code worker}).
 *
 * @param workflowCache journeys kept in memory between workflow tasks (a cached journey holds a thread)
 * @param maxConcurrentWorkflowTasks workflow tasks run at once
 * @param maxConcurrentActivities activities (sends, notifications) run at once
 * @param maxConcurrentLocalActivities local activities (ledger and timeline writes) run at once
 * @param workflowPollers long polls for workflow tasks: the count at start, and always, when
 *     {@code pollerAutoscalingMax} is 0
 * @param activityPollers long polls for activity tasks, the same way
 * @param pollerAutoscalingMax 0: the poller counts above are fixed; otherwise the most long polls of
 *     each kind, the SDK adding pollers (from 1 up to this) while the Temporal server reports a
 *     backlog in its poll answers and dropping them when polls come back empty
 * @param stickyScheduleToStartTimeout how long a journey's workflow task waits on this worker's sticky
 *     queue before Temporal times it out and schedules it again on the task queue, where any worker
 *     takes it
 * @param stickyMaxSleep a journey that goes to sleep for at least this long gives up this worker's sticky
 *     queue: its wake-up is queued on the task queue ({@link LongSleepRelease})
 * @param deadlockDetectionTimeout how long a journey's workflow thread may hold the CPU, or wait for it,
 *     before the SDK fails the workflow task as a potential deadlock and Temporal runs it again; under
 *     the workflow task's 10 s timeout, so a real deadlock is named as one
 */
public record WorkerTuning(int workflowCache, int maxConcurrentWorkflowTasks, int maxConcurrentActivities,
    int maxConcurrentLocalActivities, int workflowPollers, int activityPollers, int pollerAutoscalingMax,
    Duration stickyScheduleToStartTimeout, Duration stickyMaxSleep, Duration deadlockDetectionTimeout) {
  /**
   * The SDK's default workflow task timeout in seconds, which a deadlock must be detected within to be
   * named (a constant, so config validation can say it too).
   */
  public static final long WORKFLOW_TASK_TIMEOUT_SECONDS = 10;

  /**
   * The SDK's own defaults (1.38), said explicitly so docs/operations.md can name them, but for 10
   * workflow pollers against its 5; pollers fixed (no autoscaling); the sticky queue's timeout the
   * SDK's 5 s; a sleep of a minute or more leaves the sticky queue; 5 s for a potential deadlock against
   * the SDK's 1 s, where a worker starting under a backlog on 2 cores failed up to 37 of its first tasks
   * as deadlocks, their threads waiting for a core. Why each, with the measurements: docs/operations.md,
   * "Worker tuning".
   */
  public static final WorkerTuning DEFAULT = new WorkerTuning(600, 200, 200, 200, 10, 5, 0,
      Duration.ofSeconds(5), Duration.ofMinutes(1), Duration.ofSeconds(5));

  public WorkerTuning {
    if (pollerAutoscalingMax < 0 || workflowPollers < 1 || activityPollers < 1) {
      throw new IllegalArgumentException("pollers: at least 1 of each; autoscaling maximum 0 (off) or more");
    }
    if (stickyScheduleToStartTimeout.isNegative() || stickyScheduleToStartTimeout.isZero()) {
      throw new IllegalArgumentException("sticky schedule-to-start timeout: above zero");
    }
    if (stickyMaxSleep.isNegative() || stickyMaxSleep.isZero()) {
      throw new IllegalArgumentException("sticky max sleep: above zero");
    }
    if (deadlockDetectionTimeout.toMillis() < 1
        || deadlockDetectionTimeout.compareTo(Duration.ofSeconds(WORKFLOW_TASK_TIMEOUT_SECONDS)) >= 0) {
      throw new IllegalArgumentException("deadlock detection timeout: above zero and under the workflow task's "
          + WORKFLOW_TASK_TIMEOUT_SECONDS + " s timeout");
    }
  }

  /** The interceptor the worker's service stubs need to give up the sticky queue for long sleeps. */
  public LongSleepRelease longSleepRelease() {
    return new LongSleepRelease(stickyMaxSleep);
  }

  /**
   * The worker factory's options: the workflow cache, and a workflow thread for each cached journey
   * (at least the SDK's 600). A builder, so the caller adds its interceptors.
   */
  public WorkerFactoryOptions.Builder factoryOptions() {
    return WorkerFactoryOptions.newBuilder()
        .setWorkflowCacheSize(workflowCache)
        .setMaxWorkflowThreadCount(Math.max(workflowCache, 600));
  }

  /** The worker's options: slots, poller behaviour, the sticky queue's timeout, the deadlock detector's. */
  public WorkerOptions workerOptions() {
    return WorkerOptions.newBuilder()
        .setMaxConcurrentWorkflowTaskExecutionSize(maxConcurrentWorkflowTasks)
        .setMaxConcurrentActivityExecutionSize(maxConcurrentActivities)
        .setMaxConcurrentLocalActivityExecutionSize(maxConcurrentLocalActivities)
        .setWorkflowTaskPollersBehavior(pollers(workflowPollers))
        .setActivityTaskPollersBehavior(pollers(activityPollers))
        .setStickyQueueScheduleToStartTimeout(stickyScheduleToStartTimeout)
        .setDefaultDeadlockDetectionTimeout(deadlockDetectionTimeout.toMillis())
        .build();
  }

  private PollerBehavior pollers(int atStart) {
    return pollerAutoscalingMax == 0 ? new PollerBehaviorSimpleMaximum(atStart)
        : new PollerBehaviorAutoscaling(1, Math.max(pollerAutoscalingMax, atStart), atStart);
  }
}
