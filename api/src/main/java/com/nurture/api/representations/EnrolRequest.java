package com.nurture.api.representations;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import jakarta.validation.constraints.Pattern;
import java.util.Optional;

/**
 * POST /v1/leads/{id}/journey. {@code program} may be left out (or the body sent empty): then the
 * fit x engagement matrix picks the track.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record EnrolRequest(
    @Pattern(regexp = "[a-z0-9][a-z0-9-]{0,63}", message = "is not a program id") String program) {
  public Optional<String> programId() {
    return Optional.ofNullable(program).filter(p -> !p.isBlank());
  }
}
