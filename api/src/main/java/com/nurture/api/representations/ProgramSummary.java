package com.nurture.api.representations;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.nurture.activities.db.ProgramRow;
import java.time.Instant;

/** A program version in listings. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ProgramSummary(String id, int version, String name, Instant publishedAt, String checksum) {
  public static ProgramSummary of(ProgramRow row) {
    return new ProgramSummary(row.id(), row.version(), row.name(), row.publishedAt(), row.checksum());
  }
}
