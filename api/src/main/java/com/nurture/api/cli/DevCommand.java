package com.nurture.api.cli;

import com.nurture.api.NurtureApplication;
import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import io.dropwizard.configuration.ResourceConfigurationSourceProvider;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.core.setup.Bootstrap;
import net.sourceforge.argparse4j.inf.Namespace;

/**
 * {@code dev [config.yml]}: everything in one process on embedded defaults. Without a file it
 * reads the bundled {@code nurture-dev.yml} (env vars still apply).
 */
public class DevCommand extends RoleCommand {
  public DevCommand(NurtureApplication application) {
    super(application, NurtureApplication.Role.DEV, "dev",
        "Runs API, worker, embedded PostgreSQL, Temporal and an SMTP capture in one process");
  }

  /** Without a file argument, reads the bundled nurture-dev.yml from the classpath. */
  @Override
  public void run(Bootstrap<?> bootstrap, Namespace namespace) throws Exception {
    if (namespace.getString("file") == null) {
      namespace.getAttrs().put("file", "nurture-dev.yml");
      bootstrap.setConfigurationSourceProvider(new SubstitutingSourceProvider(
          new ResourceConfigurationSourceProvider(), new EnvironmentVariableSubstitutor(false, true)));
    }
    super.run(bootstrap, namespace);
  }
}
