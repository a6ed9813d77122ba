package com.nurture.api.metrics;

import com.codahale.metrics.MetricFilter;
import com.codahale.metrics.MetricRegistry;
import io.prometheus.metrics.instrumentation.dropwizard.DropwizardExports;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusScrapeRequest;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.PrometheusNaming;
import java.util.function.Predicate;

/**
 * Dropwizard's registry (Jetty, Jersey, the connection pool, the statements' timers) in the
 * Prometheus scrape, through the Prometheus client's own {@link DropwizardExports}. A scrape of some
 * names ({@code GET /prometheus?name[]=...}) reads only the Dropwizard metrics that can carry one of
 * them. The client's collector names no metrics in advance, so the registry asked it for all and
 * dropped what was not asked for: each poll of one Temporal counter took a snapshot of every
 * Dropwizard timer and histogram (copying and sorting each reservoir), most of what a full page costs.
 */
final class DropwizardCollector implements MultiCollector {
  private final MetricRegistry registry;
  private final MetricFilter kept;
  private final DropwizardExports all;

  DropwizardCollector(MetricRegistry registry, MetricFilter kept) {
    this.registry = registry;
    this.kept = kept;
    this.all = new DropwizardExports(registry, kept);
  }

  @Override
  public MetricSnapshots collect() {
    return all.collect();
  }

  @Override
  public MetricSnapshots collect(Predicate<String> names, PrometheusScrapeRequest request) {
    MetricSnapshots read = new DropwizardExports(registry,
        (name, metric) -> kept.matches(name, metric) && mayCarry(name, names)).collect();
    // The client's own naming decides: what passed the cheap test above is kept only under the name
    // its snapshot has, as the registry's default filtering would.
    MetricSnapshots.Builder asked = MetricSnapshots.builder();
    for (MetricSnapshot snapshot : read) {
      if (names.test(snapshot.getMetadata().getPrometheusName())) {
        asked.metricSnapshot(snapshot);
      }
    }
    return asked.build();
  }

  /**
   * Whether the Dropwizard metric {@code name} may be exported under one of {@code names}: its name
   * made a Prometheus one as the client does (a meter's with {@code _total} appended first, which the
   * naming strips again). A superset is harmless (filtered again after reading); a miss is not.
   */
  private static boolean mayCarry(String name, Predicate<String> names) {
    return names.test(PrometheusNaming.prometheusName(PrometheusNaming.sanitizeMetricName(name)))
        || names.test(PrometheusNaming.prometheusName(PrometheusNaming.sanitizeMetricName(name + "_total")));
  }
}
