package com.nurture.api.cli;

import com.nurture.api.NurtureApplication;
import com.nurture.api.NurtureConfiguration;
import io.dropwizard.core.cli.ServerCommand;
import io.dropwizard.core.setup.Bootstrap;
import net.sourceforge.argparse4j.inf.Namespace;

/**
 * {@code worker config.yml}: the Temporal worker and its activities, with Dropwizard's admin port
 * for health checks and metrics. Serves no API.
 */
public class WorkerCommand extends ServerCommand<NurtureConfiguration> {
  private final NurtureApplication application;

  public WorkerCommand(NurtureApplication application) {
    super(application, "worker", "Runs a Temporal worker (journeys and their activities)");
    this.application = application;
  }

  @Override
  protected void run(Bootstrap<NurtureConfiguration> bootstrap, Namespace namespace, NurtureConfiguration configuration)
      throws Exception {
    application.role(NurtureApplication.Role.WORKER);
    super.run(bootstrap, namespace, configuration);
  }
}
