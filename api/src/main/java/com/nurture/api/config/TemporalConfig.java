package com.nurture.api.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.NotBlank;

/**
 * Where Temporal is. {@code target} is {@code host:port} of the frontend, or {@code in-process}
 * for Temporal's in-memory test server (nothing survives a restart; dev fallback and tests).
 */
public class TemporalConfig {
  public static final String IN_PROCESS = "in-process";

  @NotBlank
  @JsonProperty
  public String target = "localhost:7233";

  @NotBlank
  @JsonProperty
  public String namespace = "default";
}
