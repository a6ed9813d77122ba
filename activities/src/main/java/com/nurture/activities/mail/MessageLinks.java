package com.nurture.activities.mail;

import com.nurture.activities.db.LinkToken;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The tracked links of one message: each original URL (and the open pixel, and the honeypot link)
 * gets an opaque random token (128 bits, base64url) while the message renders, and all of them are
 * recorded with the message's identity in one statement of its send's claim transaction
 * ({@link #record}). Tokens are keyed by (idempotency key, kind, URL), so a retried send finds the
 * tokens its first attempt recorded; {@link #record} swaps them into the rendered message, so the
 * same links go out and no duplicate rows are made.
 *
 * <p>Why one statement after rendering, not one per link while rendering: each statement is a round
 * trip with eleven bound values, and a welcome with no links of its own still has two (the pixel and
 * the honeypot); in the SMTP stage's profile those per-link statements were an eighth of the send
 * activity's execution samples (docs/benchmarks.md, "2026-12-03 23:42").
 */
public final class MessageLinks implements LinkTracker {
  private static final SecureRandom RANDOM = new SecureRandom();

  /** Who the message is: what every one of its tokens stands for besides the URL. */
  public record Message(String idempotencyKey, String messageId, String leadId, String programId, int programVersion,
      String stepId, String template, String variant) {}

  /** Records every link of a message in one go, answering each one's recorded token (by kind and URL). */
  @FunctionalInterface
  public interface Recorder {
    /** @return the recorded link for each of {@code links}: the offered token, or one recorded earlier */
    List<LinkToken> issueOrFind(Message message, List<LinkToken> links);
  }

  private final Message message;
  private final String base;
  private final String honeypotTarget;
  private final Map<String, LinkToken> issued = new LinkedHashMap<>();

  /**
   * @param publicUrl the API's public base URL (tracking URLs point here)
   * @param honeypotTarget where the honeypot link redirects (a scanner sees an ordinary redirect)
   */
  public MessageLinks(Message message, String publicUrl, String honeypotTarget) {
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

  /**
   * Records the links {@code rendered} was given and returns it with each token an earlier attempt
   * recorded in place of the one offered (a token is 22 random characters: replacing it replaces
   * nothing else). A message rendered without this tracker offered none, and nothing is recorded.
   */
  public RenderedEmail record(RenderedEmail rendered, Recorder recorder) {
    return issued.isEmpty() ? rendered : swap(rendered, recorder.issueOrFind(message, offered()));
  }

  /** The links the message was rendered with, each with the token it was offered (none: nothing to record). */
  public List<LinkToken> offered() {
    return List.copyOf(issued.values());
  }

  /**
   * {@code rendered} with each token {@code recorded} holds for one of its links in place of the token
   * offered for it ({@link #record}, when the caller recorded {@link #offered} itself).
   */
  public RenderedEmail swap(RenderedEmail rendered, List<LinkToken> recorded) {
    String text = rendered.text();
    String html = rendered.html();
    for (LinkToken link : recorded) {
      LinkToken offered = issued.get(keyOf(link.kind(), link.url()));
      if (offered != null && !offered.token().equals(link.token())) {
        text = text.replace(offered.token(), link.token());
        html = html.replace(offered.token(), link.token());
      }
    }
    return new RenderedEmail(rendered.subject(), text, html);
  }

  private String token(String kind, String url) {
    return issued.computeIfAbsent(keyOf(kind, url), k -> new LinkToken(newToken(), kind, url)).token();
  }

  /** What a token stands for within its message, as the table's unique key has it: (kind, URL). */
  private static String keyOf(String kind, String url) {
    return kind + " " + url;
  }

  /** 128 random bits, base64url without padding: nothing about the lead, message or URL in it. */
  static String newToken() {
    byte[] b = new byte[16];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }
}
