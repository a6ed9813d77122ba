package com.nurture.api.representations;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.nurture.activities.db.SuppressionEntry;
import java.time.Instant;
import java.util.List;

/** A suppressed address: why, from where, by whom (an API key's name, or null when Nurture suppressed it). */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record SuppressionResponse(String email, String reason, String source, String leadId, String addedBy, Instant at) {
  public static SuppressionResponse of(SuppressionEntry e) {
    return new SuppressionResponse(e.email(), e.reason(), e.source(), e.leadId(), e.addedBy(), e.at());
  }

  /** A page of the list, newest first; pass {@code next_cursor} as {@code cursor} for more. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Page(List<SuppressionResponse> items, String nextCursor) {}

  /** The audit of one address: every operator change, oldest first, and whether it is suppressed now. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Audit(String email, boolean suppressed, List<AuditItem> items) {}

  /** For a removal, {@code suppressed_reason} and {@code suppressed_at} say what was removed. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record AuditItem(String action, String reason, String source, String actor, Instant at,
      String suppressedReason, Instant suppressedAt) {}

  /** A CSV import: counts and one result per data row. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record ImportResult(int added, int already, int invalid, List<ImportRow> rows) {}

  /** {@code result}: added, already or invalid; an invalid row names its {@code field} and why. */
  @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record ImportRow(int row, String email, String result, String field, String message) {}
}
