package com.nurture.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.nurture.activities.FreePort;
import com.nurture.activities.TestSmtp;
import com.nurture.activities.db.Database;
import com.nurture.activities.db.EmbeddedDatabase;
import com.nurture.activities.db.MessageDao;
import com.nurture.activities.db.MessageRow;
import com.nurture.api.core.TemporalConnection;
import com.nurture.workflows.journey.JourneyResult;
import com.nurture.workflows.journey.JourneyStatus;
import io.dropwizard.lifecycle.JettyManaged;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.ResourceHelpers;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowStub;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.client.ClientBuilder;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.client.Invocation;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The proof: PostgreSQL restarts under running journeys, and no journey fails, every
 * transition is on the timeline once, every email goes out once and the ledger says so.
 *
 * <p>The application runs as in production with both roles in one process (API and worker), on its
 * own embedded PostgreSQL kept in a data directory on a fixed free port, so the same JDBC URL works
 * after the restart. Three pairs of leads are enrolled a few seconds apart so that, while the
 * database is down, each pair is at a different kind of database write:
 * <ul>
 *   <li>A: its second email is in the middle of SMTP (held by {@link SmtpGate}) when PostgreSQL
 *       stops, and reaches the mailbox while it is down: the activity cannot mark it sent at once;</li>
 *   <li>B: its wait_for times out while the database is down: the RecordTransition local activity
 *       fails and must be retried;</li>
 *   <li>C: its third email is due while the database is down: SendEmail cannot claim the send and
 *       must be retried.</li>
 * </ul>
 * Each lead also gets an event POSTed during the outage (the API answers 503 and the client
 * retries it after the restart, the way an MA system would).
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class PostgresRestartTest {
  private static final Logger log = LoggerFactory.getLogger(PostgresRestartTest.class);
  private static final String MA = "ma-key";
  private static final String OPS = "ops-key";
  /** The wait_for timeout after the first email and the wait after the second. */
  private static final int STEP_SECONDS = 10;
  private static final Duration OUTAGE = Duration.ofSeconds(7);

  private static final Path PG_DATA = TestApi.tempDirectory("nurture-pg-restart");
  private static final int PG_PORT = FreePort.take();
  private static volatile EmbeddedDatabase postgres = EmbeddedDatabase.persistent(PG_DATA, PG_PORT);
  private static final GreenMail SMTP = TestSmtp.start();
  private static final SmtpGate GATE = new SmtpGate(SMTP.getSmtp().getPort());

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(PostgresRestartTest::removeDatabase));
  }

  static final DropwizardAppExtension<NurtureConfiguration> APP = new DropwizardAppExtension<>(
      AllInOneApplication.class, ResourceHelpers.resourceFilePath("api-test.yml"),
      ConfigOverride.config("database.url", postgres.jdbcUrl()),
      ConfigOverride.config("smtp.port", String.valueOf(GATE.port())),
      // The gate holds new connections: pooled ones must not outlive the 6 s between the sends it targets.
      ConfigOverride.config("smtp.pool.expire_after", "1s"));

  private static final Client CLIENT = ClientBuilder.newBuilder()
      .connectTimeout(5, TimeUnit.SECONDS).readTimeout(30, TimeUnit.SECONDS).build();

  @AfterAll
  static void stopServers() {
    CLIENT.close();
    GATE.close();
    SMTP.stop();
  }

  /** One lead of the scenario; its cohort says what the outage hits in its journey. */
  private record Lead(String id, String email, String cohort) {}

  @Test
  void journeysSurviveAPostgresRestartWithEveryTransitionAndEmailExactlyOnce() throws Exception {
    Instant testStart = Instant.now();
    String program = "pg-restart-" + UUID.randomUUID().toString().substring(0, 6);
    json(call("/v1/programs/" + program, OPS).put(Entity.entity("""
        id: %s
        send_policy: none
        graduate: false
        steps:
          - { id: first, send: onboarding-welcome }
          - id: listen
            wait_for: { any: [ { event: email_clicked, step: first } ], timeout: %ds }
          - { id: second, send: onboarding-problem }
          - { id: pause, wait: %ds }
          - { id: third, send: onboarding-proof }
        """.formatted(program, STEP_SECONDS, STEP_SECONDS), "application/yaml")), 201);

    // C at 0 s: its third email is due at ~20 s. A at 7 s: its second email at ~17 s is held at
    // SMTP and the database stops then. B at 11 s: its wait_for times out at ~21 s. The outage
    // lasts until ~24 s.
    List<Lead> leads = new ArrayList<>();
    leads.addAll(enrol("c", 2, program));
    Instant c = Instant.now();
    sleepUntil(c.plusSeconds(7));
    leads.addAll(enrol("a", 2, program));
    Instant a = Instant.now();
    sleepUntil(a.plusSeconds(4));
    leads.addAll(enrol("b", 2, program));
    log.info("enrolled C at 0s, A at {}s, B at {}s", Duration.between(c, a).toMillis() / 1000.0, secondsSince(c));

    // A's second emails: claimed in the ledger, then held in the middle of SMTP.
    sleepUntil(a.plusSeconds(STEP_SECONDS - 2));
    await().atMost(Duration.ofSeconds(5)).until(() -> SMTP.getReceivedMessages().length == leads.size() + 2);
    GATE.hold();
    // Sends share pooled connections: A's two sends have claimed their rows ('sending') and wait in SMTP,
    // on a connection held at the gate or for one being opened through it.
    Jdbi before = Database.open(postgres.dataSource());
    await().atMost(Duration.ofSeconds(15)).until(() -> GATE.waiting() >= 1
        && count(before, "SELECT count(*) FROM messages WHERE status = 'sending'") >= 2);
    int inFlight = count(before, "SELECT count(*) FROM messages WHERE status = 'sending'");
    Instant stopped = Instant.now();
    postgres.close();
    log.info("PostgreSQL stopped at {}s with {} emails in the middle of SMTP", secondsSince(c), inFlight);
    // The held emails reach the mailbox now, with the database away.
    GATE.release();
    int expected = leads.size() + 2 + inFlight;
    await().atMost(Duration.ofSeconds(10)).until(() -> SMTP.getReceivedMessages().length == expected);

    // Events sent while the database is down: the API cannot take them, and says to retry.
    Map<String, Integer> duringOutage = new LinkedHashMap<>();
    for (Lead lead : leads) {
      Response r = postEvent(lead);
      duringOutage.put(lead.id(), r.getStatus());
      log.info("POST event during the outage for {}: {} Retry-After {} {}", lead.id(), r.getStatus(),
          r.getHeaderString("Retry-After"), r.readEntity(String.class));
    }
    sleepUntil(stopped.plus(OUTAGE));
    Instant restarting = Instant.now();
    postgres = EmbeddedDatabase.persistent(PG_DATA, PG_PORT);
    Instant restarted = Instant.now();
    log.info("PostgreSQL down {} ms (restart took {} ms)", Duration.between(stopped, restarted).toMillis(),
        Duration.between(restarting, restarted).toMillis());

    // The API reconnects: each lead's event is accepted on the client's retry.
    Map<String, Boolean> delivered = new LinkedHashMap<>();
    for (Lead lead : leads) {
      await().atMost(Duration.ofSeconds(10)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(200)).until(() -> {
        Response r = postEvent(lead);
        if (r.getStatus() != 202) {
          log.info("POST event after the restart for {}: {}", lead.id(), r.getStatus());
          r.close();
          return false;
        }
        delivered.put(lead.id(), readJson(r.readEntity(String.class)).path("delivered_to_journey").asBoolean());
        return true;
      });
    }
    log.info("the API took every event again {} ms after the restart", Duration.between(restarted, Instant.now()).toMillis());

    WorkflowClient temporal = temporal();
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> leads.stream()
        .allMatch(l -> temporal.newUntypedWorkflowStub("lead-" + l.id()).describe().getStatus()
            != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING));
    log.info("every journey ended {}s after the first enrolment", secondsSince(c));

    // While the database was down the API answered 503 (Retry-After), never a 500 "bug".
    assertThat(duringOutage.values()).as("status of POST /events while PostgreSQL was down").containsOnly(503);

    Jdbi db = Database.open(postgres.dataSource());
    List<String> exercised = new ArrayList<>();
    for (Lead lead : leads) {
      WorkflowStub stub = temporal.newUntypedWorkflowStub("lead-" + lead.id());
      assertThat(stub.describe().getStatus()).as(lead + " workflow")
          .isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED);
      JourneyResult result = stub.getResult(5, TimeUnit.SECONDS, JourneyResult.class);
      assertThat(result.status()).as(lead + " journey").isEqualTo(JourneyStatus.COMPLETED);
      assertThat(result.emailsSent()).as(lead + " emails sent").isEqualTo(3);
      assertThat(json(call("/v1/leads/" + lead.id() + "/journey", OPS).get(), 200).path("status").asText())
          .isEqualTo("COMPLETED");

      // The Temporal history: nothing failed for good, not even a workflow task.
      List<JsonNode> history = history(lead.id());
      assertThat(history).extracting(e -> e.path("eventType").asText()).as(lead + " history")
          .doesNotContain("EVENT_TYPE_WORKFLOW_EXECUTION_FAILED", "EVENT_TYPE_WORKFLOW_TASK_FAILED",
              "EVENT_TYPE_ACTIVITY_TASK_FAILED", "EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT")
          .endsWith("EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED");
      history.stream().filter(e -> e.path("eventType").asText().equals("EVENT_TYPE_ACTIVITY_TASK_STARTED"))
          .filter(e -> e.path("activityTaskStartedEventAttributes").path("attempt").asInt() > 1)
          .forEach(e -> exercised.add(lead.cohort() + ": SendEmail retried (attempt "
              + e.path("activityTaskStartedEventAttributes").path("attempt").asInt() + ")"));

      // The timeline: every transition exactly once, in order; the event and its score once.
      List<JsonNode> timeline = new ArrayList<>();
      json(call("/v1/leads/" + lead.id() + "/timeline", OPS).get(), 200).path("items").forEach(timeline::add);
      List<String> transitions = timeline.stream()
          .filter(i -> !List.of("event", "scored").contains(i.path("kind").asText()))
          .map(i -> i.path("kind").asText() + step(i)).toList();
      assertThat(transitions).as(lead + " timeline").containsExactly("enrolled", "email_sent/first",
          "waiting_for/listen", "wait_for_timeout/listen", "email_sent/second", "waiting/pause", "email_sent/third",
          "completed");
      assertThat(timeline).filteredOn(i -> i.path("kind").asText().equals("event"))
          .extracting(i -> i.path("detail").path("event_id").asText()).as(lead + " events").containsExactly("opened-1");
      assertThat(timeline).filteredOn(i -> i.path("kind").asText().equals("scored"))
          .extracting(i -> i.path("detail").path("event_id").asText()).as(lead + " scores")
          .containsExactlyElementsOf(delivered.get(lead.id()) ? List.of("opened-1") : List.of());
      timeline.stream().filter(i -> !i.path("kind").asText().equals("event"))
          .filter(i -> between(Instant.parse(i.path("at").asText()), stopped, restarted))
          .forEach(i -> exercised.add(lead.cohort() + ": " + i.path("kind").asText() + step(i)
              + " noted while PostgreSQL was down"));

      // The mailbox and the ledger: three emails, each once, each 'sent' with the Message-ID received.
      List<MimeMessage> mail = TestSmtp.mailTo(SMTP, lead.email());
      assertThat(mail).extracting(PostgresRestartTest::subject).as(lead + " mailbox")
          .containsExactly("Welcome - what to expect", "Why good leads go quiet", "How one team doubled replies");
      List<MessageRow> ledger = db.withExtension(MessageDao.class, m -> m.forLead(lead.id()));
      assertThat(ledger).extracting(MessageRow::stepId, MessageRow::status).as(lead + " ledger")
          .containsExactly(tuple("first", "sent"), tuple("second", "sent"), tuple("third", "sent"));
      assertThat(ledger).extracting(MessageRow::messageId)
          .containsExactlyElementsOf(mail.stream().map(PostgresRestartTest::messageId).toList());
      assertThat(timeline).filteredOn(i -> i.path("kind").asText().equals("email_sent"))
          .extracting(i -> i.path("detail").path("message_id").asText())
          .containsExactlyElementsOf(mail.stream().map(PostgresRestartTest::messageId).toList());
    }
    assertThat(SMTP.getReceivedMessages()).as("nothing else was sent").hasSize(3 * leads.size());
    assertThat(count(db, "SELECT count(*) FROM messages WHERE status <> 'sent'"))
        .as("ledger rows left 'sending', 'unknown', 'retrying'...").isZero();
    assertThat(count(db, "SELECT count(*) FROM alerts")).as("operator alerts").isZero();

    // The outage really hit each kind of write (otherwise this test proves nothing).
    log.info("exercised: {}", exercised);
    assertThat(inFlight).as("emails in the middle of SMTP when PostgreSQL stopped").isGreaterThanOrEqualTo(2);
    assertThat(exercised).as("a SendEmail attempt failed on the database and was retried")
        .anyMatch(s -> s.contains("SendEmail retried"));
    assertThat(exercised).as("a transition was noted while the database was down (its write failed and was retried)")
        .anyMatch(s -> s.contains("noted while PostgreSQL was down"));
    log.info("test took {}s", secondsSince(testStart));
  }

  /**
   * The incident's restart took 0.34 s. The pool validates a connection as it is borrowed; were it
   * to skip connections validated in the last 30 s (Dropwizard's default validation interval), a
   * busy API would hand out every pooled connection the restart killed, one failed request each.
   */
  @Test
  void aRestartAsShortAsTheIncidentsCostsTheApiNoRequest() throws Exception {
    String id = "pg-quick-" + UUID.randomUUID().toString().substring(0, 8);
    json(call("/v1/leads/" + id, MA).put(Entity.json(Map.of("email", id + "@example.com", "consent", "opt_in"))), 201);
    // A busy API: several connections in use at once, each validated a moment ago.
    List<Thread> clients = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      Thread t = new Thread(() -> {
        for (int k = 0; k < 5; k++) {
          call("/v1/leads/" + id + "/timeline", OPS).get().close();
        }
      });
      t.start();
      clients.add(t);
    }
    for (Thread t : clients) {
      t.join();
    }
    Instant stopping = Instant.now();
    postgres.close();
    postgres = EmbeddedDatabase.persistent(PG_DATA, PG_PORT);
    log.info("PostgreSQL restarted in {} ms", Duration.between(stopping, Instant.now()).toMillis());

    List<Integer> statuses = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      Response r = call("/v1/leads/" + id, OPS).get();
      statuses.add(r.getStatus());
      r.close();
    }
    assertThat(statuses).as("GET /v1/leads/{id} after the restart, in turn").containsOnly(200);
  }

  private static org.assertj.core.groups.Tuple tuple(Object... values) {
    return org.assertj.core.groups.Tuple.tuple(values);
  }

  private static int count(Jdbi db, String sql) {
    return db.withHandle(h -> h.createQuery(sql).mapTo(Integer.class).one());
  }

  private static String step(JsonNode item) {
    String step = item.path("detail").path("step").asText();
    return step.isEmpty() ? "" : "/" + step;
  }

  private static boolean between(Instant at, Instant from, Instant to) {
    return !at.isBefore(from) && !at.isAfter(to);
  }

  private List<Lead> enrol(String cohort, int count, String program) {
    List<Lead> leads = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String id = "pg-" + cohort + i + "-" + UUID.randomUUID().toString().substring(0, 8);
      String email = id + "@example.com";
      json(call("/v1/leads/" + id, MA).put(Entity.json(Map.of("email", email, "first_name", "Pat",
          "company", "Initech", "industry", "retail", "timezone", "Europe/London", "consent", "opt_in"))), 201);
      json(call("/v1/leads/" + id + "/journey", MA).post(Entity.json(Map.of("program", program))), 201);
      leads.add(new Lead(id, email, cohort));
    }
    return leads;
  }

  private static Response postEvent(Lead lead) {
    try {
      return call("/v1/leads/" + lead.id() + "/events", MA).post(Entity.json(Map.of("id", "opened-1", "type",
          "email_opened")));
    } catch (ProcessingException e) {
      throw new AssertionError("the API did not answer", e);
    }
  }

  private static List<JsonNode> history(String leadId) {
    List<JsonNode> events = new ArrayList<>();
    String cursor = null;
    do {
      var target = CLIENT.target("http://localhost:" + APP.getLocalPort()).path("/v1/leads/" + leadId + "/journey/history")
          .queryParam("limit", 1000);
      if (cursor != null) {
        target = target.queryParam("cursor", cursor);
      }
      JsonNode page = json(target.request().header("Authorization", "Bearer " + OPS).get(), 200);
      page.path("events").forEach(events::add);
      cursor = page.path("next_cursor").isNull() ? null : page.path("next_cursor").asText();
    } while (cursor != null);
    return events;
  }

  /** The application's own Temporal client (the in-process server lives in the application). */
  private static WorkflowClient temporal() {
    return APP.getEnvironment().lifecycle().getManagedObjects().stream()
        .filter(JettyManaged.class::isInstance).map(m -> ((JettyManaged) m).getManaged())
        .filter(TemporalConnection.class::isInstance).map(m -> ((TemporalConnection) m).client())
        .findFirst().orElseThrow();
  }

  private static Invocation.Builder call(String path, String key) {
    return CLIENT.target("http://localhost:" + APP.getLocalPort()).path(path).request()
        .header("Authorization", "Bearer " + key);
  }

  private static JsonNode json(Response r, int expectedStatus) {
    String body = r.readEntity(String.class);
    assertThat(r.getStatus()).as(body).isEqualTo(expectedStatus);
    return readJson(body);
  }

  private static JsonNode readJson(String body) {
    try {
      return APP.getObjectMapper().readTree(body);
    } catch (IOException e) {
      throw new AssertionError(body, e);
    }
  }

  private static String subject(MimeMessage m) {
    try {
      return m.getSubject();
    } catch (MessagingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String messageId(MimeMessage m) {
    try {
      return m.getMessageID();
    } catch (MessagingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void sleepUntil(Instant at) throws InterruptedException {
    long ms = Duration.between(Instant.now(), at).toMillis();
    if (ms > 0) {
      Thread.sleep(ms);
    }
  }

  private static String secondsSince(Instant from) {
    return String.format("%.1f", Duration.between(from, Instant.now()).toMillis() / 1000.0);
  }



  /** At exit: stops PostgreSQL (unless zonky's own hook is already at it), then removes its data. */
  private static void removeDatabase() {
    try {
      postgres.close();
    } catch (RuntimeException e) {
      // already stopped
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (Files.exists(PG_DATA.resolve("postmaster.pid")) && System.nanoTime() < deadline) {
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    try (Stream<Path> files = Files.walk(PG_DATA)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // best effort: a temporary directory
    }
  }

  /**
   * A TCP relay in front of the SMTP server that can hold new connections before they reach it:
   * a send that has claimed its ledger row then waits in the middle of SMTP until released.
   */
  static final class SmtpGate implements AutoCloseable {
    private final ServerSocket server;
    private final int target;
    private final Object lock = new Object();
    private boolean open = true;
    private int waiting;
    private final AtomicInteger held = new AtomicInteger();

    SmtpGate(int target) {
      this.target = target;
      try {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      daemon("smtp-gate", this::acceptLoop);
    }

    int port() {
      return server.getLocalPort();
    }

    /** Connections held at the gate now. */
    int waiting() {
      synchronized (lock) {
        return waiting;
      }
    }

    /** Connections ever held at the gate. */
    int held() {
      return held.get();
    }

    void hold() {
      synchronized (lock) {
        open = false;
      }
    }

    void release() {
      synchronized (lock) {
        open = true;
        lock.notifyAll();
      }
    }

    private void acceptLoop() {
      while (!server.isClosed()) {
        try {
          Socket client = server.accept();
          daemon("smtp-gate-conn", () -> relay(client));
        } catch (IOException e) {
          return;
        }
      }
    }

    private void relay(Socket client) {
      try (client) {
        synchronized (lock) {
          if (!open) {
            waiting++;
            held.incrementAndGet();
            while (!open) {
              lock.wait();
            }
            waiting--;
          }
        }
        try (Socket upstream = new Socket(InetAddress.getLoopbackAddress(), target)) {
          Thread back = daemon("smtp-gate-back", () -> pump(upstream, client));
          pump(client, upstream);
          back.join(30_000);
        }
      } catch (IOException | InterruptedException e) {
        // the connection ends
      }
    }

    private static void pump(Socket from, Socket to) {
      try {
        InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream();
        in.transferTo(out);
        to.shutdownOutput();
      } catch (IOException e) {
        // either side closed
      }
    }

    private static Thread daemon(String name, Runnable r) {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      t.start();
      return t;
    }

    @Override
    public void close() {
      release();
      try {
        server.close();
      } catch (IOException e) {
        // closing anyway
      }
    }
  }
}
