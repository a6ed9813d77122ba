package com.nurture.api.representations;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.nurture.activities.db.JourneyListRow;
import java.time.Instant;

/** One journey in GET /v1/journeys: the mirror as of its last transition, with the lead's owner. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record JourneySummary(String leadId, String program, int programVersion, String status, String currentStep,
    int score, String owner, Instant nextActionAt, Instant enrolledAt, Instant updatedAt) {

  public static JourneySummary of(JourneyListRow r) {
    return new JourneySummary(r.leadId(), r.programId(), r.programVersion(), r.status(), r.currentStep(), r.score(),
        r.ownerEmail().orElse(null), r.nextActionAt().orElse(null), r.enrolledAt(), r.updatedAt());
  }
}
