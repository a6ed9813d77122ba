package com.nurture.api.cli;

import com.nurture.api.NurtureApplication;
import com.nurture.api.NurtureConfiguration;
import io.dropwizard.core.cli.ServerCommand;
import io.dropwizard.core.setup.Bootstrap;
import net.sourceforge.argparse4j.inf.Namespace;

/** A server command that runs the application in one of its roles. */
abstract class RoleCommand extends ServerCommand<NurtureConfiguration> {
  private final NurtureApplication application;
  private final NurtureApplication.Role role;

  RoleCommand(NurtureApplication application, NurtureApplication.Role role, String name, String description) {
    super(application, name, description);
    this.application = application;
    this.role = role;
  }

  @Override
  protected void run(Bootstrap<NurtureConfiguration> bootstrap, Namespace namespace, NurtureConfiguration configuration)
      throws Exception {
    application.role(role);
    super.run(bootstrap, namespace, configuration);
  }
}
