package com.nurture.api.console;

import java.util.List;
import java.util.function.Predicate;

/** The console's sections, in navigation order, and who sees each (DESIGN section 12; docs/console.md). */
public final class ConsoleNav {
  /** One section: its link, its label's message key, and which sessions see it. */
  public record Entry(String section, String href, String labelKey, Predicate<ConsoleSession> visibleTo) {}

  private static final List<Entry> ENTRIES = List.of(
      new Entry("overview", "/console/overview", "nav.overview", ConsoleSession::isOperator),
      new Entry("programs", "/console/programs", "nav.programs", ConsoleSession::isOperator),
      new Entry("leads", "/console/leads", "nav.leads", ConsoleSession::isOperator),
      new Entry("sales", "/console/sales", "nav.sales", ConsoleSession::seesSalesQueue),
      new Entry("alerts", "/console/alerts", "nav.alerts", ConsoleSession::seesSalesQueue),
      new Entry("suppressions", "/console/suppressions", "nav.suppressions", ConsoleSession::isOperator));

  private ConsoleNav() {}

  public static List<Entry> entries() {
    return ENTRIES;
  }

  /** Where a session lands after signing in: the first section it sees. */
  public static String home(ConsoleSession session) {
    return ENTRIES.stream().filter(e -> e.visibleTo().test(session)).map(Entry::href).findFirst()
        .orElse("/console/sign-in");
  }
}
