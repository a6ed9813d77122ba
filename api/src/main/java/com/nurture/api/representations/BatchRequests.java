package com.nurture.api.representations;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;

/**
 * The bodies of POST /v1/events:batch and PUT /v1/leads:batch as the API description shows them:
 * a list of the single calls' bodies, each with the lead's id. BatchIntake reads them item by item
 * (so that each is answered on its own); these records only describe them.
 */
public final class BatchRequests {
  private BatchRequests() {}

  /** {@code {"events": [...]}}: up to {@code intake.batch_max} events. */
  public record Events(@NotNull @Size(min = 1) List<EventItem> events) {}

  /** {@code {"leads": [...]}}: up to {@code intake.batch_max} leads. */
  public record Leads(@NotNull @Size(min = 1) List<LeadItem> leads) {}

  /** An event of POST /v1/leads/{id}/events, with the lead's id in {@code lead_id}. */
  @Schema(allOf = EventRequest.class)
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record EventItem(@NotBlank @Pattern(regexp = LeadId.PATTERN) String leadId) {}

  /** A lead of PUT /v1/leads/{id}, with its id in {@code id}. */
  @Schema(allOf = LeadRequest.class)
  public record LeadItem(@NotBlank @Pattern(regexp = LeadId.PATTERN) String id) {}
}
