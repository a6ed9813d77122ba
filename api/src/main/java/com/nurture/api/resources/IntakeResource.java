package com.nurture.api.resources;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nurture.api.config.IntakeConfig;
import com.nurture.api.config.IntakeSource;
import com.nurture.api.core.MaIntake;
import com.nurture.api.errors.FieldError;
import com.nurture.api.errors.ProblemException;
import com.nurture.api.esp.Unverified;
import com.nurture.api.intake.IntakePayloads;
import com.nurture.api.intake.IntakeSignatures;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;

/**
 * POST /v1/intake/{source}: calls from the MA systems users already run (hubspot, marketo, pardot,
 * segment), public but verified by each one's scheme (docs/integrations.md). Missing or forged
 * proof: 401 and nothing stored; a source without its secret configured: 503.
 */
@Path("/v1/intake/{source}")
@Produces(MediaType.APPLICATION_JSON)
public class IntakeResource {
  private static final Logger log = LoggerFactory.getLogger(IntakeResource.class);
  /** An MA system's call is one contact or a small batch; more is refused (413). */
  static final int MAX_BYTES = 1024 * 1024;

  private final MaIntake intake;
  private final IntakeConfig config;
  private final IntakePayloads payloads;
  private final String publicUrl;
  private final Clock clock;

  public IntakeResource(MaIntake intake, IntakeConfig config, ObjectMapper json, String publicUrl, Clock clock) {
    this.intake = intake;
    this.config = config;
    this.payloads = new IntakePayloads(json);
    this.publicUrl = publicUrl.endsWith("/") ? publicUrl.substring(0, publicUrl.length() - 1) : publicUrl;
    this.clock = clock;
  }

  @POST
  @Consumes(MediaType.WILDCARD)
  @ApiResponse(responseCode = "200", description = "what was taken (one document), or {\"results\": [...]} (several)",
      content = @Content(mediaType = "application/json", schema = @Schema(types = "object")))
  public Response receive(@PathParam("source") String source, @Context HttpHeaders headers, @Context UriInfo uri,
      byte[] body) {
    IntakeSource mapping = switch (source) {
      case "hubspot" -> config.hubspot;
      case "marketo" -> config.marketo;
      case "pardot" -> config.pardot;
      case "segment" -> config.segment;
      default -> throw ProblemException.notFound("no intake from '" + source + "'; use hubspot, marketo, pardot or segment");
    };
    byte[] raw = body == null ? new byte[0] : body;
    if (raw.length > MAX_BYTES) {
      throw new ProblemException(Response.Status.REQUEST_ENTITY_TOO_LARGE, "a call is at most " + MAX_BYTES + " bytes",
          List.of(new FieldError("body", "is " + raw.length + " bytes")));
    }
    if (!mapping.configured()) {
      throw ProblemException.unavailable("intake from " + source + " is not configured (intake." + source + ".secret)");
    }
    try {
      switch (source) {
        case "hubspot" -> IntakeSignatures.hubspot(mapping.secret, headers.getHeaderString("X-HubSpot-Signature-v3"),
            headers.getHeaderString("X-HubSpot-Request-Timestamp"), "POST", candidateUris(uri), raw, clock.instant());
        case "segment" -> IntakeSignatures.segment(mapping.secret, headers.getHeaderString("X-Signature"), raw);
        default -> IntakeSignatures.sharedSecret(mapping.secret, headers.getHeaderString("X-Nurture-Token"),
            uri.getQueryParameters().getFirst("token"));
      }
    } catch (Unverified e) {
      log.warn("{} intake refused: {}", source, e.getMessage());
      throw new ProblemException(Response.Status.UNAUTHORIZED, e.getMessage(), List.of());
    }
    MediaType type = headers.getMediaType();
    boolean form = type != null && type.isCompatible(MediaType.APPLICATION_FORM_URLENCODED_TYPE);
    List<JsonNode> docs = payloads.read(source, raw, form, uri.getQueryParameters());
    if (docs.size() == 1) {
      return Response.ok(intake.take(source, mapping, docs.get(0))).build();
    }
    List<Map<String, Object>> results = new ArrayList<>();
    for (int i = 0; i < docs.size(); i++) {
      results.add(intake.takeOne(source, mapping, docs.get(i), i));
    }
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("results", results);
    return Response.ok(answer).build();
  }

  /** The URI HubSpot called: under the configured public URL (behind a proxy), or as this server saw it. */
  private List<String> candidateUris(UriInfo uri) {
    String query = uri.getRequestUri().getRawQuery();
    String mine = publicUrl + uri.getRequestUri().getRawPath() + (query == null ? "" : "?" + query);
    return List.of(mine, uri.getRequestUri().toString());
  }
}
