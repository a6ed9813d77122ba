package com.nurture.api.representations;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.nurture.api.core.Simulator;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** What the real workflow did for the imagined lead: each send, wait, branch, switch and exit. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record SimulationResponse(String program, Instant start, String finalStatus, String exitReason,
    long elapsedMillis, List<Item> timeline) {

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Item(Instant at, double day, String kind, Map<String, Object> detail) {}

  public static SimulationResponse of(Simulator.Result r) {
    return new SimulationResponse(r.program(), r.start(), r.status(), r.reason(), r.elapsedMillis(),
        r.timeline().stream().map(e -> new Item(e.at(), e.day(), e.kind(), e.detail())).toList());
  }
}
