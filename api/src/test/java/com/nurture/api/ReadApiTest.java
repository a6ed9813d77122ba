package com.nurture.api;

import static com.nurture.api.TestApi.MA;
import static com.nurture.api.TestApi.OPS;
import static com.nurture.api.TestApi.SALES;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.nurture.activities.TestDatabase;
import com.nurture.activities.TestSmtp;
import com.nurture.activities.db.AlertDao;
import com.nurture.activities.db.HandOffDao;
import com.nurture.activities.db.JourneyDao;
import com.nurture.activities.db.LeadDao;
import com.nurture.activities.db.TimelineDao;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.core.Response;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The read APIs over the business record (issue 12): the journey list, score history, the sales
 * queue and alert acknowledgement, on rows written straight to the real database as the journey's
 * activities write them.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class ReadApiTest {
  private static final GreenMail SMTP = TestSmtp.start();

  static final DropwizardAppExtension<NurtureConfiguration> APP = TestApi.allInOne(SMTP);

  private static final TestApi API = new TestApi(APP);
  private static final Instant T0 = Instant.parse("2026-11-01T09:00:00Z");

  @AfterAll
  static void stop() {
    SMTP.stop();
    API.close();
  }

  private static Jdbi db() {
    return TestDatabase.jdbi();
  }

  private static String lead(Map<String, Object> attributes) {
    String id = TestApi.newId("read");
    db().onDemand(LeadDao.class).upsert(id, id + "@example.com", "", "opt_in", attributes);
    return id;
  }

  private static void journey(String leadId, String program, int version, String status, String step, int score,
      Instant updatedAt) {
    db().onDemand(JourneyDao.class).upsert(leadId, "lead-" + leadId, "run-1", program, version, status, step, null,
        T0, score, updatedAt);
  }

  /** A call to a path with its query string as written (values already encoded). */
  static Response call(String pathAndQuery, String key) {
    return API.query(pathAndQuery, key);
  }

  static JsonNode get(String pathAndQuery, String key) {
    return API.get(pathAndQuery, key);
  }

  private static String q(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private static List<String> leadIds(JsonNode page) {
    return page.path("items").findValuesAsText("lead_id");
  }

  @Test
  void journeysFilterByEveryParameter() {
    String program = "read-" + UUID.randomUUID().toString().substring(0, 6);
    String owner = "Owner-" + UUID.randomUUID().toString().substring(0, 6) + "@acme.example";
    String a = lead(Map.of("owner_email", owner));
    String b = lead(Map.of());
    String c = lead(Map.of("owner_email", "other@acme.example"));
    journey(a, program, 1, "ACTIVE", "welcome", 80, T0.plusSeconds(30));
    journey(b, program, 2, "HANDED_OFF", "case-study", 40, T0.plusSeconds(20));
    journey(c, program, 2, "ACTIVE", "welcome", 10, T0.plusSeconds(10));

    String base = "/v1/journeys?program=" + program;
    JsonNode all = get(base, OPS);
    assertThat(leadIds(all)).as("most recently changed first").containsExactly(a, b, c);
    assertThat(all.path("next_cursor").isNull()).isTrue();
    JsonNode first = all.path("items").get(0);
    assertThat(first.path("program").asText()).isEqualTo(program);
    assertThat(first.path("program_version").asInt()).isEqualTo(1);
    assertThat(first.path("current_step").asText()).isEqualTo("welcome");
    assertThat(first.path("score").asInt()).isEqualTo(80);
    assertThat(first.path("owner").asText()).isEqualTo(owner);
    assertThat(all.path("items").get(1).path("owner").isNull()).isTrue();

    assertThat(leadIds(get(base + "&status=handed_off", OPS))).containsExactly(b);
    assertThat(leadIds(get(base + "&version=2", OPS))).containsExactly(b, c);
    assertThat(leadIds(get(base + "&step=welcome", OPS))).containsExactly(a, c);
    assertThat(leadIds(get(base + "&owner=" + q(owner.toLowerCase()), OPS))).as("owner, case-insensitive").containsExactly(a);
    assertThat(leadIds(get(base + "&score_min=40", OPS))).containsExactly(a, b);
    assertThat(leadIds(get(base + "&updated_since=" + q(T0.plusSeconds(20).toString()), OPS))).containsExactly(a, b);
    assertThat(leadIds(get(base + "&updated_since=" + q("2026-11-01T18:00:20+09:00"), OPS)))
        .as("an offset is understood").containsExactly(a, b);
    assertThat(leadIds(get(base + "&status=ACTIVE&version=2&step=welcome&score_min=5", OPS))).containsExactly(c);
  }

  @Test
  void journeysPageWithAnOpaqueCursorWithoutOverlap() {
    String program = "page-" + UUID.randomUUID().toString().substring(0, 6);
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      String id = lead(Map.of());
      // two share a time: the lead id orders them
      journey(id, program, 1, "ACTIVE", "s", i, T0.plusSeconds(100 - (i / 2) * 10));
      expected.add(id);
    }
    List<String> seen = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      JsonNode page = get("/v1/journeys?program=" + program + "&limit=2" + (cursor == null ? "" : "&cursor=" + cursor), OPS);
      assertThat(page.path("items").size()).isLessThanOrEqualTo(2);
      seen.addAll(leadIds(page));
      cursor = page.path("next_cursor").isNull() ? null : page.path("next_cursor").asText();
      assertThat(cursor == null || !cursor.contains(program)).as("the cursor is opaque").isTrue();
      pages++;
    } while (cursor != null && pages < 10);
    assertThat(pages).isEqualTo(3);
    assertThat(seen).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(expected);
    assertThat(get("/v1/journeys?program=" + program, OPS).path("items").findValuesAsText("lead_id"))
        .as("paged or not, the same order").containsExactlyElementsOf(seen);
  }

  @Test
  void badJourneyFiltersAreProblemsNamingTheParameter() {
    Map<String, String> bad = new java.util.LinkedHashMap<>();
    bad.put("status=sleeping", "status");
    bad.put("version=two&program=x", "version");
    bad.put("version=0&program=x", "version");
    bad.put("version=1", "version");
    bad.put("score_min=high", "score_min");
    bad.put("updated_since=yesterday", "updated_since");
    bad.put("limit=0", "limit");
    bad.put("limit=501", "limit");
    bad.put("cursor=not-a-cursor", "cursor");
    bad.put("cursor=" + java.util.Base64.getUrlEncoder().encodeToString("c1\u001fhandoffs\u001fx\u001f1".getBytes()), "cursor");
    bad.forEach((query, field) -> {
      Response r = call("/v1/journeys?" + query, OPS);
      assertThat(API.problemFields(r)).as(query).containsExactly(field);
    });
  }

  @Test
  void onlyOperatorsListJourneys() {
    assertThat(API.call("/v1/journeys", SALES).get().getStatus()).isEqualTo(403);
    assertThat(API.call("/v1/journeys", MA).get().getStatus()).isEqualTo(403);
    assertThat(API.call("/v1/journeys", null).get().getStatus()).isEqualTo(401);
  }

  private static void scored(String leadId, String eventId, Instant at, int total, int engagement) {
    db().onDemand(TimelineDao.class).append(leadId, at, "scored", Map.of("event_id", eventId, "type", "page_visited",
        "points", 5.0, "fit", 30, "engagement", engagement, "total", total, "velocity", 1), leadId + "/" + eventId);
  }

  @Test
  void scoreHistoryAnswersTheScoreAfterEachScoredEventInPages() {
    String id = lead(Map.of());
    db().onDemand(TimelineDao.class).append(id, T0, "email_sent", Map.of("step", "welcome"), id + "/sent");
    scored(id, "e1", T0.plusSeconds(60), 35, 5);
    scored(id, "e2", T0.plusSeconds(120), 40, 10);
    scored(id, "e3", T0.plusSeconds(180), 45, 15);

    JsonNode all = get("/v1/leads/" + id + "/score-history", OPS);
    assertThat(all.path("items").findValuesAsText("event_id")).as("only scored entries, oldest first")
        .containsExactly("e1", "e2", "e3");
    JsonNode point = all.path("items").get(1);
    assertThat(point.path("at").asText()).isEqualTo(T0.plusSeconds(120).toString());
    assertThat(point.path("total").asInt()).isEqualTo(40);
    assertThat(point.path("fit").asInt()).isEqualTo(30);
    assertThat(point.path("engagement").asInt()).isEqualTo(10);
    assertThat(point.path("points").asDouble()).isEqualTo(5.0);
    assertThat(point.path("event_type").asText()).isEqualTo("page_visited");

    JsonNode first = get("/v1/leads/" + id + "/score-history?limit=2", OPS);
    assertThat(first.path("items").findValuesAsText("event_id")).containsExactly("e1", "e2");
    JsonNode second = get("/v1/leads/" + id + "/score-history?limit=2&cursor=" + first.path("next_cursor").asText(), OPS);
    assertThat(second.path("items").findValuesAsText("event_id")).containsExactly("e3");
    assertThat(second.path("next_cursor").isNull()).isTrue();

    assertThat(API.problemFields(call("/v1/leads/" + id + "/score-history?limit=x", OPS))).containsExactly("limit");
    assertThat(API.problemFields(call("/v1/leads/" + id + "/score-history?cursor=zzz", OPS))).containsExactly("cursor");
    assertThat(call("/v1/leads/nobody-" + id + "/score-history", OPS).getStatus()).isEqualTo(404);
    assertThat(call("/v1/leads/" + id + "/score-history", SALES).getStatus()).isEqualTo(403);
  }

  private static long handOff(String leadId, String key, Instant slaDue) {
    HandOffDao dao = db().onDemand(HandOffDao.class);
    dao.insert(key, leadId, "score 83 >= 70", 83, "high", List.of(), slaDue, slaDue.minus(Duration.ofHours(24)));
    return db().withHandle(h -> h.createQuery("SELECT id FROM handoffs WHERE handoff_key = :k").bind("k", key)
        .mapTo(Long.class).one());
  }

  @Test
  void theSalesQueueListsOpenHandOffsBySlaDueWithTheTimeLeft() {
    // SLA due long ago: these come first in a queue other tests share.
    Instant due = Instant.parse("2001-01-01T00:00:00Z");
    String owned = lead(Map.of("owner_email", "rep@acme.example"));
    String unowned = lead(Map.of());
    String answered = lead(Map.of());
    String moved = lead(Map.of());
    journey(owned, "p", 1, "HANDED_OFF", "h", 83, T0);
    journey(unowned, "p", 1, "HANDED_OFF", "h", 83, T0);
    journey(answered, "p", 1, "GRADUATED", "h", 83, T0);
    journey(moved, "p", 1, "HANDED_OFF", "h", 83, T0);
    long second = handOff(owned, owned + "/a", due.plusSeconds(20));
    long first = handOff(unowned, unowned + "/a", due.plusSeconds(10));
    long done = handOff(answered, answered + "/a", due.plusSeconds(5));
    db().onDemand(HandOffDao.class).outcome(answered + "/a", "accepted");
    long older = handOff(moved, moved + "/old", due.plusSeconds(1));
    long latest = handOff(moved, moved + "/new", due.plusSeconds(30));
    String soon = lead(Map.of());
    journey(soon, "p", 1, "HANDED_OFF", "h", 83, T0);
    handOff(soon, soon + "/a", Instant.now().plus(Duration.ofDays(3650)));

    JsonNode open = get("/v1/handoffs?status=open&limit=3", SALES);
    List<Long> ids = new ArrayList<>();
    open.path("items").forEach(i -> ids.add(i.path("id").asLong()));
    assertThat(ids).as("by SLA due; answered and superseded hand-offs are not open").containsExactly(first, second, latest);
    JsonNode top = open.path("items").get(0);
    assertThat(top.path("lead_id").asText()).isEqualTo(unowned);
    assertThat(top.path("reason").asText()).isEqualTo("score 83 >= 70");
    assertThat(top.path("priority").asText()).isEqualTo("high");
    assertThat(top.path("owner").asText()).as("the default owner").isEqualTo("sdr-desk@acme.example");
    assertThat(top.path("sla_due_at").asText()).isEqualTo(due.plusSeconds(10).toString());
    assertThat(top.path("time_left_seconds").asLong()).as("overdue: negative").isLessThan(-700_000_000L);
    assertThat(top.path("overdue").asBoolean()).isTrue();
    assertThat(top.path("status").asText()).isEqualTo("open");
    assertThat(open.path("items").get(1).path("owner").asText()).isEqualTo("rep@acme.example");

    JsonNode next = get("/v1/handoffs?limit=500&cursor=" + open.path("next_cursor").asText(), OPS);
    List<Long> rest = new ArrayList<>();
    next.path("items").forEach(i -> rest.add(i.path("id").asLong()));
    assertThat(rest).as("the next page, no overlap").doesNotContain(first, second, latest, done, older);
    JsonNode later = null;
    for (JsonNode i : next.path("items")) {
      if (i.path("lead_id").asText().equals(soon)) {
        later = i;
      }
    }
    assertThat(later).as("status defaults to open").isNotNull();
    assertThat(later.path("time_left_seconds").asLong()).isGreaterThan(Duration.ofDays(3649).toSeconds());
    assertThat(later.path("overdue").asBoolean()).isFalse();

    List<Long> closed = new ArrayList<>();
    get("/v1/handoffs?status=closed&limit=500", OPS).path("items").forEach(i -> closed.add(i.path("id").asLong()));
    assertThat(closed).contains(done, older).doesNotContain(first, second, latest);
    JsonNode all = get("/v1/handoffs?status=all&limit=5", OPS);
    assertThat(all.path("items").findValuesAsText("lead_id")).startsWith(moved, answered, unowned, owned, moved);
    assertThat(all.path("items").get(1).path("outcome").asText()).isEqualTo("accepted");

    assertThat(API.problemFields(call("/v1/handoffs?status=pending", SALES))).containsExactly("status");
    assertThat(API.problemFields(call("/v1/handoffs?limit=-1", SALES))).containsExactly("limit");
    assertThat(API.problemFields(call("/v1/handoffs?cursor=" + open.path("next_cursor").asText() + "x", SALES)))
        .containsExactly("cursor");
    assertThat(call("/v1/handoffs", MA).getStatus()).isEqualTo(403);
  }

  private static long alert(String leadId, String kind) {
    db().onDemand(AlertDao.class).raise(leadId, kind, "look at " + kind, Map.of("k", kind), leadId + "/" + kind);
    return db().withHandle(h -> h.createQuery("SELECT id FROM alerts WHERE dedupe_key = :k")
        .bind("k", leadId + "/" + kind).mapTo(Long.class).one());
  }

  @Test
  void acknowledgingAnAlertIsIdempotentAndMovesItFromOpenToAcked() {
    String id = lead(Map.of());
    long reply = alert(id, "reply");
    long unknown = alert(id, "send_outcome_unknown");
    assertThat(get("/v1/alerts", SALES).findValuesAsText("id")).contains(String.valueOf(reply), String.valueOf(unknown));

    Response firstAck = API.call("/v1/alerts/" + reply + "/ack", SALES).post(Entity.json(Map.of()));
    JsonNode acked = API.json(firstAck, 200);
    assertThat(acked.path("status").asText()).isEqualTo("acked");
    assertThat(acked.path("acked_by").asText()).isEqualTo("sdr-team");
    assertThat(acked.path("lead_id").asText()).isEqualTo(id);
    Instant at = Instant.parse(acked.path("acked_at").asText());
    JsonNode again = API.json(API.call("/v1/alerts/" + reply + "/ack", OPS).post(Entity.json(Map.of())), 200);
    assertThat(again.path("acked_by").asText()).as("the first ack stays").isEqualTo("sdr-team");
    assertThat(Instant.parse(again.path("acked_at").asText())).isEqualTo(at);

    assertThat(get("/v1/alerts", OPS).findValuesAsText("id")).doesNotContain(String.valueOf(reply))
        .contains(String.valueOf(unknown));
    assertThat(get("/v1/alerts?status=open", OPS).findValuesAsText("id")).doesNotContain(String.valueOf(reply));
    assertThat(get("/v1/alerts?status=acked", OPS).findValuesAsText("id")).contains(String.valueOf(reply))
        .doesNotContain(String.valueOf(unknown));
    List<String> page = get("/v1/alerts?status=all&before=" + (unknown + 1) + "&limit=500", OPS).findValuesAsText("id");
    assertThat(page.get(0)).as("before pages back from an id").isEqualTo(String.valueOf(unknown));
    assertThat(page).containsSubsequence(String.valueOf(unknown), String.valueOf(reply));

    Response refused = API.call("/v1/alerts/" + unknown + "/ack", SALES).post(Entity.json(Map.of()));
    assertThat(API.json(refused, 403).path("detail").asText()).contains("send_outcome_unknown");
    assertThat(get("/v1/alerts?status=open", OPS).findValuesAsText("id")).contains(String.valueOf(unknown));
    assertThat(API.json(API.call("/v1/alerts/" + unknown + "/ack", OPS).post(Entity.json(Map.of())), 200)
        .path("acked_by").asText()).isEqualTo("ops");
    assertThat(API.call("/v1/alerts/" + reply + "/ack", MA).post(Entity.json(Map.of())).getStatus()).isEqualTo(403);
    assertThat(API.json(API.call("/v1/alerts/999999999/ack", OPS).post(Entity.json(Map.of())), 404)
        .path("status").asInt()).isEqualTo(404);
    assertThat(API.problemFields(call("/v1/alerts?status=closed", OPS))).containsExactly("status");
  }

  @Test
  void theWorkflowHistoryAnswersPayloadsAsJsonWithEachActivityAndTimerNamedByItsStep() {
    String id = API.lead("history-" + UUID.randomUUID().toString().substring(0, 6) + "@example.com", Map.of());
    API.json(API.call("/v1/leads/" + id + "/journey", MA).post(Entity.json(Map.of("program", "onboarding"))), 201);
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30))
        .until(() -> API.journey(id).path("emails_sent").asInt() == 1);

    JsonNode events = get("/v1/leads/" + id + "/journey/history?limit=1000", OPS).path("events");
    JsonNode started = events.get(0).path("workflowExecutionStartedEventAttributes").path("input").path("payloads").get(0);
    assertThat(started.path("leadId").asText()).as("the input as JSON, not base64").isEqualTo(id);
    JsonNode send = null;
    JsonNode completed = null;
    JsonNode timer = null;
    for (JsonNode e : events) {
      switch (e.path("eventType").asText()) {
        case "EVENT_TYPE_ACTIVITY_TASK_SCHEDULED" -> send = e;
        case "EVENT_TYPE_ACTIVITY_TASK_COMPLETED" -> completed = e;
        case "EVENT_TYPE_TIMER_STARTED" -> timer = e;
        default -> { }
      }
    }
    assertThat(send).isNotNull();
    assertThat(send.path("activityTaskScheduledEventAttributes").path("input").path("payloads").get(0).path("stepId").asText())
        .isEqualTo("welcome");
    assertThat(send.path("nurture").path("step").asText()).isEqualTo("welcome");
    assertThat(send.path("nurture").path("what").asText()).isEqualTo("activity SendEmail");
    assertThat(completed.path("activityTaskCompletedEventAttributes").path("result").path("payloads").get(0)
        .path("status").asText()).isEqualTo("SENT");
    assertThat(completed.path("nurture").path("step").asText()).isEqualTo("welcome");
    assertThat(timer).as("onboarding waits after its welcome").isNotNull();
    assertThat(timer.path("nurture").path("step").asText()).isEqualTo(API.journey(id).path("current_step").asText());
    assertThat(timer.path("nurture").path("what").asText()).isEqualTo("timer");
    assertThat(events.toString()).doesNotContain("anNvbi9wbGFpbg==");
  }
}
