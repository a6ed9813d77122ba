package com.nurture.api.console;

/** The overview: the funnel, sends per day, bounce and complaint rates, open alerts. */
public final class OverviewPage extends ConsolePage {
  OverviewPage(ConsoleContext context) {
    super("overview.ftlh", context, "overview.title", "overview");
  }
}
