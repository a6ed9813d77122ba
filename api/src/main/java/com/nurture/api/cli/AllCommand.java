package com.nurture.api.cli;

import com.nurture.api.NurtureApplication;

/**
 * {@code all config.yml}: the REST API and a Temporal worker in one process, on the configured
 * services. Its API starts a sign-up's journey eagerly (the first workflow task in the start's
 * answer, run by this process's worker), which a {@code server} process, having no worker, cannot.
 */
public class AllCommand extends RoleCommand {
  public AllCommand(NurtureApplication application) {
    super(application, NurtureApplication.Role.ALL, "all",
        "Runs the REST API and a Temporal worker in one process (sign-ups' journeys start eagerly)");
  }
}
