package com.nurture.workflows.policy;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Set;

/**
 * Local days and hours in which email may go out, e.g. Tuesday to Thursday 10:00-11:00. Read in the
 * lead's own time zone, so "10:00" is 10:00 where the lead is, summer or winter.
 */
public record SendWindow(Set<DayOfWeek> days, LocalTime from, LocalTime to) {
  public SendWindow {
    days = Set.copyOf(days);
    if (!to.isAfter(from)) {
      throw new IllegalArgumentException("a window ends after it starts");
    }
  }

  /** When this window is open on the given local date, as instants (DST gaps resolve forward). */
  ZonedDateTime opensOn(LocalDate date, ZoneId zone) {
    return ZonedDateTime.of(date, from, zone);
  }

  ZonedDateTime closesOn(LocalDate date, ZoneId zone) {
    return ZonedDateTime.of(date, to, zone);
  }
}
