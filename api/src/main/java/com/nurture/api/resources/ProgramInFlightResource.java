package com.nurture.api.resources;

import com.nurture.activities.db.InFlightDao;
import com.nurture.activities.db.ProgramDao;
import com.nurture.api.analytics.InFlight;
import com.nurture.api.auth.Roles;
import com.nurture.api.errors.ProblemException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.jdbi.v3.core.Jdbi;

/** A program's leads in flight per version, step and status (the journeys mirror), before migrating them. */
@Path("/v1/programs/{id}/in-flight")
@Produces(MediaType.APPLICATION_JSON)
public class ProgramInFlightResource {
  private final Jdbi jdbi;

  public ProgramInFlightResource(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  @GET
  @RolesAllowed(Roles.OPERATOR)
  public InFlight inFlight(@PathParam("id") String id) {
    if (jdbi.onDemand(ProgramDao.class).latest(id).isEmpty()) {
      throw ProblemException.notFound("no program " + id);
    }
    return InFlight.of(id, jdbi.onDemand(InFlightDao.class).of(id));
  }
}
