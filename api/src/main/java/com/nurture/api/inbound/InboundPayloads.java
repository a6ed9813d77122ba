package com.nurture.api.inbound;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nurture.activities.inbound.InboundMail;
import com.nurture.api.config.InboundConfig;
import com.nurture.api.errors.ProblemException;
import com.nurture.api.esp.EspSignatures;
import com.nurture.api.esp.Sns;
import com.nurture.api.esp.Unverified;
import jakarta.ws.rs.core.HttpHeaders;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Each inbound provider's delivery, verified by its scheme and turned into the email it carries
 * (docs/api.md, "Inbound email"). Missing, forged or stale proof: {@link Unverified} (401, nothing
 * stored); a provider whose proof is not configured: 503; a verified delivery that does not carry a
 * readable email: 422 naming the field. An empty answer is a verified delivery with no email in it
 * (an SNS subscription confirmation).
 */
public final class InboundPayloads {
  private static final Logger log = LoggerFactory.getLogger(InboundPayloads.class);
  public static final List<String> PROVIDERS = List.of("standard", "sendgrid", "mailgun", "amazon-ses", "postmark");

  private final InboundConfig config;
  private final String espMailgunKey;
  private final ObjectMapper json;
  private final Sns.SigningKeys snsKeys;

  /**
   * @param espMailgunKey {@code esp.mailgun.signing_key}: Mailgun's routes are signed with the
   *     account's webhook signing key, so it serves when {@code inbound.mailgun.signing_key} is empty
   */
  public InboundPayloads(InboundConfig config, String espMailgunKey, ObjectMapper json, Sns.SigningKeys snsKeys) {
    this.config = config;
    this.espMailgunKey = espMailgunKey;
    this.json = json;
    this.snsKeys = snsKeys;
  }

  /** @throws ProblemException 404 for a provider not in {@link #PROVIDERS} */
  public Optional<InboundMail> read(String provider, HttpHeaders headers, byte[] body, Instant now) {
    return switch (provider) {
      case "standard" -> Optional.of(standard(headers, body, now));
      case "sendgrid" -> Optional.of(sendgrid(headers, body));
      case "mailgun" -> Optional.of(mailgun(headers, body, now));
      case "amazon-ses" -> amazonSes(body, now);
      case "postmark" -> Optional.of(postmark(headers, body));
      default -> throw ProblemException.notFound("inbound provider '" + provider + "' is not supported; use "
          + String.join(", ", PROVIDERS));
    };
  }

  private InboundMail standard(HttpHeaders h, byte[] body, Instant now) {
    String secret = configured(config.webhookSecret, "inbound.webhook_secret");
    if (body.length == 0) {
      throw ProblemException.invalid("body", "is the raw MIME of the email");
    }
    EspSignatures.standard(secret, h.getHeaderString("webhook-id"), h.getHeaderString("webhook-timestamp"),
        h.getHeaderString("webhook-signature"), body, now);
    return parse(body, "body");
  }

  /** SendGrid Inbound Parse, "POST the raw, full MIME message": the form field {@code email}. */
  private InboundMail sendgrid(HttpHeaders h, byte[] body) {
    String user = configured(config.sendgrid.user, "inbound.sendgrid.user");
    String password = configured(config.sendgrid.password, "inbound.sendgrid.password");
    EspSignatures.basic(user, password, h.getHeaderString(HttpHeaders.AUTHORIZATION));
    FormFields form = FormFields.read(h.getHeaderString(HttpHeaders.CONTENT_TYPE), body);
    byte[] raw = form.bytes("email").orElseThrow(() -> ProblemException.invalid("email",
        "is the raw MIME of the email (turn on \"POST the raw, full MIME message\")"));
    List<String> envelope = new ArrayList<>();
    form.text("envelope").ifPresent(e -> {
      try {
        json.readTree(e).path("to").forEach(to -> envelope.add(to.asText()));
      } catch (IOException ignored) {
        // an unreadable envelope: the email's own recipient headers still count
      }
    });
    return parse(raw, "email").withRecipients(envelope);
  }

  /** Mailgun routes, forward() to a URL ending in "mime": {@code body-mime}, signed like Mailgun's webhooks. */
  private InboundMail mailgun(HttpHeaders h, byte[] body, Instant now) {
    String key = config.mailgun.signingKey.isEmpty() ? espMailgunKey : config.mailgun.signingKey;
    configured(key, "inbound.mailgun.signing_key (or esp.mailgun.signing_key)");
    FormFields form;
    try {
      form = FormFields.read(h.getHeaderString(HttpHeaders.CONTENT_TYPE), body);
    } catch (ProblemException e) {
      throw new Unverified("the body is not Mailgun's form, so its signature cannot be read");
    }
    EspSignatures.mailgun(key, form.text("timestamp").orElse(null), form.text("token").orElse(null),
        form.text("signature").orElse(null), now);
    byte[] raw = form.bytes("body-mime").orElseThrow(() -> ProblemException.invalid("body-mime",
        "is the raw MIME of the email (forward to a URL ending in \"mime\")"));
    return parse(raw, "body-mime").withRecipients(form.text("recipient").map(r -> List.of(r.split(","))).orElse(List.of()));
  }

