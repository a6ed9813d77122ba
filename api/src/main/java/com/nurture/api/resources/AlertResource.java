package com.nurture.api.resources;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.nurture.activities.db.AlertDao;
import com.nurture.api.auth.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;

/** Things a person must look at: replies, hand-offs to sales, sends with an unknown outcome. Newest first. */
@Path("/v1/alerts")
@Produces(MediaType.APPLICATION_JSON)
public class AlertResource {
  private final Jdbi jdbi;

  public AlertResource(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Alert(long id, String leadId, String kind, String message, Map<String, Object> detail, Instant createdAt) {}

  @GET
  @RolesAllowed({Roles.OPERATOR, Roles.SALES})
  public List<Alert> open(@QueryParam("limit") @DefaultValue("100") @Min(1) @Max(1000) int limit) {
    return jdbi.onDemand(AlertDao.class).open(limit).stream()
        .map(a -> new Alert(a.id(), a.leadId(), a.kind(), a.message(), a.detail(), a.createdAt())).toList();
  }
}
