package com.nurture.api.representations;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/**
 * The version to migrate to (default: the latest) and, for a bulk migration, how many journeys at
 * most and whether only to say who would move ({@code dry_run}).
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record MigrateRequest(@Min(1) Integer version, @Min(1) @Max(5000) Integer limit, Boolean dryRun) {
  /** A real migration (not a dry run). */
  public MigrateRequest(Integer version, Integer limit) {
    this(version, limit, null);
  }

  public boolean isDryRun() {
    return Boolean.TRUE.equals(dryRun);
  }
}
