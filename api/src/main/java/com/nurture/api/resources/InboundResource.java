package com.nurture.api.resources;

import com.nurture.activities.inbound.InboundMail;
import com.nurture.activities.sales.StandardWebhooks;
import com.nurture.api.core.InboundReplies;
import com.nurture.api.errors.ProblemException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * POST /v1/webhooks/inbound/{provider}: an inbound email as raw MIME (a reply to a nurture email,
 * an auto-reply, a delivery report). {@code standard}: signed per Standard Webhooks (webhook-id,
 * webhook-timestamp, webhook-signature over the raw body); a forged or stale (over 5 minutes)
 * delivery answers 401 and nothing is stored. A redelivery of the same email is a no-op (the
 * event's id comes from its Message-ID).
 */
@Path("/v1/webhooks/inbound/{provider}")
@Produces(MediaType.APPLICATION_JSON)
public class InboundResource {
  private static final Logger log = LoggerFactory.getLogger(InboundResource.class);
  static final Duration TOLERANCE = Duration.ofMinutes(5);
  /** An email larger than this is refused (413): replies are small; attachments are not read. */
  static final int MAX_BYTES = 10 * 1024 * 1024;

  private final InboundReplies replies;
  private final String secret;
  private final Clock clock;

  public InboundResource(InboundReplies replies, String secret, Clock clock) {
    this.replies = replies;
    this.secret = secret;
    this.clock = clock;
  }

  @POST
  @Consumes(MediaType.WILDCARD)
  public Response receive(@PathParam("provider") String provider, @HeaderParam("webhook-id") String id,
      @HeaderParam("webhook-timestamp") String timestamp, @HeaderParam("webhook-signature") String signature,
      byte[] body) {
    if (!provider.equals("standard")) {
      throw ProblemException.notFound("inbound provider '" + provider + "' is not supported; use 'standard'");
    }
    if (secret.isEmpty()) {
      throw ProblemException.unavailable("inbound webhooks are not configured (inbound.webhook_secret)");
    }
    if (body == null || body.length == 0) {
      throw ProblemException.invalid("body", "is the raw MIME of the email");
    }
    if (body.length > MAX_BYTES) {
      return Response.status(413).type("application/problem+json").entity(Map.of("status", 413,
          "title", "Payload Too Large", "detail", "an inbound email is at most " + MAX_BYTES + " bytes")).build();
    }
    verify(id, timestamp, signature, body);
    InboundMail mail;
    try {
      mail = InboundMail.parse(body);
    } catch (IllegalArgumentException e) {
      throw ProblemException.invalid("body", "is not a readable email (raw MIME)");
    }
    InboundReplies.Outcome outcome = replies.receive(mail, clock.instant());
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("outcome", outcome.outcome());
    outcome.leadId().ifPresent(l -> answer.put("lead_id", l));
    outcome.event().ifPresent(e -> {
      answer.put("event_id", e.id());
      answer.put("duplicate", e.duplicate());
    });
    return Response.accepted(answer).build();
  }

  private void verify(String id, String timestamp, String signature, byte[] body) {
    if (id == null || timestamp == null || signature == null) {
      throw unauthorized("webhook-id, webhook-timestamp and webhook-signature are required");
    }
    long seconds;
    try {
      seconds = Long.parseLong(timestamp.trim());
    } catch (NumberFormatException e) {
      throw unauthorized("webhook-timestamp is not a number of seconds");
    }
    Instant sent = Instant.ofEpochSecond(seconds);
    if (Duration.between(sent, clock.instant()).abs().compareTo(TOLERANCE) > 0) {
      throw unauthorized("the delivery is stale (webhook-timestamp more than 5 minutes away)");
    }
    if (!new StandardWebhooks(secret).verify(id, seconds, new String(body, StandardCharsets.UTF_8), signature)) {
      log.warn("inbound delivery {} refused: bad signature", id);
      throw unauthorized("the signature does not match");
    }
  }

  private static ProblemException unauthorized(String detail) {
    return new ProblemException(Response.Status.UNAUTHORIZED, detail, java.util.List.of());
  }
}
