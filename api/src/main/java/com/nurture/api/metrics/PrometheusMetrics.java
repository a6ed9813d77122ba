package com.nurture.api.metrics;

import com.codahale.metrics.MetricRegistry;
import com.nurture.activities.metrics.BusinessMetrics;
import com.uber.m3.tally.RootScopeBuilder;
import com.uber.m3.tally.Scope;
import io.dropwizard.lifecycle.Managed;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.temporal.common.reporter.MicrometerClientStatsReporter;
import java.time.Duration;
import org.jdbi.v3.core.Jdbi;

/**
 * This process's metrics in Prometheus' text format, served on the admin port as
 * {@code GET /prometheus} ({@link PrometheusServlet}; docs/operations.md, "Metrics and logs"). One
 * Micrometer registry holds: the Temporal SDK's metrics (client and worker: requests, polls, task
 * latencies, schedule-to-start), reported through the SDK's {@link MicrometerClientStatsReporter}
 * from the tally {@link #temporalScope() scope} the Temporal connection is built with; the JVM's;
 * the {@link BusinessMetrics business counters}; the journeys-by-status gauge; and Dropwizard's
 * own registry (Jetty, Jersey, the connection pool, the tracking meters), exported into the same
 * scrape by the Prometheus client's Dropwizard collector ({@link DropwizardCollector}). Dropwizard's {@code jvm.*} gauges are left
 * out: Micrometer's JVM metrics (the names dashboards expect) replace them.
 */
public final class PrometheusMetrics implements Managed {
  /** The admin port path. */
  public static final String PATH = "/prometheus";
  /** How often the SDK's tally scope hands what it gathered to Micrometer. */
  static final Duration TEMPORAL_REPORT_INTERVAL = Duration.ofSeconds(5);

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final BusinessMetrics business = new BusinessMetrics(registry);
  private final JvmGcMetrics gc = new JvmGcMetrics();
  private final Scope temporalScope;

  public PrometheusMetrics(MetricRegistry dropwizard) {
    // Temporal's latencies (task schedule-to-start, execution, requests) as histograms, so a
    // dashboard can take their p95 across instances.
    registry.config().meterFilter(new MeterFilter() {
      @Override
      public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
        if (id.getType() == Meter.Type.TIMER && id.getName().startsWith("temporal_")) {
          return DistributionStatisticConfig.builder()
              .percentilesHistogram(true)
              .minimumExpectedValue((double) Duration.ofMillis(1).toNanos())
              .maximumExpectedValue((double) Duration.ofMinutes(5).toNanos())
              .build()
              .merge(config);
        }
        return config;
      }
    });
    new JvmMemoryMetrics().bindTo(registry);
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    registry.getPrometheusRegistry().register(
        new DropwizardCollector(dropwizard, (name, metric) -> !name.startsWith("jvm.")));
    this.temporalScope = new RootScopeBuilder()
        .reporter(new MicrometerClientStatsReporter(registry))
        .reportEvery(com.uber.m3.util.Duration.ofMillis(TEMPORAL_REPORT_INTERVAL.toMillis()));
  }

  /** Adds {@code nurture_journeys{program,status}}, read from the journeys table when scraped. */
  public PrometheusMetrics withJourneyCounts(Jdbi jdbi) {
    registry.getPrometheusRegistry().register(new JourneyCounts(jdbi, JourneyCounts.CACHE_FOR));
    return this;
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  public BusinessMetrics business() {
    return business;
  }

  /** The scope to build the Temporal service stubs with (the worker factory reports through it too). */
  public Scope temporalScope() {
    return temporalScope;
  }

  public PrometheusServlet servlet() {
    return new PrometheusServlet(registry.getPrometheusRegistry());
  }

  /** Flushes what the Temporal scope still holds, and releases the JVM's GC listeners. */
  @Override
  public void stop() throws com.uber.m3.tally.ScopeCloseException {
    gc.close();
    temporalScope.close();
  }
}