  /** Amazon SES receipt rules, SNS action: the SNS-signed notification whose {@code content} is the email. */
  private Optional<InboundMail> amazonSes(byte[] body, Instant now) {
    String topic = configured(config.amazonSes.topicArn, "inbound.amazon_ses.topic_arn");
    JsonNode envelope;
    try {
      envelope = json.readTree(body);
    } catch (IOException e) {
      throw new Unverified("the body is not an SNS message, so its signature cannot be read");
    }
    if (envelope == null || !envelope.isObject()) {
      throw new Unverified("the body is not an SNS message");
    }
    Sns.verify(envelope, topic, snsKeys, now);
    if (!"Notification".equals(envelope.path("Type").asText())) {
      // Not confirmed automatically: an operator opens the SubscribeURL (logged) once.
      log.info("inbound amazon-ses: SNS {} for {}; to confirm, open {}", envelope.path("Type").asText(), topic,
          envelope.path("SubscribeURL").asText());
      return Optional.empty();
    }
    JsonNode notification;
    try {
      notification = json.readTree(envelope.path("Message").asText());
    } catch (IOException e) {
      throw ProblemException.invalid("Message", "is not an SES receipt notification (JSON)");
    }
    if (notification == null || !"Received".equals(notification.path("notificationType").asText())) {
      throw ProblemException.invalid("Message", "is not an SES receipt notification (notificationType Received)");
    }
    String content = notification.path("content").asText("");
    if (content.isEmpty()) {
      throw ProblemException.invalid("content", "is the email (a receipt rule's SNS action carries it)");
    }
    byte[] raw;
    String encoding = notification.path("receipt").path("action").path("encoding").asText("UTF8");
    if (encoding.equalsIgnoreCase("BASE64")) {
      try {
        raw = Base64.getMimeDecoder().decode(content);
      } catch (IllegalArgumentException e) {
        throw ProblemException.invalid("content", "is not base64 (receipt.action.encoding is BASE64)");
      }
    } else {
      raw = content.getBytes(StandardCharsets.UTF_8);
    }
    List<String> recipients = new ArrayList<>();
    notification.path("receipt").path("recipients").forEach(r -> recipients.add(r.asText()));
    return Optional.of(parse(raw, "content").withRecipients(recipients));
  }

  /** Postmark's inbound JSON: {@code RawEmail} when "include raw email content" is on, else its fields. */
  private InboundMail postmark(HttpHeaders h, byte[] body) {
    String user = configured(config.postmark.user, "inbound.postmark.user");
    String password = configured(config.postmark.password, "inbound.postmark.password");
    EspSignatures.basic(user, password, h.getHeaderString(HttpHeaders.AUTHORIZATION));
    JsonNode m;
    try {
      m = json.readTree(body);
    } catch (IOException e) {
      throw ProblemException.invalid("body", "is not JSON");
    }
    if (m == null || !m.isObject()) {
      throw ProblemException.invalid("body", "is Postmark's inbound JSON object");
    }
    List<String> recipients = new ArrayList<>();
    recipients.add(m.path("OriginalRecipient").asText(""));
    m.path("ToFull").forEach(t -> recipients.add(t.path("Email").asText("")));
    m.path("CcFull").forEach(t -> recipients.add(t.path("Email").asText("")));
    String rawEmail = m.path("RawEmail").asText("");
    if (!rawEmail.isEmpty()) {
      return parse(rawEmail.getBytes(StandardCharsets.UTF_8), "RawEmail").withRecipients(recipients);
    }
    Map<String, String> headers = new LinkedHashMap<>();
    m.path("Headers").forEach(x -> headers.putIfAbsent(x.path("Name").asText(""), x.path("Value").asText("")));
    headers.remove("");
    Map<String, String> byName = new LinkedHashMap<>();
    headers.forEach((k, v) -> byName.putIfAbsent(k.toLowerCase(Locale.ROOT), v));
    String from = m.path("FromFull").path("Email").asText("");
    if (from.isEmpty()) {
      from = m.path("From").asText("");
    }
    String stripped = m.path("StrippedTextReply").asText("");
    String text = stripped.isBlank() ? m.path("TextBody").asText("") : stripped;
    if (from.isEmpty() && byName.getOrDefault("message-id", "").isEmpty() && text.isEmpty()) {
      throw ProblemException.invalid("body", "is Postmark's inbound JSON (From, Headers, TextBody; or RawEmail)");
    }
    return InboundMail.ofFields(byName.getOrDefault("message-id", ""), byName.getOrDefault("in-reply-to", ""),
        byName.getOrDefault("references", ""), from, m.path("Subject").asText(""), headers, text, recipients);
  }

  private static InboundMail parse(byte[] raw, String field) {
    try {
      return InboundMail.parse(raw);
    } catch (IllegalArgumentException e) {
      throw ProblemException.invalid(field, "is not a readable email (raw MIME)");
    }
  }

  private static String configured(String value, String name) {
    if (value == null || value.isEmpty()) {
      throw ProblemException.unavailable("this provider's inbound email is not configured (" + name + ")");
    }
    return value;
  }
}
