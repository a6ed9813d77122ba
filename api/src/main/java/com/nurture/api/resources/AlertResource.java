package com.nurture.api.resources;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.nurture.activities.db.AlertDao;
import com.nurture.activities.db.AlertRow;
import com.nurture.api.auth.ApiKeyPrincipal;
import com.nurture.api.auth.Roles;
import com.nurture.api.errors.ProblemException;
import io.dropwizard.auth.Auth;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;

/**
 * Things a person must look at: replies, hand-offs to sales, sends with an unknown outcome. Newest
 * first. A person acknowledges an alert once it is dealt with; it then leaves the open list.
 */
@Path("/v1/alerts")
@Produces(MediaType.APPLICATION_JSON)
public class AlertResource {
  private static final Logger log = LoggerFactory.getLogger(AlertResource.class);
  /** The kinds about a lead sales works on: a sales key may acknowledge these, and only these. */
  public static final Set<String> SALES_KINDS = Set.of("handoff", "sla_breach", "reply", "competitor_interest");
  private static final List<String> STATUSES = List.of("open", "acked", "all");

  private final Jdbi jdbi;
  private final Clock clock;

  public AlertResource(Jdbi jdbi, Clock clock) {
    this.jdbi = jdbi;
    this.clock = clock;
  }

  /** {@code status}: open (neither acknowledged nor resolved), acked, or all. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Alert(long id, String leadId, String kind, String message, Map<String, Object> detail, Instant createdAt,
      String status, Instant ackedAt, String ackedBy) {
    static Alert of(AlertRow a) {
      return new Alert(a.id(), a.leadId(), a.kind(), a.message(), a.detail(), a.createdAt(),
          a.ackedAt().isPresent() ? "acked" : "open", a.ackedAt().orElse(null), a.ackedBy().orElse(null));
    }
  }

  @GET
  @RolesAllowed({Roles.OPERATOR, Roles.SALES})
  public List<Alert> list(@QueryParam("status") String status, @QueryParam("limit") String limit,
      @QueryParam("before") String before) {
    String which = QueryParams.oneOf("status", status, STATUSES).orElse("open");
    int size = QueryParams.integer("limit", limit, 1, 1000).orElse(100);
    long below = QueryParams.integer("before", before, 1, Integer.MAX_VALUE).map(Integer::longValue).orElse(Long.MAX_VALUE);
    return jdbi.onDemand(AlertDao.class).list(which, below, size).stream().map(Alert::of).toList();
  }

  /**
   * Acknowledges an alert: who (the API key's name) and when. Idempotent: a second call answers the
   * alert as the first left it. A sales key may acknowledge only the kinds in {@link #SALES_KINDS}.
   */
  @POST
  @Path("{id: [0-9]{1,18}}/ack")
  @RolesAllowed({Roles.OPERATOR, Roles.SALES})
  @ApiResponse(responseCode = "200", description = "the alert, acknowledged",
      content = @Content(schema = @Schema(implementation = Alert.class)))
  public Response ack(@Auth ApiKeyPrincipal caller, @PathParam("id") long id) {
    AlertDao alerts = jdbi.onDemand(AlertDao.class);
    AlertRow alert = alerts.find(id).orElseThrow(() -> ProblemException.notFound("no alert with id " + id));
    if (!caller.roles().contains(Roles.OPERATOR) && !SALES_KINDS.contains(alert.kind())) {
      throw new ProblemException(Response.Status.FORBIDDEN, "a sales key may acknowledge only "
          + String.join(", ", SALES_KINDS.stream().sorted().toList()) + " alerts; this one is " + alert.kind(), List.of());
    }
    if (alerts.ack(id, caller.getName(), clock.instant()) == 1) {
      log.info("alert {} (lead {}, {}) acknowledged by {}", id, alert.leadId(), alert.kind(), caller.getName());
    }
    return Response.ok(Alert.of(alerts.find(id).orElseThrow())).build();
  }
}
