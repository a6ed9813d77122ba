package com.nurture.api.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.nurture.api.limits.PayloadLimits;
import io.dropwizard.util.DataSize;
import io.dropwizard.validation.MaxDataSize;
import io.dropwizard.validation.MinDataSize;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/**
 * What the API takes from a client before refusing it (docs/api.md, "Limits"): the body's size
 * (413, checked before the body is read) and the shape of free-form objects (event properties,
 * lead attributes: 422 naming the field and the limit). Batch size is {@code intake.batch_max}.
 */
public class LimitsConfig {
  @NotNull
  @MinDataSize(1024)
  @MaxDataSize(value = 64, unit = io.dropwizard.util.DataSizeUnit.MEBIBYTES)
  @JsonProperty("max_body_size")
  public DataSize maxBodySize = DataSize.mebibytes(1);

  /** Properties of one object in all: every key at any depth and every list item. */
  @Min(1) @Max(10_000)
  @JsonProperty("max_properties")
  public int maxProperties = PayloadLimits.DEFAULTS.maxProperties();

  /** Levels of nesting; the object itself is level 1. */
  @Min(1) @Max(32)
  @JsonProperty("max_depth")
  public int maxDepth = PayloadLimits.DEFAULTS.maxDepth();

  @Min(1) @Max(64)
  @JsonProperty("max_key_length")
  public int maxKeyLength = PayloadLimits.DEFAULTS.maxKeyLength();

  @Min(1) @Max(1_000_000)
  @JsonProperty("max_string_length")
  public int maxStringLength = PayloadLimits.DEFAULTS.maxStringLength();

  public PayloadLimits payload() {
    return new PayloadLimits(maxProperties, maxDepth, maxKeyLength, maxStringLength);
  }
}
