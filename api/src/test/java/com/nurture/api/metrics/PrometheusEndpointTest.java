package com.nurture.api.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.icegreen.greenmail.util.GreenMail;
import com.nurture.activities.TestDatabase;
import com.nurture.activities.TestSmtp;
import com.nurture.activities.mail.ReceivedMail;
import com.nurture.api.AllInOneApplication;
import com.nurture.api.NurtureConfiguration;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.ResourceHelpers;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.client.ClientBuilder;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.glassfish.jersey.client.ClientProperties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * GET /prometheus on the admin port, after a real send: the Temporal SDK's metrics, the business
 * counters with their program and step, the journeys gauge, Dropwizard's and the JVM's metrics, in
 * Prometheus text (OpenMetrics when asked), with no lead id or address anywhere. Same set-up as
 * ApiTest (in-process Temporal, embedded PostgreSQL, GreenMail).
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class PrometheusEndpointTest {
  private static final GreenMail SMTP = TestSmtp.start();

  static final DropwizardAppExtension<NurtureConfiguration> APP = new DropwizardAppExtension<>(
      AllInOneApplication.class, ResourceHelpers.resourceFilePath("api-test.yml"),
      ConfigOverride.config("database.url", TestDatabase.database().jdbcUrl()),
      ConfigOverride.config("smtp.port", String.valueOf(SMTP.getSmtp().getPort())));

  private static final Client CLIENT = ClientBuilder.newClient();

  @AfterAll
  static void stop() {
    SMTP.stop();
    CLIENT.close();
  }

  private static Response api(String path, Object body, String method) {
    var request = CLIENT.target("http://localhost:" + APP.getLocalPort()).path(path).request()
        .header("Authorization", "Bearer ma-key");
    return method.equals("PUT") ? request.put(Entity.json(body)) : request.post(Entity.json(body));
  }

  private static Response scrape(String accept) {
    var request = CLIENT.target("http://localhost:" + APP.getAdminPort() + "/prometheus").request();
    return accept == null ? request.get() : request.header("Accept", accept).get();
  }

  private static Scrape scrape() {
    Response r = scrape(null);
    assertThat(r.getStatus()).isEqualTo(200);
    return Scrape.parse(r.readEntity(String.class));
  }

  @Test
  void aSendShowsUpAsSdkMetricsAndBusinessCountersWithoutPersonalData() throws Exception {
    String id = "crm-" + UUID.randomUUID().toString().substring(0, 8);
    String email = id + "@example.com";
    assertThat(api("/v1/leads/" + id, Map.of("email", email, "consent", "opt_in", "first_name", "Pat"), "PUT")
        .getStatus()).isEqualTo(201);
    assertThat(api("/v1/leads/" + id + "/journey", Map.of("program", "onboarding"), "POST").getStatus()).isEqualTo(201);
    await().atMost(Duration.ofSeconds(30)).until(() -> TestSmtp.mailTo(SMTP, email).size() == 1);
    String messageId = TestSmtp.mailTo(SMTP, email).get(0).getMessageID();

    // A link checker's HEAD on the email's (honeypot) link: a bot click, in Dropwizard's meters.
    String html = ReceivedMail.part(TestSmtp.mailTo(SMTP, email).get(0), "text/html");
    Matcher link = Pattern.compile("/t/c/([^\"'\\s<>]+)").matcher(html);
    assertThat(link.find()).as(html).isTrue();
    assertThat(CLIENT.target("http://localhost:" + APP.getLocalPort()).path("/t/c/" + link.group(1)).request()
        .property(ClientProperties.FOLLOW_REDIRECTS, false).head().getStatus()).isEqualTo(302);

    // A hard bounce of that message: counted against the program and step it was sent from. The
    // request's log lines carry the lead of its path in the MDC (lead_id in JSON lines).
    ch.qos.logback.classic.Logger intakeLog = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory
        .getLogger(com.nurture.api.core.EventIntake.class);
    ListAppender<ILoggingEvent> lines = new ListAppender<>() {
      @Override
      protected void append(ILoggingEvent e) {
        e.prepareForDeferredProcessing();
        super.append(e);
      }
    };
    lines.start();
    intakeLog.addAppender(lines);
    try {
      assertThat(api("/v1/leads/" + id + "/events", Map.of("id", "bounce-1", "type", "bounced",
          "properties", Map.of("hard", true, "message_id", messageId)), "POST").getStatus()).isEqualTo(202);
    } finally {
      intakeLog.detachAppender(lines);
    }
    assertThat(lines.list).filteredOn(e -> e.getFormattedMessage().startsWith("event bounced bounce-1"))
        .singleElement().satisfies(e -> assertThat(e.getMDCPropertyMap()).containsEntry("lead_id", id));

    // The SDK's timers reach the registry at once, its counters and gauges on its tally scope's
    // next report (every 5 s).
    await().atMost(Duration.ofSeconds(30)).until(() -> {
      Scrape now = scrape();
      return now.has("temporal_request_total") && now.has("temporal_worker_task_slots_available")
          && now.has("temporal_workflow_task_execution_latency_seconds_count");
    });
    Response response = scrape(null);
    assertThat(response.getHeaderString("Content-Type")).startsWith("text/plain; version=0.0.4");
    String text = response.readEntity(String.class);
    Scrape page = Scrape.parse(text);
    // Left for a look (what the dashboard can chart): api/target/prometheus-scrape.txt.
    java.nio.file.Files.writeString(java.nio.file.Path.of("target", "prometheus-scrape.txt"), text);

    // Temporal SDK: the client's requests, the worker's polls and task latencies.
    assertThat(page.sum("temporal_request_total", Map.of())).isGreaterThanOrEqualTo(1);
    assertThat(page.sum("temporal_long_request_total", Map.of("operation", "PollWorkflowTaskQueue")))
        .isGreaterThanOrEqualTo(1);
    assertThat(page.sum("temporal_workflow_task_execution_latency_seconds_count", Map.of("task_queue", "nurture")))
        .isGreaterThanOrEqualTo(1);
    assertThat(page.sum("temporal_activity_schedule_to_start_latency_seconds_count", Map.of("activity_type", "SendEmail")))
        .isGreaterThanOrEqualTo(1);
    assertThat(page.names()).anyMatch(n -> n.startsWith("temporal_workflow_task_schedule_to_start_latency_seconds_bucket"));

    // Business counters, by program and step.
    double sent = page.sum("nurture_emails_sent_total", Map.of("program", "onboarding"));
    assertThat(sent).isGreaterThanOrEqualTo(1);
    String step = page.samples().stream().filter(s -> s.name().equals("nurture_emails_sent_total"))
        .map(s -> s.labels().get("step")).findFirst().orElseThrow();
    assertThat(step).isNotBlank().isNotEqualTo("unknown");
    assertThat(page.sum("nurture_send_lag_seconds_count", Map.of("program", "onboarding"))).isEqualTo(sent);
    assertThat(page.sum("nurture_send_lag_seconds_bucket", Map.of("program", "onboarding", "le", "+Inf")))
        .isEqualTo(sent);
    assertThat(page.sum("nurture_emails_bounced_total", Map.of("program", "onboarding", "step", step, "hard", "true")))
        .isEqualTo(1);
    assertThat(page.sum("nurture_events_total", Map.of("type", "bounced"))).isEqualTo(1);

    // Journeys by status, from the mirror table (the bounce ends this one as UNSUBSCRIBED).
    await().atMost(Duration.ofSeconds(30)).until(() ->
        scrape().sum("nurture_journeys", Map.of("program", "onboarding", "status", "UNSUBSCRIBED")) >= 1);
    assertThat(page.samples()).filteredOn(s -> s.name().equals("nurture_journeys"))
        .allSatisfy(s -> assertThat(s.labels().keySet()).containsExactly("program", "status"));

    // JDBI's statement timers: the send's claim and outcome run as fluent statements (SendStatements);
    // one standing in for a DAO method is timed under it, as before (StatementNames), and the claim's
    // statements that merge several under their own names.
    assertThat(page.sum("com_nurture_activities_db_SendStatements_claimRead_count", Map.of()))
        .isGreaterThanOrEqualTo(sent);
    assertThat(page.sum("com_nurture_activities_db_SendStatements_claimSending_count", Map.of()))
        .isGreaterThanOrEqualTo(sent);
    assertThat(page.sum("com_nurture_activities_db_MessageDao_markSent_count", Map.of())).isGreaterThanOrEqualTo(sent);

    // Dropwizard's registry (Jetty's requests) and the JVM's, in the same page.
    assertThat(page.names()).anyMatch(n -> n.startsWith("io_dropwizard_jetty_"));
    assertThat(page.sum("tracking_clicks_bot_total", Map.of())).isEqualTo(1);
    assertThat(page.sum("jvm_memory_used_bytes", Map.of("area", "heap"))).isPositive();

    // No personal data: neither the lead id nor the address is a label value.
    assertThat(text).doesNotContain(id).doesNotContain(email).doesNotContain("example.com");
  }

  /** {@code name[]}, as Prometheus' exporters take it: only the metrics named, with all their series. */
  @Test
  void aScrapeOfNamedMetricsHoldsThoseOnly() {
    Response r = CLIENT.target("http://localhost:" + APP.getAdminPort() + "/prometheus")
        .queryParam("name[]", "jvm_memory_used_bytes").queryParam("name[]", "process_uptime_seconds").request().get();
    assertThat(r.getStatus()).isEqualTo(200);
    Scrape page = Scrape.parse(r.readEntity(String.class));
    assertThat(page.names()).containsExactlyInAnyOrder("jvm_memory_used_bytes", "process_uptime_seconds");
    assertThat(page.samples()).filteredOn(s -> s.name().equals("jvm_memory_used_bytes")).hasSizeGreaterThan(1);
    Scrape whole = scrape();
    assertThat(whole.names()).contains("jvm_memory_used_bytes", "process_uptime_seconds", "jvm_threads_live_threads");
    // A Dropwizard timer by its name, too (DropwizardCollector reads only the metrics that may carry it).
    String jetty = whole.samples().stream().filter(s -> s.name().startsWith("io_dropwizard_jetty_")
        && s.labels().containsKey("quantile")).findFirst().orElseThrow().name();
    Scrape alone = Scrape.parse(CLIENT.target("http://localhost:" + APP.getAdminPort() + "/prometheus")
        .queryParam("name[]", jetty).request().get(String.class));
    assertThat(alone.names()).containsExactlyInAnyOrder(jetty, jetty + "_count"); // Dropwizard's summaries have no _sum
  }

  @Test
  void aScraperThatAsksForOpenMetricsGetsIt() {
    Response r = scrape("application/openmetrics-text; version=1.0.0; charset=utf-8");
    assertThat(r.getStatus()).isEqualTo(200);
    assertThat(r.getHeaderString("Content-Type")).startsWith("application/openmetrics-text");
    assertThat(r.readEntity(String.class)).contains("# TYPE jvm_memory_used_bytes gauge").endsWith("# EOF\n");
  }
}
