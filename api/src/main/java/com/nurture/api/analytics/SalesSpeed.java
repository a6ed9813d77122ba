package com.nurture.api.analytics;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.nurture.activities.db.SalesSpeedRow;
import java.time.Instant;
import java.util.List;

/**
 * GET /v1/sales-speed: how fast sales answered the hand-offs made in a period, per owner and for
 * everyone (DOMAIN.md: a first response in 4 hours instead of 3 days lifted win rate from 12% to
 * 20%). docs/analytics.md, "Sales speed".
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record SalesSpeed(Instant from, Instant to, Instant computedAt, Owner total, List<Owner> owners) {

  /** One owner's hand-offs ("" when nobody owns them); hours are medians and p90 over the answered. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Owner(String owner, long handoffs, long answered, long answeredWithinSla, long accepted,
      double acceptanceRate, Double medianHoursToAnswer, Double p90HoursToAnswer, Double medianHoursToAcceptance) {
    static Owner of(SalesSpeedRow r) {
      return new Owner(r.owner(), r.handoffs(), r.answered(), r.answeredWithinSla(), r.accepted(),
          Proportions.rate(r.accepted(), r.handoffs()), r.medianSecondsToAnswer().map(SalesSpeed::hours).orElse(null),
          r.p90SecondsToAnswer().map(SalesSpeed::hours).orElse(null),
          r.medianSecondsToAcceptance().map(SalesSpeed::hours).orElse(null));
    }
  }

  public static SalesSpeed of(Instant from, Instant to, Instant computedAt, List<SalesSpeedRow> rows) {
    Owner total = rows.stream().filter(SalesSpeedRow::total).findFirst().map(Owner::of)
        .orElse(new Owner("", 0, 0, 0, 0, 0, null, null, null));
    return new SalesSpeed(from, to, computedAt, total, rows.stream().filter(r -> !r.total()).map(Owner::of).toList());
  }

  private static double hours(double seconds) {
    return seconds / 3600;
  }
}
