package com.nurture.api.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.nurture.worker.WorkerTuning;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MaxDuration;
import io.dropwizard.validation.MinDuration;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.util.concurrent.TimeUnit;

/**
 * The Temporal worker's capacity (docs/operations.md, "Worker tuning"). The defaults suit 2 cores:
 * sends and ledger writes wait on SMTP and PostgreSQL, not the CPU, so activity slots are many;
 * workflow tasks are CPU, so their slots and pollers are few.
 */
public class WorkerConfig {
  /** Journeys kept in memory between their workflow tasks (each holds a thread while cached). */
  @Min(1) @Max(100_000)
  @JsonProperty("workflow_cache")
  public int workflowCache = WorkerTuning.DEFAULT.workflowCache();

  @Min(1) @Max(10_000)
  @JsonProperty("max_concurrent_workflow_tasks")
  public int maxConcurrentWorkflowTasks = WorkerTuning.DEFAULT.maxConcurrentWorkflowTasks();

  @Min(1) @Max(10_000)
  @JsonProperty("max_concurrent_activities")
  public int maxConcurrentActivities = WorkerTuning.DEFAULT.maxConcurrentActivities();

  @Min(1) @Max(10_000)
  @JsonProperty("max_concurrent_local_activities")
  public int maxConcurrentLocalActivities = WorkerTuning.DEFAULT.maxConcurrentLocalActivities();

  @Min(1) @Max(100)
  @JsonProperty("workflow_pollers")
  public int workflowPollers = WorkerTuning.DEFAULT.workflowPollers();

  @Min(1) @Max(100)
  @JsonProperty("activity_pollers")
  public int activityPollers = WorkerTuning.DEFAULT.activityPollers();

  /**
   * 0 (the default): the poller counts above are fixed. Above 0: the SDK's poller autoscaling, from 1
   * up to this many of each kind while the Temporal server reports a backlog, starting at the counts
   * above (docs/operations.md, "Worker tuning": it drains a burst faster and slows sign-ups under it).
   */
  @Min(0) @Max(1000)
  @JsonProperty("poller_autoscaling_max")
  public int pollerAutoscalingMax = WorkerTuning.DEFAULT.pollerAutoscalingMax();

  /**
   * How long a journey's workflow task waits on this worker's sticky queue before Temporal times it out
   * and any worker may take it (docs/operations.md, "Worker tuning": a burst's wake-ups against a worker
   * that dies with them queued).
   */
  @MinDuration(value = 1, unit = TimeUnit.SECONDS)
  @JsonProperty("sticky_schedule_to_start_timeout")
  public Duration stickyScheduleToStartTimeout =
      Duration.milliseconds(WorkerTuning.DEFAULT.stickyScheduleToStartTimeout().toMillis());

  /**
   * A journey that goes to sleep for at least this long gives up this worker's sticky queue, so its
   * wake-up waits on the task queue, where any worker takes it with its history, instead of timing out
   * on this worker's sticky queue when many wake at once (docs/operations.md, "Worker tuning").
   */
  @MinDuration(value = 1, unit = TimeUnit.SECONDS)
  @JsonProperty("sticky_max_sleep")
  public Duration stickyMaxSleep = Duration.milliseconds(WorkerTuning.DEFAULT.stickyMaxSleep().toMillis());

  /**
   * How long a journey's workflow thread may run, or wait for a core, before the SDK fails its workflow
   * task as a potential deadlock and Temporal runs the task again (the SDK's own default is 1 s; under
   * 10 s, the workflow task's timeout). A worker starting under a backlog on 2 cores waits for a core
   * longer than 1 s (docs/operations.md, "Worker tuning").
   */
  @MinDuration(value = 100, unit = TimeUnit.MILLISECONDS)
  @MaxDuration(value = WorkerTuning.WORKFLOW_TASK_TIMEOUT_SECONDS, unit = TimeUnit.SECONDS, inclusive = false,
      message = "must be under " + WorkerTuning.WORKFLOW_TASK_TIMEOUT_SECONDS + "s, the workflow task's timeout")
  @JsonProperty("deadlock_detection_timeout")
  public Duration deadlockDetectionTimeout =
      Duration.milliseconds(WorkerTuning.DEFAULT.deadlockDetectionTimeout().toMillis());

  public WorkerTuning tuning() {
    return new WorkerTuning(workflowCache, maxConcurrentWorkflowTasks, maxConcurrentActivities,
        maxConcurrentLocalActivities, workflowPollers, activityPollers, pollerAutoscalingMax,
        stickyScheduleToStartTimeout.toJavaDuration(), stickyMaxSleep.toJavaDuration(),
        deadlockDetectionTimeout.toJavaDuration());
  }
}
