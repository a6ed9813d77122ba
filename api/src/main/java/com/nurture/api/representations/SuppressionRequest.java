package com.nurture.api.representations;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** PUT /v1/suppressions/{email}: why (required) and where the suppression comes from (default {@code operator}). */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record SuppressionRequest(String reason, String source) {}
