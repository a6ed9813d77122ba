package com.nurture.api.representations;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.nurture.activities.db.LeadRecord;
import java.time.Instant;
import java.util.Map;

@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record LeadResponse(String id, String email, String timezone, String consent, Map<String, Object> attributes,
    Instant createdAt, Instant updatedAt) {
  public static LeadResponse of(LeadRecord r) {
    return new LeadResponse(r.id(), r.email(), r.timezone(), r.consent(), r.attributes(), r.createdAt(), r.updatedAt());
  }
}
