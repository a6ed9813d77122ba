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

  private static String text(JsonNode node, String field) {
    JsonNode v = node.path(field);
    return v.isValueNode() && !v.isNull() ? v.asText() : "";
  }
}
