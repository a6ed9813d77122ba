package com.nurture.api.resources;

import com.nurture.activities.db.SalesSpeedDao;
import com.nurture.api.analytics.ResultCache;
import com.nurture.api.analytics.SalesSpeed;
import com.nurture.api.auth.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Clock;
import org.jdbi.v3.core.Jdbi;

/** Sales speed per owner over the hand-offs made in a period (docs/analytics.md, "Sales speed"). */
@Path("/v1/sales-speed")
@Produces(MediaType.APPLICATION_JSON)
public class SalesSpeedResource {
  private final Jdbi jdbi;
  private final Clock clock;
  private final ResultCache cache;
  private final String defaultOwner;

  public SalesSpeedResource(Jdbi jdbi, Clock clock, ResultCache cache, String defaultOwner) {
    this.jdbi = jdbi;
    this.clock = clock;
    this.cache = cache;
    this.defaultOwner = defaultOwner == null ? "" : defaultOwner;
  }

  @GET
  @RolesAllowed({Roles.OPERATOR, Roles.SALES})
  public SalesSpeed speed(@QueryParam("from") String from, @QueryParam("to") String to) {
    ProgramStatsResource.Period period = ProgramStatsResource.Period.of(from, to, clock);
    String key = String.join("\u001f", "sales-speed", from == null ? "" : period.from().toString(),
        to == null ? "now" : period.to().toString());
    return cache.get(key, () -> SalesSpeed.of(period.from(), period.to(), clock.instant(),
        jdbi.onDemand(SalesSpeedDao.class).byOwner(period.from(), period.to(), defaultOwner)));
  }
}
