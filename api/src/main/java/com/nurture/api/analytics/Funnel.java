package com.nurture.api.analytics;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.nurture.activities.db.FunnelRow;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * GET /v1/funnel: the leads that entered nurture in a period, how many reached each lifecycle stage,
 * the conversion from the stage before and the median time between them (docs/analytics.md, "Funnel").
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record Funnel(Instant from, Instant to, String program, String segment, Instant computedAt, List<Stage> stages,
    Double medianHoursEnrolledToMql) {

  /**
   * A stage: {@code leads} that reached it; {@code conversion} = leads / leads of the stage before
   * (null for the first, or when the stage before has none); the median hours from the stage before,
   * over the leads that reached both.
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Stage(String stage, long leads, Double conversion, Double medianHoursFromPrevious) {}

  public static Funnel of(Instant from, Instant to, String program, String segment, Instant computedAt, FunnelRow r) {
    long[] leads = {r.enrolled(), r.engaged(), r.mql(), r.handedOff(), r.accepted(), r.graduated(), r.customers()};
    String[] names = {"enrolled", "engaged", "mql", "handed_off", "accepted", "graduated", "customer"};
    List<Optional<Double>> between = List.of(Optional.empty(), r.enrolledToEngaged(), r.engagedToMql(),
        r.mqlToHandedOff(), r.handedOffToAccepted(), r.acceptedToGraduated(), r.graduatedToCustomer());
    List<Stage> stages = new ArrayList<>();
    for (int i = 0; i < leads.length; i++) {
      Double conversion = i == 0 || leads[i - 1] == 0 ? null : (double) leads[i] / leads[i - 1];
      stages.add(new Stage(names[i], leads[i], conversion, between.get(i).map(Funnel::hours).orElse(null)));
    }
    return new Funnel(from, to, program, segment, computedAt, stages,
        r.enrolledToMql().map(Funnel::hours).orElse(null));
  }

  private static double hours(double seconds) {
    return seconds / 3600;
  }
}
