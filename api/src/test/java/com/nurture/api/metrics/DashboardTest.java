package com.nurture.api.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nurture.activities.metrics.BusinessMetrics;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * docker/grafana/dashboards/nurture.json parses, every panel queries something, and every metric a
 * query names is one the application exports (a renamed counter would otherwise leave a panel
 * silently empty): the business metrics, the Temporal SDK's (its MetricsType names), the JVM's
 * and the tracking meters, as Prometheus names them.
 */
class DashboardTest {
  private static final Path DASHBOARD = Path.of("..", "docker", "grafana", "dashboards", "nurture.json");
  private static final Pattern METRIC = Pattern.compile("\\b((?:nurture|temporal|tracking|jvm|process|system)_[a-zA-Z0-9_]*)");
  /** The meters TrackingResource marks in Dropwizard's registry (PrometheusEndpointTest sees the bot one). */
  private static final List<String> TRACKING_METERS =
      List.of("tracking.clicks.human", "tracking.clicks.bot", "tracking.opens.human", "tracking.opens.machine");

  /** Every sample name the application can export under these prefixes. */
  private static Set<String> exported() throws Exception {
    Set<String> bases = new HashSet<>();
    BusinessMetrics.NAMES.forEach(n -> bases.add(n.replace('.', '_')));
    for (Class<?> types : List.of(io.temporal.worker.MetricsType.class, io.temporal.serviceclient.MetricsType.class)) {
      for (Field f : types.getFields()) {
        if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
          bases.add((String) f.get(null));
        }
      }
    }
    Set<String> names = new HashSet<>();
    for (String base : bases) {
      for (String suffix : List.of("", "_total", "_seconds_bucket", "_seconds_count", "_seconds_sum", "_seconds_max")) {
        names.add(base + suffix);
      }
    }
    // The JVM's and Dropwizard's, as a fresh registry exports them.
    MetricRegistry dropwizard = new MetricRegistry();
    TRACKING_METERS.forEach(m -> dropwizard.meter(m).mark());
    PrometheusMetrics metrics = new PrometheusMetrics(dropwizard);
    try {
      names.addAll(Scrape.parse(metrics.registry().scrape()).names());
    } finally {
      metrics.stop();
    }
    return names;
  }

  private static List<JsonNode> panels(JsonNode dashboard) {
    List<JsonNode> all = new ArrayList<>();
    dashboard.path("panels").forEach(p -> {
      all.add(p);
      p.path("panels").forEach(all::add);
    });
    return all;
  }

  @Test
  void everyPanelQueriesMetricsTheApplicationExports() throws Exception {
    JsonNode dashboard = new ObjectMapper().readTree(Files.readString(DASHBOARD));
    assertThat(dashboard.path("uid").asText()).isEqualTo("nurture");
    Set<String> exported = exported();
    assertThat(exported).contains("nurture_emails_sent_total", "temporal_workflow_task_schedule_to_start_latency",
        "jvm_memory_used_bytes", "tracking_clicks_bot_total");

    List<JsonNode> charts = panels(dashboard).stream().filter(p -> !p.path("type").asText().equals("row")).toList();
    assertThat(charts).hasSizeGreaterThanOrEqualTo(10);
    Set<String> used = new HashSet<>();
    Set<Integer> ids = new HashSet<>();
    for (JsonNode panel : charts) {
      String title = panel.path("title").asText();
      assertThat(ids.add(panel.path("id").asInt())).as("panel ids are unique: %s", title).isTrue();
      assertThat(panel.path("datasource").path("uid").asText()).as(title).isEqualTo("prometheus");
      assertThat(panel.path("targets")).as("%s has queries", title).isNotEmpty();
      for (JsonNode target : panel.path("targets")) {
        String expr = target.path("expr").asText();
        List<String> metrics = new ArrayList<>();
        Matcher m = METRIC.matcher(expr);
        while (m.find()) {
          metrics.add(m.group(1));
        }
        assertThat(metrics).as("%s: %s names a metric", title, expr).isNotEmpty();
        assertThat(metrics).as("%s: %s", title, expr).allSatisfy(n -> assertThat(exported).contains(n));
        used.addAll(metrics);
      }
    }
    // The panels an operator looks at first are all there.
    assertThat(used).contains("nurture_emails_sent_total", "nurture_emails_failed_total",
        "nurture_emails_bounced_total", "nurture_emails_complained_total", "nurture_journeys",
        "nurture_send_lag_seconds_bucket", "nurture_events_total", "nurture_handoffs_total",
        "nurture_sla_breaches_total", "tracking_clicks_human_total", "tracking_clicks_bot_total",
        "temporal_workflow_task_execution_latency_seconds_bucket",
        "temporal_workflow_task_schedule_to_start_latency_seconds_bucket",
        "temporal_activity_schedule_to_start_latency_seconds_bucket");
  }

  @Test
  void grafanaIsProvisionedWithTheDashboardAndPrometheusScrapesEveryNurtureService() throws Exception {
    Path docker = Path.of("..", "docker");
    String compose = Files.readString(docker.resolve("compose.yml"));
    assertThat(compose).contains("./grafana/provisioning:/etc/grafana/provisioning")
        .contains("./grafana/dashboards:/var/lib/grafana/dashboards")
        .contains("./prometheus/prometheus.yml:/etc/prometheus/prometheus.yml");
    assertThat(Files.readString(docker.resolve("grafana/provisioning/dashboards/nurture.yml")))
        .contains("path: /var/lib/grafana/dashboards");
    assertThat(Files.readString(docker.resolve("grafana/provisioning/datasources/prometheus.yml")))
        .contains("uid: prometheus").contains("url: http://prometheus:9090");
    ObjectMapper yaml = new ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory());
    // Nurture's services are the ones compose builds from the Dockerfile (the API as all, the worker).
    List<String> nurture = new ArrayList<>();
    yaml.readTree(compose).path("services").fields().forEachRemaining(s -> {
      if (s.getValue().has("build")) {
        nurture.add(s.getKey() + ":8081");
      }
    });
    // A fixed target, or every replica of a service by DNS (a scaled worker's, one series each).
    List<String> targets = new ArrayList<>();
    for (JsonNode scrape : yaml.readTree(docker.resolve("prometheus/prometheus.yml").toFile()).path("scrape_configs")) {
      assertThat(scrape.path("metrics_path").asText()).as(scrape.path("job_name").asText()).isEqualTo(PrometheusMetrics.PATH);
      scrape.path("static_configs").forEach(c -> c.path("targets").forEach(t -> targets.add(t.asText())));
      scrape.path("dns_sd_configs").forEach(c -> c.path("names").forEach(n -> targets.add(n.asText() + ":" + c.path("port").asInt())));
    }
    assertThat(nurture).as("Nurture's services in compose.yml").hasSize(2);
    assertThat(targets).as("what Prometheus scrapes").containsExactlyInAnyOrderElementsOf(nurture);
    try (Stream<Path> files = Files.list(docker.resolve("grafana/dashboards"))) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("nurture.json");
    }
  }
}
