package com.nurture.api.resources;

import com.nurture.activities.db.ProgramDao;
import com.nurture.activities.db.RevenueDao;
import com.nurture.api.analytics.ResultCache;
import com.nurture.api.analytics.Revenue;
import com.nurture.api.analytics.RevenueAttribution;
import com.nurture.api.auth.Roles;
import com.nurture.api.errors.ProblemException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * Conversion revenue credited to the emails before it by first-touch, last-touch, linear and
 * time-decay models, all four in one answer (docs/analytics.md, "Revenue attribution"): per step
 * and variant of one program, or per program. Kept a minute per query, as the statistics are.
 */
@Path("/v1/programs/{id}/revenue")
@Produces(MediaType.APPLICATION_JSON)
public class RevenueResource {
  private final Jdbi jdbi;
  private final Clock clock;
  private final ResultCache cache;

  public RevenueResource(Jdbi jdbi, Clock clock, ResultCache cache) {
    this.jdbi = jdbi;
    this.clock = clock;
    this.cache = cache;
  }

  @GET
  @RolesAllowed(Roles.OPERATOR)
  public Revenue program(@PathParam("id") String id, @QueryParam("from") String from, @QueryParam("to") String to,
      @QueryParam("lookback_days") String lookbackDays) {
    Duration lookback = lookback(lookbackDays);
    ProgramStatsResource.Period period = ProgramStatsResource.Period.of(from, to, clock);
    if (jdbi.onDemand(ProgramDao.class).latest(id).isEmpty()) {
      throw ProblemException.notFound("no program " + id);
    }
    return revenue(Optional.of(id), from, to, lookback, period);
  }

  /** GET /v1/revenue: every program's credit, and per currency the revenue no email touched. */
  @Path("/v1/revenue")
  @Produces(MediaType.APPLICATION_JSON)
  public static class All {
    private final RevenueResource revenue;

    public All(RevenueResource revenue) {
      this.revenue = revenue;
    }

    @GET
    @RolesAllowed(Roles.OPERATOR)
    public Revenue all(@QueryParam("from") String from, @QueryParam("to") String to,
        @QueryParam("lookback_days") String lookbackDays) {
      Duration lookback = lookback(lookbackDays);
      return revenue.revenue(Optional.empty(), from, to, lookback,
          ProgramStatsResource.Period.of(from, to, revenue.clock));
    }
  }

  private static Duration lookback(String days) {
    return QueryParams.integer("lookback_days", days, 1, 365).map(Duration::ofDays).orElse(RevenueAttribution.LOOKBACK);
  }

  private Revenue revenue(Optional<String> program, String from, String to, Duration lookback,
      ProgramStatsResource.Period period) {
    String key = String.join("\u001f", "revenue", program.orElse(""), String.valueOf(lookback.toDays()),
        from == null ? "" : period.from().toString(), to == null ? "now" : period.to().toString());
    return cache.get(key, () -> Revenue.of(program, period.from(), period.to(), lookback, clock.instant(),
        jdbi.withHandle(h -> h.attach(RevenueDao.class).conversions(program, period.from(), period.to(), lookback))));
  }
}
