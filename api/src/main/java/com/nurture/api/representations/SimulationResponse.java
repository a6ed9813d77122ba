package com.nurture.api.representations;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.nurture.api.core.Simulator;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What the journey would do for the imagined lead: each send, wait, branch, switch and exit; the
 * score after each scored event; and when the lead would be handed to sales (null: it would not be).
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record SimulationResponse(String program, Instant start, String finalStatus, String exitReason,
    long elapsedMillis, List<Item> timeline, List<Score> scores, Instant handedOffAt) {

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Item(Instant at, double day, String kind, Map<String, Object> detail) {}

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Score(Instant at, double day, String eventId, int total) {}

  public static SimulationResponse of(Simulator.Result r) {
    return new SimulationResponse(r.program(), r.start(), r.status(), r.reason(), r.elapsedMillis(),
        r.timeline().stream().map(e -> new Item(e.at(), e.day(), e.kind(), e.detail())).toList(),
        r.scores().stream().map(s -> new Score(s.at(), s.day(), s.eventId(), s.total())).toList(),
        r.handedOffAt().orElse(null));
  }
}
