package com.nurture.api.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Pattern;
import java.util.Set;

/**
 * One API key, configured by the SHA-256 of the key (hex), never the key itself. Make one with
 * {@code java -jar nurture.jar api-key}.
 */
public class ApiKeyConfig {
  @NotBlank
  @JsonProperty
  public String name;

  @Pattern(regexp = "[0-9a-f]{64}", message = "must be the hex SHA-256 of the key")
  @JsonProperty
  public String sha256;

  @NotEmpty
  @JsonProperty
  public Set<@Pattern(regexp = "ma|sales|operator") String> roles = Set.of();
}
