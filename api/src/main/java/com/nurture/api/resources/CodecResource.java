package com.nurture.api.resources;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import com.nurture.activities.privacy.LeadPayloadCodec;
import com.nurture.api.auth.Roles;
import com.nurture.api.errors.ProblemException;
import com.nurture.api.representations.CodecPayloads;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.Payloads;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.OPTIONS;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.function.UnaryOperator;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;

/**
 * Temporal's remote codec protocol for its Web UI and CLI ({@code --codec-endpoint
 * http(s)://host:port/codec --codec-auth "Bearer <operator key>"}): {@code POST /codec/decode} and
 * {@code /codec/encode} with {@code {"payloads": [...]}} (Payloads in protobuf JSON), answered in
 * the same form. Operators only. A payload whose key is destroyed (its lead erased) is answered as
 * it came: still encrypted, so the UI shows ciphertext rather than failing the whole page. Browsers
 * of the configured origins may call it (CORS, credentials allowed).
 */
@Path("/codec")
public class CodecResource {
  private static final String ALLOWED_HEADERS = "Content-Type, X-Namespace, Authorization";
  private final LeadPayloadCodec codec;
  private final List<String> origins;

  public CodecResource(LeadPayloadCodec codec, List<String> origins) {
    this.codec = codec;
    this.origins = List.copyOf(origins);
  }

  @POST
  @Path("decode")
  @Consumes(MediaType.WILDCARD)
  @Produces(MediaType.APPLICATION_JSON)
  @RolesAllowed(Roles.OPERATOR)
  @ApiResponse(responseCode = "200", description = "the payloads, decrypted (those whose key is destroyed as they came)",
      content = @Content(schema = @Schema(implementation = CodecPayloads.class)))
  public Response decode(@HeaderParam("Origin") String origin, String body) {
    return answer(origin, body, p -> codec.tryDecode(p).orElse(p));
  }

  /** Encodes with the shared key: the protocol names no workflow, so no lead (docs/privacy.md). */
  @POST
  @Path("encode")
  @Consumes(MediaType.WILDCARD)
  @Produces(MediaType.APPLICATION_JSON)
  @RolesAllowed(Roles.OPERATOR)
  @ApiResponse(responseCode = "200", description = "the payloads, encrypted with the shared key",
      content = @Content(schema = @Schema(implementation = CodecPayloads.class)))
  public Response encode(@HeaderParam("Origin") String origin, String body) {
    return answer(origin, body, p -> codec.encode(List.of(p)).get(0));
  }

  /** CORS preflight of the Web UI (no credentials are sent with it, so none are asked). */
  @OPTIONS
  @Path("decode")
  @ApiResponse(responseCode = "204", description = "the CORS headers, no body")
  public Response preflightDecode(@HeaderParam("Origin") String origin) {
    return preflight(origin);
  }

  @OPTIONS
  @Path("encode")
  @ApiResponse(responseCode = "204", description = "the CORS headers, no body")
  public Response preflightEncode(@HeaderParam("Origin") String origin) {
    return preflight(origin);
  }

  private Response preflight(String origin) {
    return cors(Response.noContent(), origin)
        .header("Access-Control-Allow-Methods", "POST, OPTIONS")
        .header("Access-Control-Allow-Headers", ALLOWED_HEADERS)
        .header("Access-Control-Max-Age", "600")
        .build();
  }

  private Response answer(String origin, String body, UnaryOperator<Payload> each) {
    Payloads.Builder in = Payloads.newBuilder();
    try {
      JsonFormat.parser().ignoringUnknownFields().merge(body == null ? "" : body, in);
    } catch (InvalidProtocolBufferException e) {
      throw ProblemException.invalid("payloads", "must be Temporal Payloads in JSON: {\"payloads\": [...]}");
    }
    Payloads.Builder out = Payloads.newBuilder();
    in.getPayloadsList().forEach(p -> out.addPayloads(each.apply(p)));
    try {
      return cors(Response.ok(JsonFormat.printer().omittingInsignificantWhitespace().print(out), MediaType.APPLICATION_JSON),
          origin).build();
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException(e);
    }
  }

  private Response.ResponseBuilder cors(Response.ResponseBuilder r, String origin) {
    if (origin != null && origins.contains(origin)) {
      r.header("Access-Control-Allow-Origin", origin)
          .header("Access-Control-Allow-Credentials", "true")
          .header("Vary", "Origin");
    }
    return r;
  }
}
