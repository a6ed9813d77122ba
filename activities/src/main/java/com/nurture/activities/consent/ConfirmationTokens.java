package com.nurture.activities.consent;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Double opt-in link tokens: {@code c1.<base64url(HMAC-SHA256(key, lead \n journey))>}. Opaque (no
 * lead id or address in them), the same for every retry of one journey's request (so a resent
 * email carries the same link), and not forgeable without the key, derived from
 * {@code mail.signing_key}. A token is only valid while its row exists (found by its SHA-256).
 */
public final class ConfirmationTokens {
  private static final String PREFIX = "c1.";
  private final SecretKeySpec key;

  public ConfirmationTokens(byte[] secret) {
    if (secret.length < 32) {
      throw new IllegalArgumentException("the signing key must be at least 32 bytes");
    }
    this.key = new SecretKeySpec(hmac(new SecretKeySpec(secret, "HmacSHA256"),
        "nurture double opt-in token".getBytes(StandardCharsets.UTF_8)), "HmacSHA256");
  }

  public String issue(String leadId, String journeyKey) {
    byte[] mac = hmac(key, (leadId + "\n" + journeyKey).getBytes(StandardCharsets.UTF_8));
    return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(mac);
  }

  /** What the database keeps of a token (hex SHA-256), and looks it up by. */
  public static String hash(String token) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Whether the text could be a token at all (checked before any lookup). */
  public static boolean wellFormed(String token) {
    return token != null && token.startsWith(PREFIX) && token.length() == PREFIX.length() + 43
        && token.substring(PREFIX.length()).matches("[A-Za-z0-9_-]+");
  }

  private static byte[] hmac(SecretKeySpec key, byte[] data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return mac.doFinal(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }
}
