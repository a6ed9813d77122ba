package com.nurture.api;

/** The application with API and worker in one process, as the API tests run it. */
public class AllInOneApplication extends NurtureApplication {
  public AllInOneApplication() {
    role(Role.ALL);
  }
}
