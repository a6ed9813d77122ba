package com.nurture.api.representations;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import jakarta.validation.constraints.Size;

/** Optional body of pause, resume and exit. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record CommandRequest(@Size(max = 500) String reason) {}
