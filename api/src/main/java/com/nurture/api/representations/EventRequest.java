package com.nurture.api.representations;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.nurture.workflows.journey.EventType;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.Map;

/** POST /v1/leads/{id}/events: one behaviour event; {@code id} makes it idempotent. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record EventRequest(
    @NotBlank @Size(max = 200) String id,
    @NotNull EventType type,
    Instant occurredAt,
    Map<@Size(max = 64) String, Object> properties) {}
