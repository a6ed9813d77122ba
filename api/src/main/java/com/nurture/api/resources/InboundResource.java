package com.nurture.api.resources;

import com.nurture.activities.inbound.InboundMail;
import com.nurture.api.core.InboundReplies;
import com.nurture.api.errors.ProblemException;
import com.nurture.api.esp.Unverified;
import com.nurture.api.inbound.InboundPayloads;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
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
 * POST /v1/webhooks/inbound/{provider}: an inbound email (a reply to a nurture email, an
 * auto-reply, a delivery report) as each provider delivers it, verified by its scheme
 * ({@link InboundPayloads}): {@code standard} (raw MIME, Standard Webhooks), {@code sendgrid}
 * (Inbound Parse, raw MIME, basic auth), {@code mailgun} (a route's forward to ".../mailgun/mime", signed),
 * {@code amazon-ses} (a receipt rule's SNS notification, SNS-signed), {@code postmark} (inbound
 * JSON, basic auth). Missing, forged or stale proof: 401 and nothing is stored. A redelivery of the
 * same email is a no-op (the event's id comes from its Message-ID).
 */
@Path("/v1/webhooks/inbound/{provider}")
@Produces(MediaType.APPLICATION_JSON)
public class InboundResource {
  private static final Logger log = LoggerFactory.getLogger(InboundResource.class);
  /** An email larger than this is refused (413): replies are small; attachments are not read. */
  public static final int MAX_BYTES = 10 * 1024 * 1024;

  private final InboundReplies replies;
  private final InboundPayloads payloads;
  private final Clock clock;

  public InboundResource(InboundReplies replies, InboundPayloads payloads, Clock clock) {
    this.replies = replies;
    this.payloads = payloads;
    this.clock = clock;
  }

  /**
   * Mailgun posts a route's message as raw MIME only to a URL ending in "mime": give its forward()
   * {@code .../v1/webhooks/inbound/mailgun/mime}. The same delivery as the provider's own path.
   */
  @POST
  @Path("mime")
  @Consumes(MediaType.WILDCARD)
  @ApiResponse(responseCode = "202", description = "the email's outcome (outcome, lead_id, matched_by, event_id, duplicate)",
      content = @Content(mediaType = "application/json", schema = @Schema(types = "object")))
  public Response receiveMime(@PathParam("provider") String provider, @Context HttpHeaders headers, byte[] body) {
    if (!provider.equals("mailgun")) {
      throw ProblemException.notFound("only mailgun's inbound email is posted to .../mime");
    }
    return receive(provider, headers, body);
  }

  @POST
  @Consumes(MediaType.WILDCARD)
  @ApiResponse(responseCode = "202", description = "the email's outcome (outcome, lead_id, matched_by, event_id, duplicate)",
      content = @Content(mediaType = "application/json", schema = @Schema(types = "object")))
  public Response receive(@PathParam("provider") String provider, @Context HttpHeaders headers, byte[] body) {
    if (!InboundPayloads.PROVIDERS.contains(provider)) {
      throw ProblemException.notFound("inbound provider '" + provider + "' is not supported; use "
          + String.join(", ", InboundPayloads.PROVIDERS));
    }
    if (body != null && body.length > MAX_BYTES) {
      return Response.status(413).type("application/problem+json").entity(Map.of("status", 413,
          "title", "Payload Too Large", "detail", "an inbound email is at most " + MAX_BYTES + " bytes")).build();
    }
    Instant now = clock.instant();
    Optional<InboundMail> mail;
    try {
      mail = payloads.read(provider, headers, body == null ? new byte[0] : body, now);
    } catch (Unverified e) {
      log.warn("inbound {} delivery refused: {}", provider, e.getMessage());
      throw new ProblemException(Response.Status.UNAUTHORIZED, e.getMessage(), List.of());
    }
    Map<String, Object> answer = new LinkedHashMap<>();
    if (mail.isEmpty()) {
      answer.put("outcome", "no_email");
      return Response.accepted(answer).build();
    }
    InboundReplies.Outcome outcome = replies.receive(mail.get(), now);
    answer.put("outcome", outcome.outcome());
    outcome.leadId().ifPresent(l -> answer.put("lead_id", l));
    outcome.matchedBy().ifPresent(m -> answer.put("matched_by", m));
    outcome.event().ifPresent(e -> {
      answer.put("event_id", e.id());
      answer.put("duplicate", e.duplicate());
    });
    return Response.accepted(answer).build();
  }
}
