package com.nurture.api.resources;

import com.nurture.activities.db.ProgramDao;
import com.nurture.activities.db.ProgramOutcomeRow;
import com.nurture.activities.db.StatsDao;
import com.nurture.activities.db.StepStatsRow;
import com.nurture.api.analytics.ProgramStats;
import com.nurture.api.analytics.ResultCache;
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
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.jdbi.v3.core.Jdbi;

/**
 * A program's numbers (docs/analytics.md): per email step and variant, the A/B readout, email
 * health against the B2B benchmarks, the MQL outcome and the holdout readout. Read in PostgreSQL
 * from the rollup the writes keep (V20: per-day step counters, per-lead entrants) and the hand-offs;
 * kept a minute per query.
 */
@Path("/v1/programs/{id}/stats")
@Produces(MediaType.APPLICATION_JSON)
public class ProgramStatsResource {
  /** The period when {@code from} is not given: this long before {@code to}. */
  public static final Duration DEFAULT_PERIOD = Duration.ofDays(90);
  private static final List<String> METRICS =
      Arrays.stream(ProgramStats.Metric.values()).map(m -> m.name().toLowerCase(Locale.ROOT)).toList();

  private final Jdbi jdbi;
  private final Clock clock;
  private final ResultCache cache;

  public ProgramStatsResource(Jdbi jdbi, Clock clock, ResultCache cache) {
    this.jdbi = jdbi;
    this.clock = clock;
    this.cache = cache;
  }

  /** The period [from, to): {@code to} defaults to now, {@code from} to {@link #DEFAULT_PERIOD} before it. */
  record Period(Instant from, Instant to) {
    static Period of(String from, String to, Clock clock) {
      Instant end = QueryParams.instant("to", to).orElse(clock.instant());
      Instant start = QueryParams.instant("from", from).orElse(end.minus(DEFAULT_PERIOD));
      if (!start.isBefore(end)) {
        throw ProblemException.invalid("from", "must be before to (" + end + ")");
      }
      return new Period(start, end);
    }
  }

  @GET
  @RolesAllowed(Roles.OPERATOR)
  public ProgramStats stats(@PathParam("id") String id, @QueryParam("from") String from, @QueryParam("to") String to,
      @QueryParam("version") String version, @QueryParam("metric") String metric) {
    Optional<Integer> v = QueryParams.integer("version", version, 1, Integer.MAX_VALUE);
    ProgramStats.Metric m = ProgramStats.Metric.valueOf(
        QueryParams.oneOf("metric", metric, METRICS).orElse("click").toUpperCase(Locale.ROOT));
    Period period = Period.of(from, to, clock);
    ProgramDao programs = jdbi.onDemand(ProgramDao.class);
    if ((v.isPresent() ? programs.find(id, v.get()) : programs.latest(id)).isEmpty()) {
      throw ProblemException.notFound("no program " + id + v.map(n -> " version " + n).orElse(""));
    }
    String key = String.join("\u001f", "stats", id, String.valueOf(v.orElse(0)), m.name(),
        from == null ? "" : period.from().toString(), to == null ? "now" : period.to().toString());
    StatsDao.Scope scope = new StatsDao.Scope(Optional.of(id), v, period.from(), period.to(), Optional.empty());
    return cache.get(key, () -> {
      // The ledger's changes journalled since the last fold, added to the counters first (V34), in a
      // statement of its own: the reads below then count every write committed before this request.
      jdbi.useHandle(h -> h.attach(StatsDao.class).foldJournal());
      // The two aggregations read different things: run them side by side, each on its own connection.
      CompletableFuture<ProgramOutcomeRow> outcome = CompletableFuture.supplyAsync(() -> query(d -> d.outcome(scope)));
      List<StepStatsRow> steps = query(d -> d.steps(scope));
      try {
        return ProgramStats.of(id, v.orElse(null), period.from(), period.to(), clock.instant(), m, steps, outcome.join());
      } catch (CompletionException e) {
        throw e.getCause() instanceof RuntimeException r ? r : e;
      }
    });
  }

  private <T> T query(java.util.function.Function<StatsDao, T> what) {
    return jdbi.inTransaction(h -> {
      h.execute("SET LOCAL work_mem = '64MB'");
      h.execute("SET LOCAL jit = off"); // reads of the rollup are short: compiling them costs more than it saves
      return what.apply(h.attach(StatsDao.class));
    });
  }
}
