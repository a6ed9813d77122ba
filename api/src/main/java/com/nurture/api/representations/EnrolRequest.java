package com.nurture.api.representations;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;

/** POST /v1/leads/{id}/journey. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record EnrolRequest(
    @NotBlank(message = "is required: the id of a published program, e.g. onboarding")
    @Pattern(regexp = "[a-z0-9][a-z0-9-]{0,63}", message = "is not a program id") String program) {}
