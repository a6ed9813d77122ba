package com.nurture.api;

import static com.nurture.api.TestApi.MA;
import static com.nurture.api.TestApi.OPS;
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
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Temporal goes away under the API (its port closed: a relay in front of a Temporal test server
 * listening on a real port) and comes back with its state. Meanwhile events are accepted, 202 with
 * {@code delivered: false}, kept in the outbox; an enrolment is queued there too, 202 with {@code
 * status: QUEUED}, ahead of the events accepted after it; the health check names Temporal. When it
 * is back, the outbox dispatcher delivers the events to the journey in the order they were accepted,
 * each counted once, and starts the queued enrolment before handing its lead's later event to the
 * journey it started. An MA system's call that enrols (a HubSpot webhook, a Segment list) is answered
 * 200 with the enrolment queued, and the journey starts without the sender sending anything again.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class TemporalOutageTest {
  private static final Logger log = LoggerFactory.getLogger(TemporalOutageTest.class);
  private static final GreenMail SMTP = TestSmtp.start();
  private static final RelayedTemporal TEMPORAL = new RelayedTemporal();
  private static final TcpRelay RELAY = TEMPORAL.relay();

  static final DropwizardAppExtension<NurtureConfiguration> APP = TestApi.allInOne(SMTP,
      ConfigOverride.config("temporal.target", TEMPORAL.target()));
  private static final TestApi API = new TestApi(APP);
  private static final Jdbi DB = TestDatabase.jdbi();
  private static final IntakeCalls INTAKE = new IntakeCalls(API);

  @AfterAll
  static void stop() {
    TEMPORAL.closeWith(API, SMTP);
  }

  @Test
  void eventsAcceptedWhileTemporalIsAwayReachTheJourneyInOrderOnceWhenItIsBack() throws Exception {
    String program = API.clickWaitProgram();
    String id = API.lead(TestApi.newId("outage") + "@example.com", Map.of());
    API.json(API.call("/v1/leads/" + id + "/journey", MA).post(Entity.json(Map.of("program", program))), 201);
    await().atMost(Duration.ofSeconds(30)).until(() -> API.journey(id).path("emails_sent").asInt() == 1);
    String other = API.lead(TestApi.newId("outage-enrol") + "@example.com", Map.of());

    RELAY.down();
    List<String> answers = new ArrayList<>();
    Instant downAt = Instant.now();
    JsonNode first = API.json(postEvent(id, "visit-1"), 202);
    answers.add("single " + first);
    assertThat(first.path("delivered").asBoolean()).as("Temporal is away: the event waits in the outbox").isFalse();
    assertThat(first.path("duplicate").asBoolean()).isFalse();
    JsonNode batch = API.json(API.call("/v1/events:batch", MA).post(Entity.json(Map.of("events", List.of(
        Map.of("lead_id", id, "id", "visit-2", "type", "page_visited", "properties", Map.of("page", "blog")),
        Map.of("lead_id", id, "id", "visit-3", "type", "page_visited", "properties", Map.of("page", "blog")))))), 200);
    answers.add("batch " + batch);
    assertThat(batch.path("results")).extracting(r -> r.path("status").asInt()).containsExactly(202, 202);
    assertThat(batch.path("results")).extracting(r -> r.path("delivered").asBoolean()).containsExactly(false, false);
    // A lead with no journey, whose event starts none: handed over without Temporal, nothing queued.
    String idle = API.lead(TestApi.newId("outage-idle") + "@example.com", Map.of());
    JsonNode quiet = API.json(postEvent(idle, "idle-1"), 202);
    assertThat(quiet.path("delivered").asBoolean()).as("needs no Temporal call: " + quiet).isTrue();
    assertThat(quiet.path("delivered_to_journey").asBoolean()).isFalse();
    JsonNode quietBatch = API.json(API.call("/v1/events:batch", MA).post(Entity.json(Map.of("events", List.of(
        Map.of("lead_id", idle, "id", "idle-2", "type", "page_visited", "properties", Map.of("page", "blog")))))), 200);
    assertThat(quietBatch.path("results").get(0).path("delivered").asBoolean()).as(quietBatch.toString()).isTrue();
    assertThat(outbox(idle)).isEmpty();
    JsonNode again = API.json(postEvent(id, "visit-1"), 202);
    assertThat(again.path("duplicate").asBoolean()).isTrue();
    assertThat(again.path("delivered").asBoolean()).as("a repeat of a queued event is still queued").isFalse();
    JsonNode fourth = API.json(postEvent(id, "visit-4"), 202);
    assertThat(fourth.path("delivered").asBoolean()).isFalse();

    JsonNode queued = API.json(API.call("/v1/leads/" + other + "/journey", MA).post(Entity.json(Map.of("program", program))), 202);
    answers.add("enrolment " + queued);
    assertThat(queued.path("status").asText()).isEqualTo("QUEUED");
    assertThat(queued.path("program").asText()).isEqualTo(program);
    JsonNode repeat = API.json(API.call("/v1/leads/" + other + "/journey", MA).post(Entity.json(Map.of("program", program))), 202);
    assertThat(repeat.path("queued_at").asText()).as("a repeat is the same queued enrolment")
        .isEqualTo(queued.path("queued_at").asText());
    Response notYet = API.call("/v1/leads/" + other + "/journey", OPS).get();
    String notYetBody = notYet.readEntity(String.class);
    assertThat(notYet.getStatus()).as(notYetBody).isEqualTo(404);
    assertThat(API.read(notYetBody).path("detail").asText()).contains("waits since");
    // Accepted after the enrolment: it waits behind it, and reaches the journey once it has started.
    JsonNode behind = API.json(postEvent(other, "other-visit-1"), 202);
    assertThat(behind.path("delivered").asBoolean()).as("behind the queued enrolment: " + behind).isFalse();
    // Held back from the dispatcher, so a repeat can be sent once Temporal is back and before it starts.
    // A dispatcher round in flight (it claimed them before, and finds Temporal away) makes them due again
    // when it settles: held again until a round has passed with the hold in place.
    for (int tries = 0; tries < 10; tries++) {
      DB.useHandle(h -> h.createUpdate("UPDATE event_outbox SET next_attempt_at = now() + interval '1 hour' WHERE lead_id = :l")
          .bind("l", other).execute());
      Thread.sleep(1500); // longer than a round's interval (events.outbox_interval, 1 s)
      boolean held = DB.withHandle(h -> h.createQuery("SELECT bool_and(next_attempt_at > now() + interval '30 minutes') "
          + "FROM event_outbox WHERE lead_id = :l").bind("l", other).mapTo(Boolean.class).one());
      if (held) {
        break;
      }
    }
    log.info("while Temporal was away, {} ms for four events, a batch and an enrolment: {}",
        Duration.between(downAt, Instant.now()).toMillis(), answers);

    JsonNode health = API.read(API.client().target("http://localhost:" + APP.getAdminPort() + "/healthcheck")
        .request().get().readEntity(String.class));
    assertThat(health.path("temporal").path("healthy").asBoolean()).as(health.toString()).isFalse();
    assertThat(health.path("postgresql").path("healthy").asBoolean()).as(health.toString()).isTrue();
    assertThat(health.path("smtp").path("healthy").asBoolean()).as(health.toString()).isTrue();
    assertThat(outbox(id)).containsExactly("visit-1", "visit-2", "visit-3", "visit-4");

    RELAY.up();
    Instant upAt = Instant.now();
    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).until(() -> outbox(id).isEmpty());
    await().atMost(Duration.ofSeconds(30)).until(() -> scored(id).size() >= 4);
    log.info("the outbox was empty and the journey had scored every event {} ms after Temporal came back",
        Duration.between(upAt, Instant.now()).toMillis());
    assertThat(scored(id)).as("the journey saw each event once, in the order accepted")
        .containsExactly("visit-1", "visit-2", "visit-3", "visit-4");
    // Back: an event goes straight through again, and the queued enrolment started by itself, then
    // received the event accepted after it (scored as an event, not as history before its start).
    JsonNode after = API.json(postEvent(id, "visit-5"), 202);
    assertThat(after.path("delivered").asBoolean()).isTrue();
    assertThat(after.path("delivered_to_journey").asBoolean()).isTrue();
    // Temporal answers again, the enrolment still waits: a repeat is that enrolment, not a start that
    // would take the event waiting behind it as history and never react to it.
    JsonNode stillQueued = API.json(API.call("/v1/leads/" + other + "/journey", MA)
        .post(Entity.json(Map.of("program", "onboarding"))), 202);
    assertThat(stillQueued.path("program").asText()).as("the waiting one's program").isEqualTo(program);
    DB.useHandle(h -> h.createUpdate("UPDATE event_outbox SET next_attempt_at = now() WHERE lead_id = :l")
        .bind("l", other).execute());
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
        .until(() -> API.call("/v1/leads/" + other + "/journey", OPS).get().getStatus() == 200);
    assertThat(API.journey(other).path("program").asText()).isEqualTo(program);
    await().atMost(Duration.ofSeconds(30)).until(() -> outbox(other).isEmpty() && !scored(other).isEmpty());
    assertThat(scored(other)).containsExactly("other-visit-1");
    assertThat(kinds(other)).as("the queued enrolment is on the timeline before the journey's start")
        .containsSubsequence("enrolment_queued", "enrolled");
    API.json(API.call("/v1/leads/" + other + "/journey", MA).post(Entity.json(Map.of("program", program))), 200);
  }

  @Test
  void anMaSystemsEnrolmentWhileTemporalIsAwayIsQueuedAndStartsWhenItIsBack() throws Exception {
    String vid = String.valueOf(ThreadLocalRandom.current().nextLong(10_000_000L, 99_999_999L));
    String hubspot = IntakeCalls.recorded("hubspot-workflow-contact.json").replace("3234574", vid)
        .replace("morgan.reyes@initech.example", "morgan." + vid + "@initech.example");
    String user = "usr-outage-" + vid;
    String segment = "{\"batch\": [" + IntakeCalls.recorded("segment-identify.json").replace("usr_97980cfea0067", user) + ", "
        + IntakeCalls.recorded("segment-track.json").replace("usr_97980cfea0067", user).replace("Demo Requested", "Signed Up")
        .replace("8c2f6d1e", vid) + "]}";
    // Make sure Temporal is known to be away: an enrolment through the API is queued first.
    String probe = API.lead(TestApi.newId("outage-probe") + "@example.com", Map.of());
    RELAY.down();
    try {
      await().atMost(Duration.ofSeconds(30)).until(() -> API.call("/v1/leads/" + probe + "/journey", MA)
          .post(Entity.json(Map.of("program", "onboarding"))).getStatus() == 202);

      // HubSpot's webhook maps the form to an enrolment in onboarding. HubSpot does not read the 200's
      // body: the enrolment is kept, not lost, and not left to a retry HubSpot would not send.
      JsonNode down = API.json(INTAKE.hubspot(hubspot), 200);
      assertThat(down.path("enrolment").path("status").asInt()).as(down.toString()).isEqualTo(202);
      assertThat(down.path("enrolment").path("queued").asBoolean()).isTrue();
      int events = DB.withHandle(h -> h.createQuery("SELECT count(*) FROM events WHERE lead_id = :l")
          .bind("l", "hubspot-" + vid).mapTo(Integer.class).one());
      assertThat(events).as("the lead and its event are kept").isEqualTo(1);
      // A Segment list whose second message enrols: each document answered, the enrolment queued.
      JsonNode batchDown = API.json(INTAKE.segment(segment), 200);
      assertThat(batchDown.path("results")).as(batchDown.toString()).extracting(r -> r.path("status").asInt())
          .containsExactly(200, 200);
      assertThat(batchDown.path("results").get(1).path("enrolment").path("status").asInt()).isEqualTo(202);
    } finally {
      RELAY.up();
    }

    // Nothing sent again: both journeys start once Temporal is back.
    for (String lead : List.of("hubspot-" + vid, user, probe)) {
      await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1))
          .until(() -> API.call("/v1/leads/" + lead + "/journey", OPS).get().getStatus() == 200);
      assertThat(API.journey(lead).path("program").asText()).as(lead).isEqualTo("onboarding");
    }
    // A later call for an enrolled lead finds the journey, through the next outage too (the event to the outbox).
    RELAY.down();
    try {
      JsonNode enrolledDown = API.json(INTAKE.hubspot(hubspot), 200);
      assertThat(enrolledDown.path("enrolment").path("status").asInt()).as(enrolledDown.toString()).isEqualTo(200);
    } finally {
      RELAY.up();
    }
    JsonNode batch = API.json(await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
        .until(() -> INTAKE.segment(segment), r -> r.getStatus() == 200), 200);
    assertThat(batch.path("results").get(1).path("enrolment").path("status").asInt()).as(batch.toString())
        .isEqualTo(200);
  }

  private static List<String> kinds(String leadId) {
    List<String> kinds = new ArrayList<>();
    API.json(API.call("/v1/leads/" + leadId + "/timeline", OPS).get(), 200).path("items")
        .forEach(i -> kinds.add(i.path("kind").asText()));
    return kinds;
  }

  /**
   * The queued enrolment's checks are made again when it starts: a lead that unsubscribed meanwhile
   * is not started, and its timeline says why.
   */
  @Test
  void aQueuedEnrolmentOfALeadThatUnsubscribedMeanwhileIsNotStarted() {
    String lead = API.lead(TestApi.newId("outage-leaver") + "@example.com", Map.of());
    RELAY.down();
    try {
      await().atMost(Duration.ofSeconds(30)).until(() -> API.call("/v1/leads/" + lead + "/journey", MA)
          .post(Entity.json(Map.of("program", "onboarding"))).getStatus() == 202);
      API.json(API.call("/v1/leads/" + lead + "/events", MA).post(Entity.json(Map.of("id", "leave-1", "type",
          "unsubscribed", "properties", Map.of()))), 202);
    } finally {
      RELAY.up();
    }
    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).until(() -> DB.withHandle(h -> h
        .createQuery("SELECT count(*) FROM event_outbox WHERE lead_id = :l").bind("l", lead).mapTo(Integer.class).one()) == 0);
    assertThat(kinds(lead)).containsSubsequence("enrolment_queued", "enrolment_refused");
    JsonNode refused = null;
    for (JsonNode i : API.json(API.call("/v1/leads/" + lead + "/timeline", OPS).get(), 200).path("items")) {
      if (i.path("kind").asText().equals("enrolment_refused")) {
        refused = i;
      }
    }
    assertThat(refused).isNotNull();
    assertThat(refused.path("detail").path("reason").asText()).contains("suppression list");
    Response none = API.call("/v1/leads/" + lead + "/journey", OPS).get();
    assertThat(none.getStatus()).as(none.readEntity(String.class)).isEqualTo(404);
  }

  private static Response postEvent(String leadId, String eventId) {
    return API.call("/v1/leads/" + leadId + "/events", MA).post(Entity.json(Map.of("id", eventId, "type",
        "page_visited", "properties", Map.of("page", "blog"))));
  }

  private static List<String> outbox(String leadId) {
    return DB.withHandle(h -> h.createQuery("SELECT event_id FROM event_outbox WHERE lead_id = :id ORDER BY seq")
        .bind("id", leadId).mapTo(String.class).list());
  }

  private static List<String> scored(String leadId) {
    List<String> ids = new ArrayList<>();
    API.json(API.call("/v1/leads/" + leadId + "/timeline", OPS).get(), 200).path("items").forEach(i -> {
      if (i.path("kind").asText().equals("scored")) {
        ids.add(i.path("detail").path("event_id").asText());
      }
    });
    return ids;
  }
}
