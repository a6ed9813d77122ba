package com.nurture.workflows.policy;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * When a lead may be emailed: inside one of the windows (in the lead's time zone, or the policy's
 * when the lead has none), at least {@code minGap} after the previous email, and no more than
 * {@code maxPer7Days} in any rolling 7 days. Enforced by the journey before every send, across all
 * the programs a lead goes through. Pure: {@link #nextAllowed} is a function of its arguments.
 *
 * @param maxPer7Days 0 for no cap
 */
public record SendPolicy(String name, ZoneId timezone, List<SendWindow> windows, Duration minGap, int maxPer7Days) {
  static final Duration WEEK = Duration.ofDays(7);

  public SendPolicy {
    windows = List.copyOf(windows);
  }

  private static final EnumSet<DayOfWeek> TUE_THU = EnumSet.of(DayOfWeek.TUESDAY, DayOfWeek.WEDNESDAY, DayOfWeek.THURSDAY);
  private static final EnumSet<DayOfWeek> WEEKDAYS = EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY);

  /**
   * The built-in policies. {@code best-times} is the default (DOMAIN.md: Tuesday to Thursday around
   * 10:00 and 16:00 local; 2-3 emails a week at most for an engaged lead, so at most 3 in 7 days and
   * a day between two).
   */
  public static final Map<String, SendPolicy> BUILT_IN = Map.of(
      "best-times", new SendPolicy("best-times", ZoneId.of("UTC"), List.of(
          new SendWindow(TUE_THU, LocalTime.of(10, 0), LocalTime.of(11, 0)),
          new SendWindow(TUE_THU, LocalTime.of(16, 0), LocalTime.of(17, 0))), Duration.ofDays(1), 3),
      "business-hours", new SendPolicy("business-hours", ZoneId.of("UTC"), List.of(
          new SendWindow(WEEKDAYS, LocalTime.of(9, 0), LocalTime.of(17, 0))), Duration.ofDays(1), 3),
      "waking-hours", new SendPolicy("waking-hours", ZoneId.of("UTC"), List.of(
          new SendWindow(EnumSet.allOf(DayOfWeek.class), LocalTime.of(8, 0), LocalTime.of(20, 0))), Duration.ofHours(12), 3),
      "none", new SendPolicy("none", ZoneId.of("UTC"), List.of(), Duration.ZERO, 0));

  public static final String DEFAULT = "best-times";

  public static SendPolicy defaultPolicy() {
    return BUILT_IN.get(DEFAULT);
  }

  /**
   * The earliest instant at or after {@code at} when an email may go to a lead.
   *
   * @param leadZone the lead's time zone, if known
   * @param sent when the lead's earlier emails went out (any order)
   */
  public Instant nextAllowed(Instant at, Optional<ZoneId> leadZone, List<Instant> sent) {
    return nextAllowed(at, leadZone, sent, true);
  }

  /** @param inWindows false for an immediate send: only the gap and the cap apply */
  public Instant nextAllowed(Instant at, Optional<ZoneId> leadZone, List<Instant> sent, boolean inWindows) {
    ZoneId zone = leadZone.orElse(timezone);
    Instant t = at;
    for (int round = 0; round < 64; round++) {
      Instant before = t;
      t = afterGap(t, sent);
      t = afterCap(t, sent);
      t = inWindows ? inWindow(t, zone) : t;
      if (t.equals(before)) {
        return t;
      }
    }
    return t;
  }

  private Instant afterGap(Instant t, List<Instant> sent) {
    if (minGap.isZero()) {
      return t;
    }
    Instant latest = null;
    for (Instant s : sent) {
      if (!s.isAfter(t) && (latest == null || s.isAfter(latest))) {
        latest = s;
      }
    }
    return latest != null && t.isBefore(latest.plus(minGap)) ? latest.plus(minGap) : t;
  }

  private Instant afterCap(Instant t, List<Instant> sent) {
    if (maxPer7Days <= 0) {
      return t;
    }
    List<Instant> inWeek = new ArrayList<>();
    for (Instant s : sent) {
      if (s.isAfter(t.minus(WEEK)) && !s.isAfter(t)) {
        inWeek.add(s);
      }
    }
    if (inWeek.size() < maxPer7Days) {
      return t;
    }
    inWeek.sort(null);
    // The week frees up when enough of its emails have aged past 7 days.
    return inWeek.get(inWeek.size() - maxPer7Days).plus(WEEK);
  }

  private Instant inWindow(Instant t, ZoneId zone) {
    if (windows.isEmpty()) {
      return t;
    }
    LocalDate day = t.atZone(zone).toLocalDate();
    Instant best = null;
    for (int d = 0; d < 8 && best == null; d++) {
      LocalDate date = day.plusDays(d);
      for (SendWindow w : windows) {
        if (!w.days().contains(date.getDayOfWeek())) {
          continue;
        }
        ZonedDateTime open = w.opensOn(date, zone);
        ZonedDateTime close = w.closesOn(date, zone);
        if (!t.isBefore(close.toInstant())) {
          continue;
        }
        Instant candidate = t.isBefore(open.toInstant()) ? open.toInstant() : t;
        if (best == null || candidate.isBefore(best)) {
          best = candidate;
        }
      }
    }
    return best == null ? t : best;
  }

  /** The same policy with another default time zone. */
  public SendPolicy withTimezone(ZoneId zone) {
    return new SendPolicy(name, zone, windows, minGap, maxPer7Days);
  }
}
