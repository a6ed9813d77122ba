package com.nurture.api.esp;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * Each provider's event body, read into an {@link EspEvent}. An event kind Nurture does not act on
 * (Mailgun's accepted, unsubscribed, ...) reads as empty; a body that is not the provider's shape
 * throws IllegalArgumentException (422).
 */
public final class EspPayloads {
  private EspPayloads() {}

  /**
   * Nurture's documented body, for /v1/webhooks/esp/standard: {@code {"type": delivered|bounced|
   * complained|deferred|opened|clicked, "message_id", "hard", "diagnostic", "timestamp", "email",
   * "url"}}; the event's id is the delivery's webhook-id (Standard Webhooks keeps it across retries).
   */
  public static Optional<EspEvent> standard(String webhookId, JsonNode body, Instant now) {
    String type = text(body, "type");
    EspEvent.Kind kind = switch (type) {
      case "delivered" -> EspEvent.Kind.DELIVERED;
      case "deferred" -> EspEvent.Kind.DEFERRED;
      case "bounced" -> EspEvent.Kind.BOUNCED;
      case "complained" -> EspEvent.Kind.COMPLAINED;
      case "opened" -> EspEvent.Kind.OPENED;
      case "clicked" -> EspEvent.Kind.CLICKED;
      default -> throw new IllegalArgumentException(
          "type must be one of delivered, bounced, complained, deferred, opened, clicked");
    };
    String messageId = text(body, "message_id");
    if (messageId.isEmpty() && text(body, "email").isEmpty()) {
      throw new IllegalArgumentException("message_id (our Message-ID) is required");
    }
    Instant at = now;
    if (body.hasNonNull("timestamp")) {
      try {
        at = Instant.parse(body.get("timestamp").asText());
      } catch (java.time.format.DateTimeParseException e) {
        throw new IllegalArgumentException("timestamp must be ISO-8601 UTC");
      }
    }
    return Optional.of(new EspEvent("standard", webhookId, kind, messageId, text(body, "email"),
        body.path("hard").asBoolean(false), text(body, "diagnostic"), at, text(body, "url")));
  }

  /**
   * Mailgun's webhook body ({@code signature} checked before): {@code event-data.event} delivered,
   * failed (severity permanent: hard; temporary: soft), complained, opened, clicked; the message's
   * {@code message-id} header (no angle brackets); the event's id {@code event-data.id}.
   */
  public static Optional<EspEvent> mailgun(JsonNode body, Instant now) {
    JsonNode data = body.path("event-data");
    if (!data.isObject()) {
      throw new IllegalArgumentException("event-data is required");
    }
    String id = text(data, "id");
    if (id.isEmpty()) {
      throw new IllegalArgumentException("event-data.id is required");
    }
    String event = text(data, "event").toLowerCase(Locale.ROOT);
    boolean hard = false;
    EspEvent.Kind kind;
    switch (event) {
      case "delivered" -> kind = EspEvent.Kind.DELIVERED;
      case "failed" -> {
        hard = "permanent".equalsIgnoreCase(text(data, "severity"));
        kind = EspEvent.Kind.BOUNCED;
      }
      case "complained" -> kind = EspEvent.Kind.COMPLAINED;
      case "opened" -> kind = EspEvent.Kind.OPENED;
      case "clicked" -> kind = EspEvent.Kind.CLICKED;
      default -> {
        return Optional.empty();
      }
    }
    JsonNode status = data.path("delivery-status");
    String diagnostic = text(status, "description");
    if (diagnostic.isEmpty()) {
      diagnostic = text(status, "message");
    }
    if (diagnostic.isEmpty()) {
      diagnostic = text(data, "reason");
    }
    if (status.hasNonNull("code") && !diagnostic.isEmpty()) {
      diagnostic = status.get("code").asText() + " " + diagnostic;
    }
    Instant at = now;
    if (data.path("timestamp").isNumber()) {
      BigDecimal seconds = data.get("timestamp").decimalValue();
      at = Instant.ofEpochMilli(seconds.movePointRight(3).longValue());
    }
    return Optional.of(new EspEvent("mailgun", id, kind, text(data.path("message").path("headers"), "message-id"),
        text(data, "recipient"), hard, diagnostic, at, text(data, "url")));
  }

  /**
   * Postmark's webhook body (basic auth checked before): {@code RecordType} Delivery, Bounce
   * ({@code Type} HardBounce, BadEmailAddress, ManuallyDeactivated: hard; SoftBounce, Transient,
   * DnsError, Blocked, ContentRelated, SMTPApiError: soft; others, such as AutoResponder, ignored),
   * SpamComplaint, Open, Click. Postmark names the email by its own {@code MessageID}: it matches
   * ours only when we recorded it; else the recipient ({@code Email} / {@code Recipient}) for a
   * known lead. The event id: a bounce's or complaint's {@code ID}; for the others, which carry
   * none, a hash of record type, MessageID, time (and link).
   */
  public static Optional<EspEvent> postmark(JsonNode body, Instant now) {
    String record = text(body, "RecordType");
    String messageId = text(body, "MessageID");
    String email = text(body, "Email").isEmpty() ? text(body, "Recipient") : text(body, "Email");
    EspEvent.Kind kind;
    boolean hard = false;
    String diagnostic = "";
    String at;
    String id;
    switch (record) {
      case "Delivery" -> {
        kind = EspEvent.Kind.DELIVERED;
        at = text(body, "DeliveredAt");
        diagnostic = text(body, "Details");
        id = "delivery-" + digest(record, messageId, at);
      }
      case "Bounce" -> {
        String type = text(body, "Type");
        if (HARD.contains(type)) {
          hard = true;
        } else if (!SOFT.contains(type)) {
          return Optional.empty();
        }
        kind = EspEvent.Kind.BOUNCED;
        at = text(body, "BouncedAt");
        diagnostic = (type + ": " + text(body, "Description") + " " + text(body, "Details")).trim();
        id = "bounce-" + required(body, "ID");
      }
      case "SpamComplaint" -> {
        kind = EspEvent.Kind.COMPLAINED;
        at = text(body, "BouncedAt");
        id = "complaint-" + required(body, "ID");
      }
      case "Open" -> {
        kind = EspEvent.Kind.OPENED;
        at = text(body, "ReceivedAt");
        id = "open-" + digest(record, messageId, at);
      }
      case "Click" -> {
        kind = EspEvent.Kind.CLICKED;
        at = text(body, "ReceivedAt");
        id = "click-" + digest(record, messageId, at + " " + text(body, "OriginalLink"));
      }
      default -> {
        return Optional.empty();
      }
    }
    if (messageId.isEmpty() && email.isEmpty()) {
      throw new IllegalArgumentException("MessageID or Email/Recipient is required");
    }
    Instant when = now;
    if (!at.isEmpty()) {
      try {
        when = java.time.OffsetDateTime.parse(at).toInstant();
      } catch (java.time.format.DateTimeParseException e) {
        throw new IllegalArgumentException("the event's time is not ISO-8601");
      }
    }
    return Optional.of(new EspEvent("postmark", id, kind, messageId, email, hard, diagnostic, when,
        text(body, "OriginalLink")));
  }

  /**
   * SendGrid's Event Webhook body: an array of events. {@code event} delivered, bounce ({@code type}
   * bounce: hard; blocked: soft), dropped (SendGrid will not send to the address: hard), spamreport,
   * deferred, open, click; others (processed, unsubscribe...) are ignored. {@code smtp-id} is our
   * Message-ID; the event id {@code sg_event_id}; {@code timestamp} in seconds.
   */
  public static java.util.List<EspEvent> sendgrid(JsonNode body, Instant now) {
    if (!body.isArray()) {
      throw new IllegalArgumentException("is SendGrid's array of events");
    }
    java.util.List<EspEvent> events = new java.util.ArrayList<>();
    for (JsonNode e : body) {
      String event = text(e, "event");
      boolean hard = false;
      String diagnostic = text(e, "reason");
      EspEvent.Kind kind;
      switch (event) {
        case "delivered" -> kind = EspEvent.Kind.DELIVERED;
        case "deferred" -> kind = EspEvent.Kind.DEFERRED;
        case "bounce" -> {
          kind = EspEvent.Kind.BOUNCED;
          hard = !"blocked".equals(text(e, "type"));
          diagnostic = (text(e, "status") + " " + diagnostic).trim();
        }
        case "dropped" -> {
          kind = EspEvent.Kind.BOUNCED;
          hard = true;
          diagnostic = "dropped: " + diagnostic;
        }
        case "spamreport" -> kind = EspEvent.Kind.COMPLAINED;
        case "open" -> kind = EspEvent.Kind.OPENED;
        case "click" -> kind = EspEvent.Kind.CLICKED;
        default -> {
          continue;
        }
      }
      String id = required(e, "sg_event_id");
      if (text(e, "smtp-id").isEmpty() && text(e, "email").isEmpty()) {
        throw new IllegalArgumentException("smtp-id or email is required");
      }
      Instant at = e.path("timestamp").canConvertToLong() ? Instant.ofEpochSecond(e.get("timestamp").asLong()) : now;
      events.add(new EspEvent("sendgrid", id, kind, text(e, "smtp-id"), text(e, "email"), hard, diagnostic, at,
          text(e, "url")));
    }
    return events;
  }

  /**
   * An Amazon SES notification (the SNS message's {@code Message}, already verified):
   * {@code notificationType} (or, for event publishing, {@code eventType}) Bounce ({@code bounceType}
   * Permanent: hard; Transient, Undetermined: soft), Complaint, Delivery, DeliveryDelay, Open, Click.
   * Our Message-ID is the {@code Message-ID} of {@code mail.headers} (else
   * {@code mail.commonHeaders.messageId}); SES's own {@code mail.messageId} is not ours. The event
   * id is the SNS MessageId.
   */
  public static Optional<EspEvent> amazonSes(String snsMessageId, JsonNode n, Instant now) {
    String type = text(n, "notificationType").isEmpty() ? text(n, "eventType") : text(n, "notificationType");
    JsonNode mail = n.path("mail");
    String messageId = "";
    for (JsonNode h : mail.path("headers")) {
      if ("message-id".equalsIgnoreCase(text(h, "name"))) {
        messageId = text(h, "value");
      }
    }
    if (messageId.isEmpty()) {
      messageId = text(mail.path("commonHeaders"), "messageId");
    }
    String email = mail.path("destination").path(0).asText("");
    boolean hard = false;
    String diagnostic = "";
    String url = "";
    EspEvent.Kind kind;
    JsonNode detail;
    switch (type) {
      case "Bounce" -> {
        kind = EspEvent.Kind.BOUNCED;
        detail = n.path("bounce");
        hard = "Permanent".equals(text(detail, "bounceType"));
        JsonNode r = detail.path("bouncedRecipients").path(0);
        email = text(r, "emailAddress").isEmpty() ? email : text(r, "emailAddress");
        diagnostic = (text(detail, "bounceType") + "/" + text(detail, "bounceSubType") + " " + text(r, "diagnosticCode"))
            .trim();
      }
      case "Complaint" -> {
        kind = EspEvent.Kind.COMPLAINED;
        detail = n.path("complaint");
        diagnostic = text(detail, "complaintFeedbackType");
      }
      case "Delivery" -> {
        kind = EspEvent.Kind.DELIVERED;
        detail = n.path("delivery");
        diagnostic = text(detail, "smtpResponse");
      }
      case "DeliveryDelay" -> {
        kind = EspEvent.Kind.DEFERRED;
        detail = n.path("deliveryDelay");
        diagnostic = text(detail, "delayType");
      }
      case "Open" -> {
        kind = EspEvent.Kind.OPENED;
        detail = n.path("open");
      }
      case "Click" -> {
        kind = EspEvent.Kind.CLICKED;
        detail = n.path("click");
        url = text(detail, "link");
      }
      default -> {
        return Optional.empty();
      }
    }
    if (messageId.isEmpty() && email.isEmpty()) {
      throw new IllegalArgumentException("the notification names neither a Message-ID nor a recipient");
    }
    Instant at = now;
    if (!text(detail, "timestamp").isEmpty()) {
      try {
        at = Instant.parse(text(detail, "timestamp"));
      } catch (java.time.format.DateTimeParseException e) {
        throw new IllegalArgumentException("the event's timestamp is not ISO-8601");
      }
    }
    return Optional.of(new EspEvent("amazon-ses", snsMessageId, kind, messageId, email, hard, diagnostic, at, url));
  }

  private static final java.util.Set<String> HARD = java.util.Set.of("HardBounce", "BadEmailAddress",
      "ManuallyDeactivated");
  private static final java.util.Set<String> SOFT = java.util.Set.of("SoftBounce", "Transient", "DnsError", "Blocked",
      "ContentRelated", "SMTPApiError");

  private static String required(JsonNode body, String field) {
    String v = text(body, field);
    if (v.isEmpty()) {
      throw new IllegalArgumentException(field + " is required");
    }
    return v;
  }

  private static String digest(String... parts) {
    try {
      byte[] d = java.security.MessageDigest.getInstance("SHA-256")
          .digest(String.join("\n", parts).getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return java.util.HexFormat.of().formatHex(d, 0, 12);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String text(JsonNode node, String field) {
    JsonNode v = node.path(field);
    return v.isValueNode() && !v.isNull() ? v.asText() : "";
  }
}
