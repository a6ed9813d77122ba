package com.nurture.api;

import static com.nurture.api.TestApi.MA;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.nurture.activities.TestDatabase;
import com.nurture.activities.TestSmtp;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import jakarta.ws.rs.client.Entity;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A large batch's answer is whole: 200, complete JSON, one result per item in order, read as the
 * bench's Python client reads it (HTTP/1.1 with {@code Connection: close}, so the answer has no
 * length and ends where the connection does: a cut answer looks complete to the client until it
 * parses it). Also when Temporal answers late or not at all. Before intake.batch_deadline, a batch
 * working longer than the connector's idle timeout (a slow Temporal) lost its answer at its first
 * write: Jetty failed the write with the idle timeout, the connection closed with nothing or the first
 * 32 KiB sent (as seen in the benchmarks). Here the idle timeout is 5 s, the deadline 1 s, and a slow
 * Temporal would keep the batch working for about 20 s.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class BatchAnswerTest {
  private static final Logger log = LoggerFactory.getLogger(BatchAnswerTest.class);
  private static final int ITEMS = 500;
  private static final GreenMail SMTP = TestSmtp.start();
  private static final RelayedTemporal TEMPORAL = new RelayedTemporal();
  private static final TcpRelay RELAY = TEMPORAL.relay();

  static final DropwizardAppExtension<NurtureConfiguration> APP = TestApi.allInOne(SMTP,
      ConfigOverride.config("temporal.target", TEMPORAL.target()),
      ConfigOverride.config("temporal.call_timeout", "2s"),
      ConfigOverride.config("intake.batch_deadline", "1s"),
      ConfigOverride.config("server.applicationConnectors[0].idleTimeout", "5s"));
  private static final Jdbi DB = TestDatabase.jdbi();
  private static final TestApi API = new TestApi(APP);

  @AfterAll
  static void stop() {
    TEMPORAL.closeWith(API, SMTP);
  }

  @Test
  void fiveHundredEventsAreAnsweredWholeWhileTemporalIsSlow() throws IOException {
    List<String> leads = leads(100);
    String tag = TestApi.newId("slow");
    RELAY.slow(Duration.ofMillis(100));
    JsonNode answer;
    try {
      answer = postWhole(events(tag, leads));
    } finally {
      RELAY.slow(Duration.ZERO);
    }
    assertThat(answer.path("results")).extracting(r -> r.path("status").asInt()).containsOnly(202);
    assertThat(answer.path("results")).extracting(r -> r.path("delivered").asBoolean())
        .as("past the deadline, items are left to the outbox").contains(false);
    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
        .untilAsserted(() -> assertThat(queued(tag)).as("the outbox delivers what the batch left to it").isZero());
  }

  private static int queued(String tag) {
    return DB.withHandle(h -> h.createQuery("SELECT count(*) FROM event_outbox WHERE event_id LIKE :tag")
        .bind("tag", tag + "-%").mapTo(Integer.class).one());
  }

  @Test
  void fiveHundredEventsAreAnsweredWholeWhileTemporalIsAway() throws IOException {
    List<String> leads = leads(100);
    RELAY.down();
    try {
      JsonNode answer = postWhole(events(TestApi.newId("away"), leads));
      assertThat(answer.path("results")).extracting(r -> r.path("status").asInt()).containsOnly(202);
    } finally {
      RELAY.up();
    }
  }

  private static List<String> leads(int n) {
    List<Map<String, Object>> batch = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String id = TestApi.newId("whole");
      batch.add(Map.of("id", id, "email", id + "@example.com", "consent", "opt_in"));
    }
    JsonNode stored = API.json(API.call("/v1/leads:batch", MA).put(Entity.json(Map.of("leads", batch))), 200);
    assertThat(stored.path("failed").asInt()).as(stored.toString()).isZero();
    return batch.stream().map(l -> (String) l.get("id")).toList();
  }

  /** Pricing-page visits: each starts the pricing-page program or reaches the journey it started (a Temporal call). */
  private static List<Map<String, Object>> events(String tag, List<String> leads) {
    return IntStream.range(0, ITEMS).mapToObj(k -> Map.<String, Object>of("lead_id", leads.get(k % leads.size()),
        "id", tag + "-" + k, "type", "page_visited", "properties", Map.of("page", "pricing", "visit", k))).toList();
  }

  /** POSTs the batch as urllib does and asserts the answer is a 200 with the whole document. */
  private static JsonNode postWhole(List<Map<String, Object>> events) throws IOException {
    byte[] body = APP.getObjectMapper().writeValueAsBytes(Map.of("events", events));
    Instant asked = Instant.now();
    String answer = closeDelimited(body);
    int headEnd = answer.indexOf("\r\n\r\n");
    String head = answer.substring(0, Math.max(0, headEnd));
    String json = answer.substring(headEnd + 4);
    log.info("a {}-item batch answered in {} ms, {} bytes", ITEMS, Duration.between(asked, Instant.now()).toMillis(),
        json.length());
    assertThat(head).as(head).startsWith("HTTP/1.1 200 ");
    JsonNode parsed = API.read(json);
    assertThat(parsed.path("results").size()).as("one result per item").isEqualTo(ITEMS);
    assertThat(parsed.path("results")).extracting(r -> r.path("index").asInt())
        .containsExactlyElementsOf(IntStream.range(0, ITEMS).boxed().toList());
    assertThat(parsed.path("succeeded").asInt() + parsed.path("failed").asInt()).isEqualTo(ITEMS);
    return parsed;
  }

  private static String closeDelimited(byte[] body) throws IOException {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), APP.getLocalPort())) {
      s.setSoTimeout(120_000);
      OutputStream out = s.getOutputStream();
      out.write(("POST /v1/events:batch HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + MA
          + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.write(body);
      out.flush();
      InputStream in = s.getInputStream();
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      in.transferTo(all);
      return all.toString(StandardCharsets.UTF_8);
    }
  }
}
