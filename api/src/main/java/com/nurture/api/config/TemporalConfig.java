package com.nurture.api.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.NotBlank;

/**
 * Where Temporal is. {@code target} is {@code host:port} of the frontend. {@code in-process} is for
 * the API tests only: an in-memory server their classpath provides ({@link
 * com.nurture.api.core.InProcessTemporal}); the runnable jar has none and refuses it at start-up.
 */
public class TemporalConfig {
  public static final String IN_PROCESS = "in-process";

  @NotBlank
  @JsonProperty
  public String target = "localhost:7233";

  @NotBlank
  @JsonProperty
  public String namespace = "default";

  /**
   * The Temporal Web UI's address (e.g. {@code http://localhost:8233}), for the console's link to a
   * lead's workflow; empty for no link. {@code dev} uses its own UI when this is empty.
   */
  @JsonProperty("ui_url")
  public String uiUrl = "";
}
