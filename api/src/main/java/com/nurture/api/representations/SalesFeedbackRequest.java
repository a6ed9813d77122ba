package com.nurture.api.representations;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;

/** POST /v1/leads/{id}/sales-feedback: accepted, rejected, or not_now with until. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record SalesFeedbackRequest(
    @NotNull @Pattern(regexp = "accepted|rejected|not_now", message = "must be accepted, rejected or not_now") String outcome,
    Instant until,
    @Size(max = 1000) String note) {}
