package com.nurture.activities.privacy;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.spec.SecretKeySpec;

/**
 * The master keys that wrap the lead data keys stored in {@code lead_keys}: the active one wraps new
 * keys, every one (the active and the retired) unwraps the keys it wrapped. AES-256-GCM, the key id
 * bound as associated data. Never logged.
 */
public final class MasterKeys {
  private static final SecureRandom RANDOM = new SecureRandom();
  private final String activeId;
  private final Map<String, SecretKeySpec> keys;

  private MasterKeys(String activeId, Map<String, SecretKeySpec> keys) {
    this.activeId = activeId;
    this.keys = Map.copyOf(keys);
  }

  /**
   * @param activeId the id of the key new data keys are wrapped with
   * @param base64Keys every master key by id, each 32 random bytes in base64 (the active one included)
   * @throws IllegalArgumentException naming the key that is missing or malformed (never its value)
   */
  public static MasterKeys of(String activeId, Map<String, String> base64Keys) {
    if (activeId == null || activeId.isBlank()) {
      throw new IllegalArgumentException("privacy.master_key_id is required");
    }
    Map<String, SecretKeySpec> keys = new LinkedHashMap<>();
    base64Keys.forEach((id, text) -> keys.put(id, new SecretKeySpec(decode(id, text), "AES")));
    if (!keys.containsKey(activeId)) {
      throw new IllegalArgumentException("privacy.master_key is required (NURTURE_MASTER_KEY: 32 random bytes in "
          + "base64, e.g. openssl rand -base64 32)");
    }
    return new MasterKeys(activeId, keys);
  }

  private static byte[] decode(String id, String text) {
    byte[] key;
    try {
      key = Base64.getDecoder().decode(text == null ? "" : text.trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("master key '" + id + "' is not base64 (NURTURE_MASTER_KEY: openssl rand -base64 32)");
    }
    if (key.length != 32) {
      throw new IllegalArgumentException("master key '" + id + "' must be 32 bytes (AES-256), it has " + key.length
          + " (NURTURE_MASTER_KEY: openssl rand -base64 32)");
    }
    return key;
  }

  /** A new random master key in base64, for configuration. */
  public static String generate() {
    byte[] key = new byte[32];
    RANDOM.nextBytes(key);
    return Base64.getEncoder().encodeToString(key);
  }

  public String activeId() {
    return activeId;
  }

  /** {@code nonce || AES-GCM(dataKey)} under the active master key. */
  public byte[] wrap(byte[] dataKey) {
    try {
      return AesGcm.seal(keys.get(activeId), activeId.getBytes(StandardCharsets.UTF_8), dataKey);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is unavailable", e);
    }
  }

  /** @throws IllegalStateException when the master key is not configured or the wrapped key does not verify */
  public byte[] unwrap(String masterKeyId, byte[] wrapped) {
    SecretKeySpec key = keys.get(masterKeyId);
    if (key == null) {
      throw new IllegalStateException("master key '" + masterKeyId + "' is not configured (privacy.retired_master_keys "
          + "must keep every key still wrapping a data key)");
    }
    try {
      return AesGcm.open(key, masterKeyId.getBytes(StandardCharsets.UTF_8), wrapped);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("a data key wrapped by master key '" + masterKeyId + "' does not verify "
          + "(wrong master key for that id?)", e);
    }
  }
}
