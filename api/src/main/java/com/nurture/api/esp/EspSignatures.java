package com.nurture.api.esp;

import com.nurture.activities.sales.StandardWebhooks;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Each provider's proof that a delivery is theirs. Every check throws {@link Unverified} when the
 * proof is missing, does not match, or (where the scheme signs a timestamp) is more than
 * {@link #TOLERANCE} away from now.
 */
public final class EspSignatures {
  public static final Duration TOLERANCE = Duration.ofMinutes(5);

  private EspSignatures() {}

  /** Standard Webhooks: webhook-id, webhook-timestamp (seconds), webhook-signature over the raw body. */
  public static void standard(String secret, String id, String timestamp, String signature, byte[] body, Instant now) {
    if (id == null || timestamp == null || signature == null) {
      throw new Unverified("webhook-id, webhook-timestamp and webhook-signature are required");
    }
    long seconds = fresh(timestamp, "webhook-timestamp", now);
    if (!new StandardWebhooks(secret).verify(id, seconds, new String(body, StandardCharsets.UTF_8), signature)) {
      throw new Unverified("the signature does not match");
    }
  }

  /** Mailgun: {@code signature} is the hex HMAC-SHA256, keyed with the webhook signing key, of timestamp + token. */
  public static void mailgun(String signingKey, String timestamp, String token, String signature, Instant now) {
    if (timestamp == null || token == null || signature == null || timestamp.isEmpty() || token.isEmpty()) {
      throw new Unverified("signature.timestamp, signature.token and signature.signature are required");
    }
    fresh(timestamp, "signature.timestamp", now);
    byte[] expected = HexFormat.of().formatHex(hmac(signingKey, timestamp + token)).getBytes(StandardCharsets.US_ASCII);
    if (!MessageDigest.isEqual(expected, signature.trim().toLowerCase(java.util.Locale.ROOT)
        .getBytes(StandardCharsets.US_ASCII))) {
      throw new Unverified("the signature does not match");
    }
  }

  /** Mailgun's signature for these values (what a test, or a sender, computes). */
  public static String mailgunSignature(String signingKey, String timestamp, String token) {
    return HexFormat.of().formatHex(hmac(signingKey, timestamp + token));
  }

  /**
   * Postmark: HTTP basic auth with the configured user and password (Postmark signs nothing and
   * sends no timestamp, so there is no staleness to check; replays are same-id no-ops).
   */
  public static void postmark(String user, String password, String authorization) {
    basic(user, password, authorization);
  }

  /**
   * HTTP basic auth with the configured user and password, compared in constant time: the proof of
   * providers that sign nothing and post to a URL carrying the credentials.
   */
  public static void basic(String user, String password, String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
      throw new Unverified("HTTP basic authentication is required");
    }
    byte[] given;
    try {
      given = java.util.Base64.getDecoder().decode(authorization.substring(6).trim());
    } catch (IllegalArgumentException e) {
      throw new Unverified("the basic credentials are not base64");
    }
    byte[] expected = (user + ":" + password).getBytes(StandardCharsets.UTF_8);
    if (!MessageDigest.isEqual(expected, given)) {
      throw new Unverified("the credentials do not match");
    }
  }

  /**
   * SendGrid's signed Event Webhook: {@code signature} (the X-Twilio-Email-Event-Webhook-Signature
   * header) is a base64 DER ECDSA P-256 signature with SHA-256 over {@code timestamp} (the
   * X-Twilio-Email-Event-Webhook-Timestamp header, seconds) followed by the raw body, verified with
   * the configured verification key (base64 DER, SubjectPublicKeyInfo, as SendGrid shows it).
   */
  public static void sendgrid(String verificationKey, String timestamp, String signature, byte[] body, Instant now) {
    if (timestamp == null || signature == null) {
      throw new Unverified("X-Twilio-Email-Event-Webhook-Signature and -Timestamp are required");
    }
    fresh(timestamp, "X-Twilio-Email-Event-Webhook-Timestamp", now);
    java.security.PublicKey key;
    try {
      key = java.security.KeyFactory.getInstance("EC").generatePublic(
          new java.security.spec.X509EncodedKeySpec(java.util.Base64.getDecoder().decode(verificationKey.trim())));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalStateException("esp.sendgrid.verification_key is not a base64 DER EC public key", e);
    }
    boolean valid;
    try {
      java.security.Signature ecdsa = java.security.Signature.getInstance("SHA256withECDSA");
      ecdsa.initVerify(key);
      ecdsa.update(timestamp.getBytes(StandardCharsets.UTF_8));
      ecdsa.update(body);
      valid = ecdsa.verify(java.util.Base64.getDecoder().decode(signature.trim()));
    } catch (java.security.SignatureException | IllegalArgumentException e) {
      valid = false;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
    if (!valid) {
      throw new Unverified("the signature does not match");
    }
  }

  private static long fresh(String timestamp, String field, Instant now) {
    long seconds;
    try {
      seconds = Long.parseLong(timestamp.trim());
    } catch (NumberFormatException e) {
      throw new Unverified(field + " is not a number of seconds");
    }
    if (Duration.between(Instant.ofEpochSecond(seconds), now).abs().compareTo(TOLERANCE) > 0) {
      throw new Unverified("the delivery is stale (" + field + " more than 5 minutes away)");
    }
    return seconds;
  }

  private static byte[] hmac(String key, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
