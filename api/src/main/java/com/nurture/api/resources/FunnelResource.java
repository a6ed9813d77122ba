package com.nurture.api.resources;

import com.nurture.activities.db.StatsDao;
import com.nurture.api.analytics.Funnel;
import com.nurture.api.analytics.ResultCache;
import com.nurture.api.auth.Roles;
import com.nurture.api.errors.ProblemException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Clock;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Jdbi;

/**
 * The lifecycle funnel of the leads that entered nurture in a period, for one program or all, for
 * one segment (the lead's industry, lower-cased with dashes) or all (docs/analytics.md, "Funnel").
 */
@Path("/v1/funnel")
@Produces(MediaType.APPLICATION_JSON)
public class FunnelResource {
  private static final Pattern SEGMENT = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");

  private final Jdbi jdbi;
  private final Clock clock;
  private final ResultCache cache;

  public FunnelResource(Jdbi jdbi, Clock clock, ResultCache cache) {
    this.jdbi = jdbi;
    this.clock = clock;
    this.cache = cache;
  }

  @GET
  @RolesAllowed(Roles.OPERATOR)
  public Funnel funnel(@QueryParam("from") String from, @QueryParam("to") String to,
      @QueryParam("program") String program, @QueryParam("segment") String segment) {
    ProgramStatsResource.Period period = ProgramStatsResource.Period.of(from, to, clock);
    Optional<String> p = QueryParams.text(program);
    Optional<String> s = QueryParams.text(segment).map(x -> x.toLowerCase(java.util.Locale.ROOT));
    if (s.isPresent() && !SEGMENT.matcher(s.get()).matches()) {
      throw ProblemException.invalid("segment", "is an industry as lower-case words joined by dashes, e.g. financial-services");
    }
    String key = String.join("\u001f", "funnel", p.orElse(""), s.orElse(""),
        from == null ? "" : period.from().toString(), to == null ? "now" : period.to().toString());
    return cache.get(key, () -> jdbi.inTransaction(h -> {
      h.execute("SET LOCAL work_mem = '64MB'");
      StatsDao.Scope scope = new StatsDao.Scope(p, Optional.empty(), period.from(), period.to(), s);
      return Funnel.of(period.from(), period.to(), p.orElse(null), s.orElse(null), clock.instant(),
          h.attach(StatsDao.class).funnel(scope));
    }));
  }
}
