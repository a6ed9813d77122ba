package com.nurture.activities.mail;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The tracked links of one message, issued inside its send's claim transaction: each original URL
 * (and the open pixel, and the honeypot link) gets an opaque random token (128 bits, base64url)
 * recorded with the message's identity. Tokens are keyed by (idempotency key, kind, URL), so a
 * retried send finds and reuses the tokens its first attempt recorded: the same links go out, and
 * no duplicate rows are made.
 */
public final class MessageLinks implements LinkTracker {
  private static final SecureRandom RANDOM = new SecureRandom();

  /** Who the message is: what every one of its tokens stands for besides the URL. */
  public record Message(String idempotencyKey, String messageId, String leadId, String programId, int programVersion,
      String stepId, String template, String variant) {}

  /** Records a token for the message's (kind, URL), or answers the one an earlier attempt recorded. */
  @FunctionalInterface
  public interface Issuer {
    String issueOrFind(String token, Message message, String kind, String url);
  }

  private final Issuer issuer;
  private final Message message;
  private final String base;
  private final String honeypotTarget;
  private final Map<String, String> issued = new HashMap<>();

  /**
   * @param publicUrl the API's public base URL (tracking URLs point here)
   * @param honeypotTarget where the honeypot link redirects (a scanner sees an ordinary redirect)
   */
  public MessageLinks(Issuer issuer, Message message, String publicUrl, String honeypotTarget) {
    this.issuer = issuer;
    this.message = message;
    this.base = publicUrl.endsWith("/") ? publicUrl.substring(0, publicUrl.length() - 1) : publicUrl;
    this.honeypotTarget = honeypotTarget;
  }

  @Override
  public String click(String url) {
    return base + "/t/c/" + token("click", url);
  }

  @Override
  public Optional<String> openPixel() {
    return Optional.of(base + "/t/o/" + token("open", ""));
  }

  @Override
  public Optional<String> honeypot() {
    return Optional.of(base + "/t/c/" + token("honeypot", honeypotTarget));
  }

  @Override
  public boolean untouchable(String url) {
    return url.startsWith(base + "/u/") || url.startsWith(base + "/t/");
  }

  private String token(String kind, String url) {
    return issued.computeIfAbsent(kind + " " + url, k -> issuer.issueOrFind(newToken(), message, kind, url));
  }

  /** 128 random bits, base64url without padding: nothing about the lead, message or URL in it. */
  static String newToken() {
    byte[] b = new byte[16];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }
}
