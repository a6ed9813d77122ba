package com.nurture.api.resources;

import com.fasterxml.jackson.databind.JsonNode;
import com.nurture.api.auth.Roles;
import com.nurture.api.core.BatchIntake;
import com.nurture.api.representations.BatchRequests;
import com.nurture.api.representations.BatchResult;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * Bulk intake for MA systems: up to {@code intake.batch_max} leads or events a call, each answered
 * on its own (docs/api.md, "Batches"). The call is 200 however many items failed; 413 over the limit.
 */
@Path("/v1")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class BatchResource {
  private final BatchIntake batches;

  public BatchResource(BatchIntake batches) {
    this.batches = batches;
  }

  @POST
  @Path("events:batch")
  @RolesAllowed({Roles.MA, Roles.SALES})
  public BatchResult events(@RequestBody(content = @Content(schema = @Schema(implementation = BatchRequests.Events.class)))
      JsonNode body) {
    return batches.events(body);
  }

  @PUT
  @Path("leads:batch")
  @RolesAllowed(Roles.MA)
  public BatchResult leads(@RequestBody(content = @Content(schema = @Schema(implementation = BatchRequests.Leads.class)))
      JsonNode body) {
    return batches.leads(body);
  }
}
