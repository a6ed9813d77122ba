package com.nurture.api.cli;

import com.nurture.api.NurtureApplication;

/**
 * {@code worker config.yml}: the Temporal worker and its activities, with Dropwizard's admin port
 * for health checks and metrics. Serves no API.
 */
public class WorkerCommand extends RoleCommand {
  public WorkerCommand(NurtureApplication application) {
    super(application, NurtureApplication.Role.WORKER, "worker", "Runs a Temporal worker (journeys and their activities)");
  }
}
