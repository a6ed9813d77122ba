package com.nurture.api.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Gauge;
import com.codahale.metrics.Histogram;
import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Snapshot;
import com.codahale.metrics.Timer;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A scrape of some names reads only the Dropwizard metrics exported under them, and gets each exactly
 * as the whole page has it; {@code jvm.*} stays out either way.
 */
class DropwizardCollectorTest {
  private final MetricRegistry dropwizard = new MetricRegistry();
  private final AtomicInteger snapshotsTaken = new AtomicInteger();
  private final PrometheusRegistry registry = new PrometheusRegistry();

  DropwizardCollectorTest() {
    // Names of the kinds Dropwizard registers: dots, capitals, digits first, dashes, a space and slash.
    dropwizard.register("io.dropwizard.db.ManagedPooledDataSource.nurture.active", (Gauge<Integer>) () -> 3);
    dropwizard.counter("org.eclipse.jetty.util.thread.QueuedThreadPool.dw.jobs").inc(7);
    Histogram sizes = dropwizard.histogram("jdbi.batch.size");
    for (int k = 1; k <= 50; k++) {
      sizes.update(k);
    }
    dropwizard.register("com.nurture.api.resources.LeadResource.event", new CountingTimer()).update(Duration.ofMillis(4));
    dropwizard.register("jdbi.statements.POST /v1/events.2xx-insert", new CountingTimer()).update(Duration.ofMillis(2));
    dropwizard.meter("io.dropwizard.jetty.MutableServletContextHandler.2xx-responses").mark(5);
    dropwizard.meter("tracking.clicks.bot").mark(2);
    dropwizard.register("jvm.memory.heap.used", (Gauge<Long>) () -> 42L);
    registry.register(new DropwizardCollector(dropwizard, (name, metric) -> !name.startsWith("jvm.")));
  }

  /** A timer that counts the snapshots taken of it (each copies and sorts its reservoir). */
  private final class CountingTimer extends Timer {
    @Override
    public Snapshot getSnapshot() {
      snapshotsTaken.incrementAndGet();
      return super.getSnapshot();
    }
  }

  @Test
  void eachMetricScrapedByItsNameIsWhatTheWholePageHas() throws IOException {
    MetricSnapshots whole = registry.scrape();
    List<String> names = new ArrayList<>();
    whole.forEach(s -> names.add(s.getMetadata().getPrometheusName()));
    assertThat(names).hasSize(7).noneMatch(n -> n.startsWith("jvm"))
        .contains("com_nurture_api_resources_LeadResource_event", "tracking_clicks_bot");
    for (MetricSnapshot snapshot : whole) {
      String name = snapshot.getMetadata().getPrometheusName();
      MetricSnapshots alone = registry.scrape(name::equals);
      assertThat(alone.size()).as(name).isEqualTo(1);
      assertThat(text(alone)).as(name).isEqualTo(text(MetricSnapshots.of(snapshot))).contains(name);
    }
    assertThat(registry.scrape(Set.of("tracking_clicks_bot", "jdbi_batch_size")::contains).size()).isEqualTo(2);
    assertThat(registry.scrape("jvm_memory_heap_used"::equals).size()).isZero();
  }

  @Test
  void aScrapeOfOtherNamesReadsNoReservoir() {
    registry.scrape();
    assertThat(snapshotsTaken).hasValue(2);
    MetricSnapshots other = registry.scrape("temporal_workflow_task_execution_latency_seconds"::equals);
    assertThat(other.size()).isZero();
    assertThat(snapshotsTaken).hasValue(2);
    registry.scrape("com_nurture_api_resources_LeadResource_event"::equals);
    assertThat(snapshotsTaken).hasValue(3);
  }

  private static String text(MetricSnapshots snapshots) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ExpositionFormats.init().getPrometheusTextFormatWriter().write(out, snapshots);
    return out.toString(StandardCharsets.UTF_8);
  }
}
