package com.nurture.activities.mail;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signed unsubscribe tokens: {@code base64url(leadId \n email) . base64url(HMAC-SHA256)}. The
 * signature makes them unguessable and tamper-evident without storing anything; the address in
 * the token is the one the mail went to, so the right address is suppressed even if the lead's
 * address changed since.
 */
public final class UnsubscribeTokens {
  /** What a valid token names. */
  public record Subject(String leadId, String email) {}

  private static final Base64.Encoder ENC = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder DEC = Base64.getUrlDecoder();
  private final SecretKeySpec key;

  /** @param secret at least 32 bytes of secret material */
  public UnsubscribeTokens(byte[] secret) {
    if (secret.length < 32) {
      throw new IllegalArgumentException("the unsubscribe signing key must be at least 32 bytes");
    }
    this.key = new SecretKeySpec(secret, "HmacSHA256");
  }

  public String issue(String leadId, String email) {
    byte[] payload = (leadId + "\n" + email).getBytes(StandardCharsets.UTF_8);
    return ENC.encodeToString(payload) + "." + ENC.encodeToString(mac(payload));
  }

  /** @return the lead and address, or empty for a forged, altered or malformed token */
  public Optional<Subject> verify(String token) {
    if (token == null || token.length() > 2048) {
      return Optional.empty();
    }
    int dot = token.indexOf('.');
    if (dot <= 0 || dot != token.lastIndexOf('.')) {
      return Optional.empty();
    }
    try {
      String payloadText = token.substring(0, dot);
      String signatureText = token.substring(dot + 1);
      byte[] payload = DEC.decode(payloadText);
      byte[] signature = DEC.decode(signatureText);
      // Only the canonical encoding is valid: base64 lets several spellings decode to the same bytes.
      boolean canonical = ENC.encodeToString(payload).equals(payloadText) && ENC.encodeToString(signature).equals(signatureText);
      if (!canonical || !MessageDigest.isEqual(signature, mac(payload))) {
        return Optional.empty();
      }
      String[] parts = new String(payload, StandardCharsets.UTF_8).split("\n", 2);
      return parts.length == 2 ? Optional.of(new Subject(parts[0], parts[1])) : Optional.empty();
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private byte[] mac(byte[] payload) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return mac.doFinal(payload);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }
}
