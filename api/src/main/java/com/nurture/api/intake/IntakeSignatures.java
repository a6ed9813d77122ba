package com.nurture.api.intake;

import com.nurture.api.esp.Unverified;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Each MA system's proof that a call is theirs; every check throws {@link Unverified} when the
 * proof is missing, does not match, or (HubSpot) is more than {@link #TOLERANCE} old.
 */
public final class IntakeSignatures {
  public static final Duration TOLERANCE = Duration.ofMinutes(5);

  private IntakeSignatures() {}

  /**
   * HubSpot v3: {@code X-HubSpot-Signature-v3} is base64(HMAC-SHA256(client secret, method + URI +
   * body + timestamp)), {@code X-HubSpot-Request-Timestamp} in epoch milliseconds. The URI is the one
   * HubSpot called; {@code uris} are the candidates (the configured public URL's, the request's own).
   */
  public static void hubspot(String secret, String signature, String timestamp, String method, List<String> uris,
      byte[] body, Instant now) {
    if (signature == null || signature.isBlank() || timestamp == null || timestamp.isBlank()) {
      throw new Unverified("X-HubSpot-Signature-v3 and X-HubSpot-Request-Timestamp are required");
    }
    long millis;
    try {
      millis = Long.parseLong(timestamp.trim());
    } catch (NumberFormatException e) {
      throw new Unverified("X-HubSpot-Request-Timestamp is not epoch milliseconds");
    }
    if (Duration.between(Instant.ofEpochMilli(millis), now).abs().compareTo(TOLERANCE) > 0) {
      throw new Unverified("X-HubSpot-Request-Timestamp is more than 5 minutes from now");
    }
    byte[] given = signature.trim().getBytes(StandardCharsets.US_ASCII);
    for (String uri : uris) {
      if (MessageDigest.isEqual(hubspotSignature(secret, method, uri, body, timestamp.trim())
          .getBytes(StandardCharsets.US_ASCII), given)) {
        return;
      }
    }
    throw new Unverified("the signature does not match");
  }

  /** What HubSpot sends for this request (tests and senders compute it the same way). */
  public static String hubspotSignature(String secret, String method, String uri, byte[] body, String timestamp) {
    byte[] head = (method + decodeUri(uri)).getBytes(StandardCharsets.UTF_8);
    byte[] tail = timestamp.getBytes(StandardCharsets.UTF_8);
    byte[] all = new byte[head.length + body.length + tail.length];
    System.arraycopy(head, 0, all, 0, head.length);
    System.arraycopy(body, 0, all, head.length, body.length);
    System.arraycopy(tail, 0, all, head.length + body.length, tail.length);
    return Base64.getEncoder().encodeToString(hmac("HmacSHA256", secret, all));
  }

  /** HubSpot signs the URI with these characters decoded. */
  static String decodeUri(String uri) {
    String[][] codes = {{"%3A", ":"}, {"%2F", "/"}, {"%3F", "?"}, {"%40", "@"}, {"%21", "!"}, {"%24", "$"},
        {"%27", "'"}, {"%28", "("}, {"%29", ")"}, {"%2A", "*"}, {"%2C", ","}, {"%3B", ";"}};
    String out = uri;
    for (String[] c : codes) {
      out = out.replace(c[0], c[1]).replace(c[0].toLowerCase(Locale.ROOT), c[1]);
    }
    return out;
  }

  /** Segment's webhook destination: {@code X-Signature} is the hex HMAC-SHA1 of the body with the shared secret. */
  public static void segment(String secret, String signature, byte[] body) {
    if (signature == null || signature.isBlank()) {
      throw new Unverified("X-Signature is required");
    }
    byte[] expected = segmentSignature(secret, body).getBytes(StandardCharsets.US_ASCII);
    if (!MessageDigest.isEqual(expected, signature.trim().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII))) {
      throw new Unverified("the signature does not match");
    }
  }

  public static String segmentSignature(String secret, byte[] body) {
    return HexFormat.of().formatHex(hmac("HmacSHA1", secret, body));
  }

  /**
   * A shared secret the sender carries (Marketo and Account Engagement sign nothing): the header
   * {@code X-Nurture-Token}, else the query parameter {@code token}; compared in constant time.
   */
  public static void sharedSecret(String secret, String header, String query) {
    String given = header != null && !header.isBlank() ? header.trim() : query;
    if (given == null || given.isBlank()) {
      throw new Unverified("the X-Nurture-Token header or the token query parameter is required");
    }
    if (!MessageDigest.isEqual(sha256(secret), sha256(given.trim()))) {
      throw new Unverified("the token does not match");
    }
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] hmac(String algorithm, String secret, byte[] data) {
    try {
      Mac mac = Mac.getInstance(algorithm);
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), algorithm));
      return mac.doFinal(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(algorithm + " is not available", e);
    }
  }
}
