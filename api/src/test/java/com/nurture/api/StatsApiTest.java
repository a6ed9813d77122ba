package com.nurture.api;

import static com.nurture.api.TestApi.MA;
import static com.nurture.api.TestApi.OPS;
import static com.nurture.api.TestApi.SALES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.nurture.activities.TestDatabase;
import com.nurture.activities.TestSmtp;
import com.nurture.activities.db.JourneyDao;
import com.nurture.activities.db.LeadDao;
import com.nurture.activities.db.TimelineDao;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Program statistics and the funnel (issue 12, docs/analytics.md) over rows written straight to the
 * real database as the send path, tracking, webhooks and the journey write them.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class StatsApiTest {
  private static final GreenMail SMTP = TestSmtp.start();

  static final DropwizardAppExtension<NurtureConfiguration> APP = TestApi.allInOne(SMTP);

  private static final TestApi API = new TestApi(APP);
  private static final jakarta.ws.rs.client.Client CLIENT = jakarta.ws.rs.client.ClientBuilder.newClient();
  private static final Instant T0 = Instant.parse("2026-10-01T00:00:00Z");
  private static final String PERIOD = "from=2026-09-01T00:00:00Z&to=2026-11-01T00:00:00Z";

  @AfterAll
  static void stop() {
    SMTP.stop();
    API.close();
    CLIENT.close();
  }

  private static Jdbi db() {
    return TestDatabase.jdbi();
  }

  private static String name(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** A valid published program (other tests in this JVM read every published program's definition). */
  private static void program(String id) {
    new com.nurture.activities.catalog.ProgramCatalog(db(), new com.nurture.activities.mail.TemplateCatalog()).publish("""
        id: %s
        name: Stats %s
        send_policy: none
        steps:
          - { id: welcome, send: { template: onboarding-welcome } }
        """.formatted(id, id));
  }

  private static String lead(Map<String, Object> attributes) {
    String id = name("stats");
    db().onDemand(LeadDao.class).upsert(id, id + "@example.com", "", "opt_in", attributes);
    return id;
  }

  /** A send-ledger row; answers its Message-ID. */
  private static String message(String lead, String program, String step, String variant, String status, Instant at) {
    String messageId = "<" + UUID.randomUUID() + "@nurture.test>";
    db().useHandle(h -> h.execute("""
        INSERT INTO messages (idempotency_key, lead_id, email, program_id, program_version, step_id, template, variant,
                              status, message_id, created_at, sent_at)
        VALUES (?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?)""", lead + "/j/" + program + "/" + step + "/" + UUID.randomUUID(),
        lead, lead + "@example.com", program, step, step, variant, status, messageId, at,
        status.equals("sent") ? at : null));
    return messageId;
  }

  private static void event(String lead, String type, Instant at, String propertiesJson) {
    db().useHandle(h -> h.execute("INSERT INTO events (lead_id, id, type, occurred_at, properties)"
        + " VALUES (?, ?, ?, ?, CAST(? AS jsonb))", lead, UUID.randomUUID().toString(), type, at, propertiesJson));
  }

  private static void machineHit(String lead, String messageId, String kind, Instant at) {
    db().useHandle(h -> {
      String key = h.createQuery("SELECT idempotency_key FROM messages WHERE message_id = ?").bind(0, messageId)
          .mapTo(String.class).one();
      String token = UUID.randomUUID().toString().replace("-", "").substring(0, 22);
      h.execute("INSERT INTO tracked_links (token, idempotency_key, message_id, lead_id, program_id, program_version,"
          + " step_id, template, kind, url) VALUES (?, ?, ?, ?, 'p', 1, 's', 't', ?, 'https://x.example')",
          token, key, messageId, lead, kind);
      h.execute("INSERT INTO tracking_hits (token, idempotency_key, lead_id, kind, at, method, human, reason)"
          + " VALUES (?, ?, ?, ?, ?, 'GET', false, 'scanner')", token, key, lead, kind, at);
    });
  }

  private static void handOff(String lead, Instant at) {
    db().useHandle(h -> h.execute("INSERT INTO handoffs (handoff_key, lead_id, reason, score, priority, sla_due_at,"
        + " created_at) VALUES (?, ?, 'score 75 >= 70', 75, 'normal', ?, ?)", lead + "/" + at, lead,
        at.plus(Duration.ofDays(1)), at));
  }

  private static void journey(String lead, String program, String status) {
    db().onDemand(JourneyDao.class).upsert(lead, "lead-" + lead, "run-1", program, 1, status, "", null, T0, 0, T0);
  }

  /** A call to a path with its query string as written (values already encoded). */
  private static Response call(String pathAndQuery, String key) {
    var b = CLIENT.target(java.net.URI.create("http://localhost:" + APP.getLocalPort() + pathAndQuery)).request();
    return (key == null ? b : b.header("Authorization", "Bearer " + key)).get();
  }

  private static JsonNode get(String pathAndQuery) {
    return API.json(call(pathAndQuery, OPS), 200);
  }

  private static JsonNode find(JsonNode array, String field, String value) {
    for (JsonNode n : array) {
      if (n.path(field).asText().equals(value)) {
        return n;
      }
    }
    throw new AssertionError("no " + field + " = " + value + " in " + array);
  }

  @Test
  void perStepAndVariantCountsEachEmailOnceAndAttributesWhatAnswersIt() {
    String p = name("stats");
    program(p);
    String a = lead(Map.of());
    String b = lead(Map.of());
    String c = lead(Map.of());
    String d = lead(Map.of());
    String held = lead(Map.of());
    String a1 = message(a, p, "welcome", "", "sent", T0);
    String b1 = message(b, p, "welcome", "", "sent", T0);
    String c1 = message(c, p, "welcome", "", "sent", T0);
    message(d, p, "welcome", "", "sent", T0);
    message(held, p, "welcome", "", "held_out", T0);
    message(a, p, "subject", "a", "sent", T0.plus(Duration.ofDays(3)));
    message(c, p, "subject", "a", "failed", T0.plus(Duration.ofDays(3)));
    message(held, p, "subject", "a", "held_out", T0.plus(Duration.ofDays(3)));
    message(b, p, "subject", "b", "sent", T0.plus(Duration.ofDays(3)));
    String d2 = message(d, p, "subject", "b", "sent", T0.plus(Duration.ofDays(3)));
    String other = message(a, "other-" + p, "welcome", "", "sent", T0.plus(Duration.ofDays(1)));

    // two opens of one email are one; a provider's id without angle brackets is the same message
    event(a, "email_opened", T0.plusSeconds(3600), "{\"message_id\": \"" + a1 + "\"}");
    event(a, "email_opened", T0.plusSeconds(7200), "{\"message_id\": \"" + a1 + "\"}");
    event(a, "email_clicked", T0.plusSeconds(3600), "{\"message_id\": \"" + a1.substring(1, a1.length() - 1) + "\"}");
    event(a, "email_clicked", T0.plus(Duration.ofDays(1)), "{\"message_id\": \"" + other + "\"}");
    // a reply names the reply's own Message-ID: it answers the lead's last email before it (subject a, not other)
    event(a, "replied", T0.plus(Duration.ofDays(4)), "{\"message_id\": \"<reply-1@lead.example>\"}");
    event(b, "bounced", T0.plusSeconds(60), "{\"message_id\": \"" + b1 + "\", \"hard\": true}");
    machineHit(c, c1, "open", T0.plusSeconds(5));
    machineHit(c, c1, "click", T0.plusSeconds(6));
    event(d, "unsubscribed", T0.plusSeconds(5 * 3600), "{\"channel\": \"unsubscribe_link\"}");
    event(d, "complained", T0.plus(Duration.ofDays(3)).plusSeconds(60), "{\"message_id\": \"" + d2 + "\"}");
    event(d, "email_opened", T0.plusSeconds(60), "{\"message_id\": \"<unknown@elsewhere>\"}");
    // hand-offs after 96 h, 48 h and 40 days (outside a welcome's 30 days)
    handOff(a, T0.plus(Duration.ofDays(4)));
    handOff(b, T0.plus(Duration.ofDays(2)));
    handOff(c, T0.plus(Duration.ofDays(40)));

    JsonNode stats = get("/v1/programs/" + p + "/stats?" + PERIOD);
    assertThat(stats.path("steps").findValuesAsText("step")).as("in the order first sent").containsExactly("welcome", "subject");
    JsonNode welcome = stats.path("steps").get(0).path("totals");
    assertThat(welcome.path("entered").asLong()).isEqualTo(5);
    assertThat(welcome.path("sent").asLong()).isEqualTo(4);
    assertThat(welcome.path("held_out").asLong()).isEqualTo(1);
    assertThat(welcome.path("bounced").asLong()).isEqualTo(1);
    assertThat(welcome.path("delivered").asLong()).isEqualTo(3);
    assertThat(welcome.path("human_opens").asLong()).as("two opens of a1; d's names no email of ours").isEqualTo(1);
    assertThat(welcome.path("machine_opens").asLong()).isEqualTo(1);
    assertThat(welcome.path("human_clicks").asLong()).as("the click on another program's email is not here").isEqualTo(1);
    assertThat(welcome.path("bot_clicks").asLong()).isEqualTo(1);
    assertThat(welcome.path("replies").asLong()).isZero();
    assertThat(welcome.path("unsubscribes").asLong()).isEqualTo(1);
    assertThat(welcome.path("mql_30d").asLong()).as("a and b, not c after 40 days").isEqualTo(2);
    assertThat(welcome.path("rates").path("open").asDouble()).isCloseTo(1 / 3.0, within(1e-9));
    assertThat(welcome.path("rates").path("bounce").asDouble()).isCloseTo(0.25, within(1e-9));
    assertThat(stats.path("steps").get(0).path("variants").size()).isZero();
    assertThat(stats.path("steps").get(0).path("ab").isNull()).isTrue();
    assertThat(stats.path("steps").get(0).path("health").path("status").asText()).isEqualTo("not enough data");

    JsonNode subject = stats.path("steps").get(1);
    JsonNode va = find(subject.path("variants"), "variant", "a").path("counts");
    JsonNode vb = find(subject.path("variants"), "variant", "b").path("counts");
    assertThat(va.path("sent").asLong()).isEqualTo(1);
    assertThat(va.path("failed").asLong()).isEqualTo(1);
    assertThat(va.path("held_out").asLong()).isEqualTo(1);
    assertThat(va.path("replies").asLong()).isEqualTo(1);
    assertThat(va.path("mql_30d").asLong()).isEqualTo(1);
    assertThat(vb.path("sent").asLong()).isEqualTo(2);
    assertThat(vb.path("complaints").asLong()).isEqualTo(1);
    assertThat(vb.path("mql_30d").asLong()).as("b's hand-off came before its subject email").isZero();
    assertThat(subject.path("totals").path("entered").asLong()).isEqualTo(5);
    JsonNode ab = subject.path("ab");
    assertThat(ab.path("metric").asText()).isEqualTo("click_rate");
    assertThat(ab.path("control").asText()).isEqualTo("a");
    assertThat(ab.path("comparisons").get(0).path("verdict").asText()).isEqualTo("not enough data");

    // the program: 5 entered, a, b and c became MQL after 96 h, 48 h and 960 h
    JsonNode outcome = stats.path("outcome");
    assertThat(outcome.path("enrolled").asLong()).isEqualTo(5);
    assertThat(outcome.path("mql").asLong()).isEqualTo(3);
    assertThat(outcome.path("mql_rate").asDouble()).isCloseTo(0.6, within(1e-9));
    assertThat(outcome.path("median_hours_to_mql").asDouble()).isCloseTo(96, within(1e-6));
    // p90 of 48, 96, 960: position 0.9 * 2 = 1.8, so 96 + 0.8 * (960 - 96) = 787.2
    assertThat(outcome.path("p90_hours_to_mql").asDouble()).isCloseTo(787.2, within(1e-6));
    JsonNode holdout = stats.path("holdout");
    assertThat(holdout.path("nurtured").path("trials").asLong()).isEqualTo(4);
    assertThat(holdout.path("nurtured").path("successes").asLong()).isEqualTo(3);
    assertThat(holdout.path("held_out").path("trials").asLong()).isEqualTo(1);
    assertThat(holdout.path("held_out").path("successes").asLong()).isZero();
    assertThat(holdout.path("lift").isNull()).as("no held-out MQL: no ratio").isTrue();
    assertThat(holdout.path("verdict").asText()).isEqualTo("not enough data");
  }

  @Test
  void exitsAreCountedByStatusAndReason() {
    String p = name("exits");
    program(p);
    String[] leads = {lead(Map.of()), lead(Map.of()), lead(Map.of()), lead(Map.of()), lead(Map.of())};
    for (String l : leads) {
      message(l, p, "welcome", "", "sent", T0);
    }
    journey(leads[0], p, "COMPLETED");
    db().onDemand(TimelineDao.class).append(leads[0], T0.plusSeconds(9), "exited",
        Map.of("step", "bye", "reason", "not a fit"), leads[0] + "/exit");
    journey(leads[1], p, "COMPLETED");
    db().onDemand(TimelineDao.class).append(leads[1], T0.plusSeconds(9), "exited",
        Map.of("step", "bye", "reason", "not a fit"), leads[1] + "/exit");
    journey(leads[2], p, "UNSUBSCRIBED");
    db().onDemand(TimelineDao.class).append(leads[2], T0.plusSeconds(9), "unsubscribed", Map.of("event_id", "u"),
        leads[2] + "/u");
    journey(leads[3], p, "ACTIVE");
    journey(leads[4], "elsewhere-" + p, "COMPLETED");

    JsonNode exits = get("/v1/programs/" + p + "/stats?" + PERIOD).path("outcome").path("exits");
    assertThat(exits.size()).as("active journeys and journeys now in another program are not exits").isEqualTo(2);
    assertThat(exits.get(0).path("status").asText()).isEqualTo("COMPLETED");
    assertThat(exits.get(0).path("reason").asText()).isEqualTo("not a fit");
    assertThat(exits.get(0).path("leads").asLong()).isEqualTo(2);
    assertThat(exits.get(1).path("reason").asText()).isEqualTo("unsubscribed");
  }

  @Test
  void anAbTestWithEnoughSendsNamesTheBetterVariant() {
    String p = name("ab");
    program(p);
    // 200 emails per variant: a 4 clicks (2%), b 30 (15%); every email opened by nobody
    db().useHandle(h -> h.execute("""
        INSERT INTO messages (idempotency_key, lead_id, email, program_id, program_version, step_id, template, variant,
                              status, message_id, created_at, sent_at)
        SELECT ? || i, ? || i, 'x@example.com', ?, 1, 'subject', 'subject', CASE WHEN i % 2 = 0 THEN 'a' ELSE 'b' END,
               'sent', '<' || ? || i || '@t>', ?, ?
        FROM generate_series(1, 400) i""", p + "/k", p + "-lead-", p, p, T0, T0));
    db().useHandle(h -> h.execute("""
        INSERT INTO events (lead_id, id, type, occurred_at, properties)
        SELECT ? || i, 'c' || i, 'email_clicked', ?, jsonb_build_object('message_id', '<' || ? || i || '@t>')
        FROM generate_series(1, 400) i WHERE (i % 2 = 0 AND i <= 8) OR (i % 2 = 1 AND i <= 60)""",
        p + "-lead-", T0.plusSeconds(60), p));

    JsonNode ab = get("/v1/programs/" + p + "/stats?" + PERIOD).path("steps").get(0).path("ab");
    assertThat(find(ab.path("arms"), "name", "a").path("rate").asDouble()).isCloseTo(0.02, within(1e-9));
    assertThat(find(ab.path("arms"), "name", "b").path("rate").asDouble()).isCloseTo(0.15, within(1e-9));
    JsonNode comparison = ab.path("comparisons").get(0);
    assertThat(comparison.path("difference").asDouble()).isCloseTo(0.13, within(1e-9));
    assertThat(comparison.path("interval").path("low").asDouble()).isGreaterThan(0);
    assertThat(comparison.path("verdict").asText()).isEqualTo("b better");
    JsonNode opens = get("/v1/programs/" + p + "/stats?metric=open&" + PERIOD).path("steps").get(0).path("ab");
    assertThat(opens.path("metric").asText()).isEqualTo("open_rate");
    assertThat(opens.path("comparisons").get(0).path("verdict").asText()).isEqualTo("no difference yet");
  }

  @Test
  void theFunnelCountsEachStageWithConversionsAndMedianTimes() {
    String p = name("funnel");
    Map<String, Object> finance = Map.of("industry", "Financial Services");
    String f1 = lead(finance);
    String f2 = lead(finance);
    String f3 = lead(finance);
    String software = lead(Map.of("industry", "Software"));
    for (String l : new String[] {f1, f2, f3, software}) {
      journey(l, p, "ACTIVE");
    }
    event(f1, "email_clicked", T0.plus(Duration.ofHours(2)), "{}");
    event(f2, "replied", T0.plus(Duration.ofHours(4)), "{}");
    event(software, "replied", T0.plus(Duration.ofHours(1)), "{}");
    event(f3, "email_opened", T0.plus(Duration.ofHours(1)), "{}");
    Instant mql = T0.plus(Duration.ofDays(1));
    handOff(f1, mql);
    db().useHandle(h -> {
      h.execute("INSERT INTO owner_notifications (handoff_key, owner_email, message_id, sent_at) VALUES (?, 'rep@x', 'm', ?)",
          f1 + "/" + mql, mql.plus(Duration.ofHours(1)));
      h.execute("UPDATE handoffs SET outcome = 'accepted', outcome_at = ? WHERE lead_id = ?", T0.plus(Duration.ofDays(2)), f1);
    });
    journey(f1, p, "GRADUATED");
    db().onDemand(TimelineDao.class).append(f1, T0.plus(Duration.ofDays(2)), "sales_accepted", Map.of(), f1 + "/acc");
    event(f1, "converted_to_customer", T0.plus(Duration.ofDays(30)), "{\"amount\": 1200}");

    JsonNode funnel = get("/v1/funnel?program=" + p + "&segment=financial-services&" + PERIOD);
    JsonNode stages = funnel.path("stages");
    assertThat(stages.findValuesAsText("stage"))
        .containsExactly("enrolled", "engaged", "mql", "handed_off", "accepted", "graduated", "customer");
    assertThat(stages.findValues("leads").stream().map(JsonNode::asLong)).containsExactly(3L, 2L, 1L, 1L, 1L, 1L, 1L);
    assertThat(stages.get(0).path("conversion").isNull()).isTrue();
    assertThat(stages.get(1).path("conversion").asDouble()).isCloseTo(2 / 3.0, within(1e-9));
    assertThat(stages.get(2).path("conversion").asDouble()).isCloseTo(0.5, within(1e-9));
    assertThat(stages.get(1).path("median_hours_from_previous").asDouble()).as("median of 2 h and 4 h").isCloseTo(3, within(1e-6));
    assertThat(stages.get(2).path("median_hours_from_previous").asDouble()).isCloseTo(22, within(1e-6));
    assertThat(stages.get(3).path("median_hours_from_previous").asDouble()).isCloseTo(1, within(1e-6));
    assertThat(stages.get(4).path("median_hours_from_previous").asDouble()).isCloseTo(23, within(1e-6));
    assertThat(stages.get(6).path("median_hours_from_previous").asDouble()).isCloseTo(28 * 24, within(1e-6));
    assertThat(funnel.path("median_hours_enrolled_to_mql").asDouble()).isCloseTo(24, within(1e-6));
    assertThat(get("/v1/funnel?program=" + p + "&" + PERIOD).path("stages").get(0).path("leads").asLong())
        .as("every segment").isEqualTo(4);
  }

  @Test
  void badParametersAreProblemsNamingThem() {
    String p = name("bad");
    program(p);
    Map<String, String> bad = new java.util.LinkedHashMap<>();
    bad.put("from=yesterday", "from");
    bad.put("to=2026-13-01", "to");
    bad.put("from=2026-11-01T00:00:00Z&to=2026-10-01T00:00:00Z", "from");
    bad.put("version=0", "version");
    bad.put("version=one", "version");
    bad.put("metric=revenue", "metric");
    bad.forEach((query, field) -> assertThat(API.problemFields(call("/v1/programs/" + p + "/stats?" + query, OPS)))
        .as(query).containsExactly(field));
    assertThat(API.problemFields(call("/v1/funnel?segment=Financial%20Services", OPS))).containsExactly("segment");
    assertThat(API.problemFields(call("/v1/funnel?to=soon", OPS))).containsExactly("to");
    Response missing = API.call("/v1/programs/no-such-" + p + "/stats", OPS).get();
    assertThat(API.json(missing, 404).path("detail").asText()).contains("no-such-" + p);
    assertThat(call("/v1/programs/" + p + "/stats?version=2", OPS).getStatus()).isEqualTo(404);
    assertThat(API.call("/v1/programs/" + p + "/stats", SALES).get().getStatus()).isEqualTo(403);
    assertThat(API.call("/v1/funnel", MA).get().getStatus()).isEqualTo(403);
    assertThat(API.call("/v1/funnel", null).get().getStatus()).isEqualTo(401);
  }
}
