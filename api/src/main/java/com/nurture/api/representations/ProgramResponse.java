package com.nurture.api.representations;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Instant;
import java.util.List;

/** One version of a program: its source as published, the definition as JSON, and every version. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ProgramResponse(String id, int version, String name, Instant publishedAt, String source,
    JsonNode definition, List<ProgramSummary> versions) {}
