package com.nurture.api.representations;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.nurture.workflows.journey.EventType;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.Map;

/**
 * POST /v1/leads/{id}/events: one behaviour event; {@code id} makes it idempotent. Properties reach
 * templates and the timeline, so their keys and string values hold no control character. How far
 * in the future {@code occurred_at} may be is configuration ({@code events.max_clock_skew}),
 * checked by the resource.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record EventRequest(
    @NotBlank @NoControlChars @Size(max = 200) String id,
    @NotNull EventType type,
    Instant occurredAt,
    @NoControlChars Map<@Size(max = 64) String, Object> properties) {}
