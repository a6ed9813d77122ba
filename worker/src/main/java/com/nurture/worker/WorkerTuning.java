package com.nurture.worker;

/**
 * How much a worker takes on at once (config.yml's {@code worker}).
 *
 * @param workflowCache journeys kept in memory between workflow tasks (a cached journey holds a thread)
 * @param maxConcurrentWorkflowTasks workflow tasks run at once
 * @param maxConcurrentActivities activities (sends, notifications) run at once
 * @param maxConcurrentLocalActivities local activities (ledger and timeline writes) run at once
 * @param workflowPollers long polls for workflow tasks
 * @param activityPollers long polls for activity tasks
 */
public record WorkerTuning(int workflowCache, int maxConcurrentWorkflowTasks, int maxConcurrentActivities,
    int maxConcurrentLocalActivities, int workflowPollers, int activityPollers) {
  /** The SDK's own defaults (1.38), said explicitly so docs/operations.md can name them. */
  public static final WorkerTuning DEFAULT = new WorkerTuning(600, 200, 200, 200, 5, 5);
}
