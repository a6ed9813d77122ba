package com.nurture.api.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.nurture.activities.privacy.MasterKeys;
import com.nurture.activities.privacy.StoredDataKeys;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;

/**
 * {@code privacy}: the master key that wraps the per-lead keys encrypting Temporal payloads, the
 * keys it replaced (still unwrapping what they wrapped), the key cache, and the origins of the
 * Temporal Web UI allowed to call the codec endpoint (docs/privacy.md).
 */
public class PrivacyConfig {
  /** The active master key's id, stored beside every key it wraps. */
  @JsonProperty("master_key_id")
  public String masterKeyId = "k1";

  /** 32 random bytes in base64 ({@code NURTURE_MASTER_KEY}; {@code openssl rand -base64 32}). Required. */
  @JsonProperty("master_key")
  public String masterKey;

  /** Master keys rotated out, by id: they unwrap the data keys they wrapped until those are re-wrapped. */
  @NotNull
  @JsonProperty("retired_master_keys")
  public Map<String, String> retiredMasterKeys = new LinkedHashMap<>();

  @Min(1) @Max(10_000_000)
  @JsonProperty("key_cache_size")
  public int keyCacheSize = 10_000;

  /** How long an unwrapped key stays in a process's memory (a key destroyed elsewhere is gone here after this). */
  @NotNull
  @JsonDeserialize(using = DurationTextDeserializer.class)
  @JsonProperty("key_cache_lifetime")
  public Duration keyCacheLifetime = Duration.ofMinutes(5);

  /** Origins (scheme://host:port) of Temporal Web UIs that may call /codec from the browser. */
  @NotNull
  @JsonProperty("codec_cors_origins")
  public List<String> codecCorsOrigins = new ArrayList<>(List.of("http://localhost:8233"));

  /** @throws IllegalArgumentException naming what is missing or malformed (never a key's value) */
  public MasterKeys masterKeys() {
    Map<String, String> all = new LinkedHashMap<>(retiredMasterKeys);
    if (masterKey != null && !masterKey.isBlank() && !masterKey.startsWith("${")) {
      all.put(masterKeyId, masterKey);
    }
    return MasterKeys.of(masterKeyId, all);
  }

  public StoredDataKeys dataKeys(Jdbi jdbi) {
    return new StoredDataKeys(jdbi, masterKeys(), keyCacheSize, keyCacheLifetime, Clock.systemUTC());
  }
}
