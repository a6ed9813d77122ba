package com.nurture.api.resources;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nurture.api.config.EspConfig;
import com.nurture.api.core.EspEvents;
import com.nurture.api.errors.ProblemException;
import com.nurture.api.esp.EspEvent;
import com.nurture.api.esp.EspPayloads;
import com.nurture.api.esp.EspSignatures;
import com.nurture.api.esp.Unverified;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;

/**
 * POST /v1/webhooks/esp/{provider}: delivery events (delivered, bounced, complained, ...) from an
 * email service provider, each verified by that provider's scheme (docs/api.md, "Delivery events").
 * Missing, forged or stale proof: 401, nothing stored. Replays are not refused: every event carries
 * the provider's stable event id, so a redelivery (a provider's retry, or a replay within the
 * 5-minute window) is the same event and changes nothing.
 */
@Path("/v1/webhooks/esp/{provider}")
@Produces(MediaType.APPLICATION_JSON)
public class EspWebhookResource {
  private static final Logger log = LoggerFactory.getLogger(EspWebhookResource.class);
  /** Delivery events are small; a body over this is refused (413). */
  static final int MAX_BYTES = 1024 * 1024;

  private final EspEvents events;
  private final EspConfig config;
  private final ObjectMapper json;
  private final com.nurture.api.esp.Sns.SigningKeys snsKeys;
  private final Clock clock;

  public EspWebhookResource(EspEvents events, EspConfig config, ObjectMapper json,
      com.nurture.api.esp.Sns.SigningKeys snsKeys, Clock clock) {
    this.events = events;
    this.config = config;
    this.json = json;
    this.snsKeys = snsKeys;
    this.clock = clock;
  }

  @POST
  @Consumes(MediaType.WILDCARD)
  @ApiResponse(responseCode = "202", description = "the events read, each with its outcome ({\"events\": [...]})",
      content = @Content(mediaType = "application/json", schema = @Schema(types = "object")))
  public Response receive(@PathParam("provider") String provider, @Context HttpHeaders headers, byte[] body) {
    if (body != null && body.length > MAX_BYTES) {
      return Response.status(413).type("application/problem+json").entity(Map.of("status", 413,
          "title", "Payload Too Large", "detail", "a delivery event is at most " + MAX_BYTES + " bytes")).build();
    }
    byte[] raw = body == null ? new byte[0] : body;
    Instant now = clock.instant();
    List<EspEvent> read;
    try {
      read = switch (provider) {
        case "standard" -> standard(headers, raw, now);
        case "mailgun" -> mailgun(raw, now);
        case "postmark" -> postmark(headers, raw, now);
        case "sendgrid" -> sendgrid(headers, raw, now);
        case "amazon-ses" -> amazonSes(raw, now);
        default -> throw ProblemException.notFound("delivery events from '" + provider
            + "' are not supported; use standard, mailgun, postmark, sendgrid or amazon-ses");
      };
    } catch (Unverified e) {
      log.warn("{} delivery event refused: {}", provider, e.getMessage());
      throw new ProblemException(Response.Status.UNAUTHORIZED, e.getMessage(), List.of());
    }
    List<Map<String, Object>> outcomes = read.stream().map(events::receive).map(EspWebhookResource::answer).toList();
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("events", outcomes);
    return Response.accepted(answer).build();
  }

  private List<EspEvent> standard(HttpHeaders h, byte[] raw, Instant now) {
    String secret = configured(config.standard.secret, "esp.standard.secret");
    String id = h.getHeaderString("webhook-id");
    EspSignatures.standard(secret, id, h.getHeaderString("webhook-timestamp"), h.getHeaderString("webhook-signature"),
        raw, now);
    JsonNode body = parse(raw);
    return one(() -> EspPayloads.standard(id, body, now));
  }

  private List<EspEvent> mailgun(byte[] raw, Instant now) {
    String key = configured(config.mailgun.signingKey, "esp.mailgun.signing_key");
    JsonNode body;
    try {
      body = json.readTree(raw);
    } catch (IOException e) {
      throw new Unverified("the body is not Mailgun's JSON, so its signature cannot be read");
    }
    if (body == null) {
      throw new Unverified("signature is required");
    }
    JsonNode sig = body.path("signature");
    EspSignatures.mailgun(key, text(sig, "timestamp"), text(sig, "token"), text(sig, "signature"), now);
    return one(() -> EspPayloads.mailgun(body, now));
  }

