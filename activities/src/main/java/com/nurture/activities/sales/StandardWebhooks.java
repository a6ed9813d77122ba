package com.nurture.activities.sales;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signatures per the Standard Webhooks specification: {@code webhook-signature: v1,<base64 of
 * HMAC-SHA256(secret, "{webhook-id}.{webhook-timestamp}.{body}")>}, with the secret given as
 * {@code whsec_<base64>} (or plain text).
 */
public final class StandardWebhooks {
  private final byte[] key;

  public StandardWebhooks(String secret) {
    this.key = secret.startsWith("whsec_") ? Base64.getDecoder().decode(secret.substring(6))
        : secret.getBytes(StandardCharsets.UTF_8);
  }

  public String sign(String id, long timestampSeconds, String body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      byte[] sig = mac.doFinal((id + "." + timestampSeconds + "." + body).getBytes(StandardCharsets.UTF_8));
      return "v1," + Base64.getEncoder().encodeToString(sig);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Whether {@code signatures} (the webhook-signature header: one or more space-separated
   * {@code v1,<base64>}) holds this message's signature. Compared in constant time.
   */
  public boolean verify(String id, long timestampSeconds, String body, String signatures) {
    byte[] expected = sign(id, timestampSeconds, body).getBytes(StandardCharsets.UTF_8);
    for (String candidate : signatures.trim().split("\\s+")) {
      if (java.security.MessageDigest.isEqual(expected, candidate.getBytes(StandardCharsets.UTF_8))) {
        return true;
      }
    }
    return false;
  }
}
