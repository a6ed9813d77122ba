package com.nurture.api.metrics;

import com.nurture.workflows.journey.JourneyStatus;
import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code nurture_journeys{program,status}}: how many journeys the mirror table holds per program
 * and status, counted when scraped (one GROUP BY over the (program_id, status) index) and kept for
 * {@link #CACHE_FOR}, so several scrapers or a fast one cost one query. Every status of a program
 * that has journeys is reported, 0 included, so a status emptying shows as 0, not as a gap. Where
 * the database cannot answer, the last counts are kept and the scrape goes on.
 */
final class JourneyCounts implements Collector {
  private static final Logger log = LoggerFactory.getLogger(JourneyCounts.class);
  static final Duration CACHE_FOR = Duration.ofSeconds(5);
  static final String NAME = "nurture_journeys";

  private record Count(String program, String status, long journeys) {}

  private final Jdbi jdbi;
  private final long cacheNanos;
  private long readAt;
  private GaugeSnapshot last = GaugeSnapshot.builder().name(NAME).build();
  private boolean read;

  JourneyCounts(Jdbi jdbi, Duration cacheFor) {
    this.jdbi = jdbi;
    this.cacheNanos = cacheFor.toNanos();
  }

  @Override
  public String getPrometheusName() {
    return NAME;
  }

  @Override
  public synchronized MetricSnapshot collect() {
    long now = System.nanoTime();
    if (read && now - readAt < cacheNanos) {
      return last;
    }
    try {
      List<Count> counts = jdbi.withHandle(h -> h.createQuery(
              "SELECT program_id, status, count(*) AS n FROM journeys GROUP BY program_id, status")
          .map((rs, ctx) -> new Count(rs.getString("program_id"), rs.getString("status"), rs.getLong("n")))
          .list());
      Map<String, Map<String, Long>> byProgram = new TreeMap<>();
      for (Count c : counts) {
        byProgram.computeIfAbsent(c.program(), p -> new TreeMap<>()).merge(c.status(), c.journeys(), Long::sum);
      }
      GaugeSnapshot.Builder snapshot = GaugeSnapshot.builder().name(NAME)
          .help("Journeys by program and status (the journeys mirror table)");
      byProgram.forEach((program, statuses) -> {
        for (JourneyStatus s : JourneyStatus.values()) {
          statuses.putIfAbsent(s.name(), 0L);
        }
        statuses.forEach((status, n) -> snapshot.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder()
            .labels(Labels.of("program", program, "status", status)).value(n).build()));
      });
      last = snapshot.build();
    } catch (RuntimeException e) {
      log.warn("journey counts not read from the database; the last ones are reported: {}", e.toString());
    } finally {
      read = true; // a database that is away is asked again after CACHE_FOR, not on every scrape
      readAt = now;
    }
    return last;
  }
}