  private List<EspEvent> postmark(HttpHeaders h, byte[] raw, Instant now) {
    String user = configured(config.postmark.user, "esp.postmark.user");
    String password = configured(config.postmark.password, "esp.postmark.password");
    EspSignatures.postmark(user, password, h.getHeaderString(HttpHeaders.AUTHORIZATION));
    JsonNode body = parse(raw);
    return one(() -> EspPayloads.postmark(body, now));
  }

  private List<EspEvent> sendgrid(HttpHeaders h, byte[] raw, Instant now) {
    String key = configured(config.sendgrid.verificationKey, "esp.sendgrid.verification_key");
    EspSignatures.sendgrid(key, h.getHeaderString("X-Twilio-Email-Event-Webhook-Timestamp"),
        h.getHeaderString("X-Twilio-Email-Event-Webhook-Signature"), raw, now);
    JsonNode body;
    try {
      body = json.readTree(raw);
    } catch (IOException e) {
      throw ProblemException.invalid("body", "is not JSON");
    }
    try {
      return EspPayloads.sendgrid(body == null ? json.createObjectNode() : body, now);
    } catch (IllegalArgumentException e) {
      throw ProblemException.invalid("body", e.getMessage());
    }
  }

  private List<EspEvent> amazonSes(byte[] raw, Instant now) {
    String topic = configured(config.amazonSes.topicArn, "esp.amazon_ses.topic_arn");
    JsonNode envelope;
    try {
      envelope = json.readTree(raw);
    } catch (IOException e) {
      throw new Unverified("the body is not an SNS message, so its signature cannot be read");
    }
    if (envelope == null || !envelope.isObject()) {
      throw new Unverified("the body is not an SNS message");
    }
    com.nurture.api.esp.Sns.verify(envelope, topic, snsKeys, now);
    if (!"Notification".equals(envelope.path("Type").asText())) {
      // Not confirmed automatically: an operator opens the SubscribeURL (logged) once.
      log.info("amazon-ses: SNS {} for {}; to confirm, open {}", envelope.path("Type").asText(), topic,
          envelope.path("SubscribeURL").asText());
      return List.of();
    }
    JsonNode notification;
    try {
      notification = json.readTree(envelope.path("Message").asText());
    } catch (IOException e) {
      throw ProblemException.invalid("Message", "is not an SES notification (JSON)");
    }
    if (notification == null || !notification.isObject()) {
      throw ProblemException.invalid("Message", "is not an SES notification (JSON)");
    }
    return one(() -> EspPayloads.amazonSes(envelope.path("MessageId").asText(), notification, now));
  }

  private static List<EspEvent> one(java.util.function.Supplier<Optional<EspEvent>> read) {
    try {
      return read.get().map(List::of).orElse(List.of());
    } catch (IllegalArgumentException e) {
      throw ProblemException.invalid("body", e.getMessage());
    }
  }

  private JsonNode parse(byte[] raw) {
    try {
      JsonNode node = json.readTree(raw);
      if (node == null || !node.isObject()) {
        throw ProblemException.invalid("body", "is a JSON object");
      }
      return node;
    } catch (IOException e) {
      throw ProblemException.invalid("body", "is not JSON");
    }
  }

  private static String configured(String secret, String name) {
    if (secret == null || secret.isEmpty()) {
      throw ProblemException.unavailable("this provider's delivery events are not configured (" + name + ")");
    }
    return secret;
  }

  private static String text(JsonNode node, String field) {
    JsonNode v = node.path(field);
    return v.isValueNode() && !v.isNull() ? v.asText() : null;
  }

  private static Map<String, Object> answer(EspEvents.Outcome o) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("outcome", o.outcome());
    o.leadId().ifPresent(l -> m.put("lead_id", l));
    m.put("event_id", o.eventId());
    m.put("duplicate", o.duplicate());
    o.duplicateOf().ifPresent(d -> m.put("duplicate_of", d));
    return m;
  }
}
