package com.nurture.api;

import static com.nurture.api.TestApi.MA;
import static com.nurture.api.TestApi.SALES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.nurture.activities.TestDatabase;
import com.nurture.activities.TestSmtp;
import com.nurture.activities.db.EventDao;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import jakarta.ws.rs.client.Entity;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * PUT /v1/leads:batch and POST /v1/events:batch: every item answered on its own (a bad one does not
 * fail the others), repeated batches change nothing, and a batch over intake.batch_max is a 422 naming
 * the list and the limit.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class BatchIntakeTest {
  private static final GreenMail SMTP = TestSmtp.start();
  private static final int MAX = 8;

  static final DropwizardAppExtension<NurtureConfiguration> APP = TestApi.allInOne(SMTP,
      ConfigOverride.config("intake.batch_max", String.valueOf(MAX)));

  private static final TestApi API = new TestApi(APP);
  private static final Jdbi DB = TestDatabase.jdbi();

  @AfterAll
  static void stop() {
    SMTP.stop();
    API.close();
  }

  private static Map<String, Object> lead(String id, String email, Object... more) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", id);
    m.put("email", email);
    m.put("consent", "opt_in");
    for (int i = 0; i < more.length; i += 2) {
      m.put((String) more[i], more[i + 1]);
    }
    return m;
  }

  private static Map<String, Object> event(String leadId, String id, String type, Object... more) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("lead_id", leadId);
    m.put("id", id);
    m.put("type", type);
    for (int i = 0; i < more.length; i += 2) {
      m.put((String) more[i], more[i + 1]);
    }
    return m;
  }

  private static JsonNode putLeads(List<Map<String, Object>> leads) {
    return API.json(API.call("/v1/leads:batch", MA).put(Entity.json(Map.of("leads", leads))), 200);
  }

  private static JsonNode postEvents(List<Map<String, Object>> events) {
    return API.json(API.call("/v1/events:batch", MA).post(Entity.json(Map.of("events", events))), 200);
  }

  private static List<Integer> statuses(JsonNode answer) {
    List<Integer> out = new ArrayList<>();
    answer.path("results").forEach(r -> out.add(r.path("status").asInt()));
    return out;
  }

  private static List<String> fields(JsonNode result) {
    List<String> out = new ArrayList<>();
    result.path("problem").path("errors").forEach(e -> out.add(e.path("field").asText()));
    return out;
  }

  private static int leadRows(String id) {
    return DB.withHandle(h -> h.createQuery("SELECT count(*) FROM leads WHERE id = :id").bind("id", id)
        .mapTo(Integer.class).one());
  }

  private static int eventRows(String leadId) {
    return DB.withHandle(h -> h.createQuery("SELECT count(*) FROM events WHERE lead_id = :id").bind("id", leadId)
        .mapTo(Integer.class).one());
  }

  private static int scored(String leadId) {
    return DB.withHandle(h -> h.createQuery("SELECT count(*) FROM timeline WHERE lead_id = :id AND kind = 'scored'")
        .bind("id", leadId).mapTo(Integer.class).one());
  }

  @Test
  void aMixedLeadBatchStoresTheGoodOnesAndNamesEachBadFieldByIndex() {
    String a = TestApi.newId("bulk");
    String b = TestApi.newId("bulk");
    String bad = TestApi.newId("bulk");
    List<Map<String, Object>> batch = List.of(
        lead(a, a + "@example.com", "first_name", "Pat", "attributes", Map.of("plan", "trial")),
        lead(bad, "not an address"),
        lead(b, b + "@example.com", "timezone", "Europe/London"),
        lead("bad/id", "x@example.com"),
        lead(TestApi.newId("bulk"), "y@example.com", "first_name", "Tab\there"),
        lead(TestApi.newId("bulk"), "z@example.com", "fist_name", "Typo"));

    JsonNode first = putLeads(batch);
    assertThat(statuses(first)).containsExactly(201, 422, 201, 422, 422, 422);
    JsonNode results = first.path("results");
    assertThat(results.get(1).path("index").asInt()).isEqualTo(1);
    assertThat(results.get(1).path("id").asText()).isEqualTo(bad);
    assertThat(fields(results.get(1))).containsExactly("email");
    assertThat(results.get(1).path("problem").path("status").asInt()).isEqualTo(422);
    assertThat(fields(results.get(3))).containsExactly("id");
    assertThat(fields(results.get(4))).containsExactly("first_name");
    assertThat(fields(results.get(5))).containsExactly("fist_name");
    assertThat(first.path("succeeded").asInt()).isEqualTo(2);
    assertThat(first.path("failed").asInt()).isEqualTo(4);

    JsonNode stored = API.json(API.call("/v1/leads/" + a, MA).get(), 200);
    assertThat(stored.path("email").asText()).isEqualTo(a + "@example.com");
    assertThat(stored.path("attributes").path("first_name").asText()).isEqualTo("Pat");
    assertThat(stored.path("attributes").path("plan").asText()).isEqualTo("trial");
    assertThat(API.json(API.call("/v1/leads/" + b, MA).get(), 200).path("timezone").asText()).isEqualTo("Europe/London");
    assertThat(leadRows(bad)).as("a refused item stores nothing").isZero();

    JsonNode twice = putLeads(List.of(lead(a, "first@example.com"), lead(a, a + "@example.com", "first_name", "Pat",
        "attributes", Map.of("plan", "paid"))));
    assertThat(statuses(twice)).as("one id twice in a batch: both updates, in order").containsExactly(200, 200);
    assertThat(API.json(API.call("/v1/leads/" + a, MA).get(), 200).path("attributes").path("plan").asText())
        .as("the later wins").isEqualTo("paid");
    assertThat(leadRows(a)).isEqualTo(1);

    JsonNode again = putLeads(batch);
    assertThat(statuses(again)).as("a repeated batch updates in place").containsExactly(200, 422, 200, 422, 422, 422);
    assertThat(leadRows(a)).isEqualTo(1);
    assertThat(API.json(API.call("/v1/leads/" + a, MA).get(), 200).path("attributes").path("plan").asText())
        .isEqualTo("trial");
  }

  @Test
  void aMixedEventBatchAcceptsAndDeliversTheGoodOnesAndIsIdempotent() {
    String email = TestApi.newId("events") + "@example.com";
    String id = API.lead(email, Map.of("first_name", "Sam"));
    API.json(API.call("/v1/leads/" + id + "/journey", MA).post(Entity.json(Map.of("program", "onboarding"))), 201);
    String unknown = TestApi.newId("nobody");
    List<Map<String, Object>> batch = List.of(
        event(id, "e1", "page_visited", "properties", Map.of("page", "pricing")),
        event(id, "e2", "no_such_type"),
        event(id, "e3", "page_visited", "occurred_at", Instant.now().plus(Duration.ofHours(2)).toString()),
        event(unknown, "e4", "page_visited"),
        event(id, "e5", "content_downloaded", "properties", Map.of("asset", "guide\u0000")),
        event(id, "e6", "webinar_registered", "occurred_at", "2026-01-05T10:00:00Z"),
        event(id, "e7", "consent_confirmed"),
        event(id, "e6", "webinar_registered", "occurred_at", "2026-01-05T10:00:00Z"));

    // One transaction records the batch's events: a repeat within it is a duplicate, as across calls.
    JsonNode first = postEvents(batch);
    assertThat(statuses(first)).containsExactly(202, 422, 422, 404, 422, 202, 422, 202);
    JsonNode r = first.path("results");
    assertThat(r.get(0).path("duplicate").asBoolean()).isFalse();
    assertThat(r.get(0).path("delivered_to_journey").asBoolean()).as("signalled to the running journey").isTrue();
    assertThat(r.get(0).path("lead_id").asText()).isEqualTo(id);
    assertThat(fields(r.get(1))).containsExactly("type");
    assertThat(fields(r.get(2))).containsExactly("occurred_at");
    assertThat(r.get(3).path("problem").path("status").asInt()).isEqualTo(404);
    assertThat(fields(r.get(4))).containsExactly("properties.asset");
    assertThat(fields(r.get(6))).containsExactly("type");
    assertThat(r.get(5).path("duplicate").asBoolean()).isFalse();
    assertThat(r.get(7).path("duplicate").asBoolean()).as("e6 again in the same batch").isTrue();
    assertThat(eventRows(id)).as("only the two good events are stored").isEqualTo(2);
    assertThat(eventRows(unknown)).isZero();
    await().atMost(Duration.ofSeconds(20)).until(() -> scored(id) >= 1);

    JsonNode again = postEvents(batch);
    assertThat(statuses(again)).containsExactly(202, 422, 422, 404, 422, 202, 422, 202);
    assertThat(again.path("results").get(0).path("duplicate").asBoolean()).isTrue();
    assertThat(again.path("results").get(5).path("duplicate").asBoolean()).isTrue();
    assertThat(eventRows(id)).as("a repeated batch stores nothing new").isEqualTo(2);
  }

  @Test
  void eventsThatNeedNoTemporalCallAreHandedOverTogetherAndEachLeadKeepsItsOrder() {
    String quiet = API.lead(TestApi.newId("quiet") + "@example.com", Map.of());
    String waiting = API.lead(TestApi.newId("waiting") + "@example.com", Map.of());
    String triggered = API.lead(TestApi.newId("trigger") + "@example.com", Map.of());
    // An earlier event of `waiting` failed once and waits for its retry: its later events queue behind it.
    DB.useHandle(h -> {
      h.attach(EventDao.class).insert(waiting, "w0", "page_visited", Instant.now(), Map.of("page", "blog"));
      h.createUpdate("INSERT INTO event_outbox (lead_id, event_id, attempts, next_attempt_at) "
          + "VALUES (:lead, 'w0', 1, now() + interval '1 hour')").bind("lead", waiting).execute();
    });
    JsonNode answer = postEvents(List.of(
        event(quiet, "q1", "page_visited", "properties", Map.of("page", "blog")),
        event(waiting, "w1", "page_visited", "properties", Map.of("page", "blog")),
        event(triggered, "t1", "page_visited", "properties", Map.of("page", "pricing")),
        event(quiet, "q2", "page_visited", "properties", Map.of("page", "blog")),
        event(triggered, "t2", "page_visited", "properties", Map.of("page", "blog"))));

    assertThat(statuses(answer)).containsExactly(202, 202, 202, 202, 202);
    JsonNode r = answer.path("results");
    for (int i : List.of(0, 3)) {
      assertThat(r.get(i).path("delivered").asBoolean()).as("no journey, none started: handed over " + r.get(i)).isTrue();
      assertThat(r.get(i).path("delivered_to_journey").asBoolean()).isFalse();
    }
    assertThat(r.get(1).path("delivered").asBoolean()).as("behind w0, still queued: " + r.get(1)).isFalse();
    assertThat(r.get(2).path("delivered").asBoolean()).as("the pricing trigger started a journey: " + r.get(2)).isTrue();
    assertThat(r.get(4).path("delivered_to_journey").asBoolean())
        .as("t2 went after t1, to the journey t1 started: " + r.get(4)).isTrue();
    assertThat(outbox(quiet)).isEmpty();
    assertThat(outbox(triggered)).isEmpty();
    assertThat(outbox(waiting)).containsExactly("w0", "w1");
    List<String> onTimeline = DB.withHandle(h -> h.createQuery("SELECT detail->>'event_id' FROM timeline "
        + "WHERE lead_id = :id AND kind = 'event' ORDER BY id").bind("id", quiet).mapTo(String.class).list());
    assertThat(onTimeline).containsExactly("q1", "q2");

    JsonNode again = postEvents(List.of(event(quiet, "q1", "page_visited", "properties", Map.of("page", "blog"))));
    assertThat(again.path("results").get(0).path("duplicate").asBoolean()).isTrue();
    assertThat(eventRows(quiet)).isEqualTo(2);
  }

  /**
   * An event whose lead seems to run no journey waits for the lock on the lead's outbox entries while
   * an earlier event's hand-over starts a journey and then deletes its entry. The journey is read
   * after that lock, so the event goes to the journey instead of being taken as needing no call.
   */
  @Test
  void anEventWaitingOnItsLeadsEarlierHandOverSeesTheJourneyItStarted() throws Exception {
    String id = API.lead(TestApi.newId("race") + "@example.com", Map.of());
    API.json(API.call("/v1/leads/" + id + "/journey", MA).post(Entity.json(Map.of("program", "onboarding"))), 201);
    // Asleep in its first wait (the welcome sent): the workflow writes its row no more for now.
    await().atMost(Duration.ofSeconds(30)).until(() -> DB.withHandle(h -> h.createQuery(
        "SELECT count(*) FROM journeys WHERE lead_id = :id AND next_action_at IS NOT NULL").bind("id", id)
        .mapTo(Integer.class).one()) == 1);
    Map<String, Object> journey = DB.withHandle(h -> h.createQuery("SELECT * FROM journeys WHERE lead_id = :id")
        .bind("id", id).mapToMap().one());
    // As if the journey were being started right now by an earlier event e0, whose entry is held.
    DB.useHandle(h -> {
      h.attach(EventDao.class).insert(id, "e0", "page_visited", Instant.now(), Map.of("page", "pricing"));
      h.createUpdate("INSERT INTO event_outbox (lead_id, event_id, next_attempt_at) VALUES (:lead, 'e0', "
          + "now() + interval '1 minute')").bind("lead", id).execute();
      h.createUpdate("DELETE FROM journeys WHERE lead_id = :id").bind("id", id).execute();
    });
    java.util.concurrent.CountDownLatch locked = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CompletableFuture<Void> handOver = java.util.concurrent.CompletableFuture.runAsync(() ->
        DB.useTransaction(h -> {
          h.createQuery("SELECT seq FROM event_outbox WHERE lead_id = :id FOR UPDATE").bind("id", id).mapTo(Long.class)
              .list();
          locked.countDown();
          h.createUpdate("INSERT INTO journeys (lead_id, workflow_id, run_id, program_id, program_version, status, "
                  + "current_step, enrolled_at, updated_at) VALUES (:lead_id, :workflow_id, :run_id, :program_id, "
                  + ":program_version, :status, :current_step, :enrolled_at, :updated_at) ON CONFLICT (lead_id) DO NOTHING")
              .bindMap(journey).execute();
          h.createUpdate("DELETE FROM event_outbox WHERE lead_id = :id AND event_id = 'e0'").bind("id", id).execute();
          try {
            Thread.sleep(1500); // the event below arrives meanwhile and waits for this lock
          } catch (InterruptedException e) {
            throw new IllegalStateException(e);
          }
        }));
    assertThat(locked.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    JsonNode answer = API.json(API.call("/v1/leads/" + id + "/events", MA).post(Entity.json(Map.of(
        "id", "e1", "type", "page_visited", "properties", Map.of("page", "blog")))), 202);
    handOver.get(10, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(answer.path("delivered_to_journey").asBoolean()).as("signalled to the journey: " + answer).isTrue();
    assertThat(outbox(id)).isEmpty();
  }

  /** A lead's events in one batch reach its running journey in one signal, in the batch's order. */
  @Test
  void aLeadsEventsInOneBatchGoToItsRunningJourneyInOneSignal() {
    String many = API.lead(TestApi.newId("together") + "@example.com", Map.of());
    String one = API.lead(TestApi.newId("alone") + "@example.com", Map.of());
    for (String id : List.of(many, one)) {
      API.json(API.call("/v1/leads/" + id + "/journey", MA).post(Entity.json(Map.of("program", "onboarding"))), 201);
    }
    JsonNode answer = postEvents(List.of(
        event(many, "m1", "page_visited", "properties", Map.of("page", "blog")),
        event(one, "o1", "page_visited", "properties", Map.of("page", "blog")),
        event(many, "m2", "content_downloaded", "properties", Map.of("asset", "guide")),
        event(many, "m3", "page_visited", "properties", Map.of("page", "docs"))));

    assertThat(statuses(answer)).containsExactly(202, 202, 202, 202);
    answer.path("results").forEach(r -> assertThat(r.path("delivered_to_journey").asBoolean()).as(r.toString()).isTrue());
    assertThat(outbox(many)).isEmpty();
    assertThat(API.signals(many, 1)).as("one signal, the events in the batch's order").singleElement()
        .satisfies(s -> {
          assertThat(s.path("signalName").asText()).isEqualTo("deliverAll");
          String input = s.path("input").toString();
          assertThat(input.indexOf("m1")).isNotNegative().isLessThan(input.indexOf("m2"));
          assertThat(input.indexOf("m2")).isLessThan(input.indexOf("m3"));
        });
    assertThat(API.signals(one, 1)).extracting(s -> s.path("signalName").asText()).containsExactly("deliver");
  }

  private static List<String> outbox(String leadId) {
    return DB.withHandle(h -> h.createQuery("SELECT event_id FROM event_outbox WHERE lead_id = :id ORDER BY seq")
        .bind("id", leadId).mapTo(String.class).list());
  }

  @Test
  void aBatchOverTheLimitIs422AndStoresNothing() {
    String prefix = TestApi.newId("over");
    List<Map<String, Object>> leads = new ArrayList<>();
    for (int i = 0; i <= MAX; i++) {
      leads.add(lead(prefix + "-" + i, prefix + i + "@example.com"));
    }
    var r = API.call("/v1/leads:batch", MA).put(Entity.json(Map.of("leads", leads)));
    JsonNode problem = API.json(r, 422);
    assertThat(r.getMediaType().toString()).startsWith("application/problem+json");
    assertThat(problem.path("errors").get(0).path("field").asText()).isEqualTo("leads");
    assertThat(problem.path("errors").get(0).path("message").asText()).contains("intake.batch_max");
    assertThat(leadRows(prefix + "-0")).isZero();

    String id = API.lead(prefix + "@example.com", Map.of());
    List<Map<String, Object>> events = new ArrayList<>();
    for (int i = 0; i <= MAX; i++) {
      events.add(event(id, "o" + i, "page_visited"));
    }
    JsonNode p2 = API.json(API.call("/v1/events:batch", MA).post(Entity.json(Map.of("events", events))), 422);
    assertThat(p2.path("errors").get(0).path("field").asText()).isEqualTo("events");
    assertThat(eventRows(id)).isZero();

    assertThat(API.problemFields(API.call("/v1/events:batch", MA).post(Entity.json(Map.of("events", List.of())))))
        .containsExactly("events");
    assertThat(API.call("/v1/leads:batch", SALES).put(Entity.json(Map.of("leads", leads.subList(0, 1)))).getStatus())
        .as("leads are the MA role's").isEqualTo(403);
    assertThat(API.call("/v1/events:batch", null).post(Entity.json(Map.of("events", events.subList(0, 1)))).getStatus())
        .isEqualTo(401);
  }
}
