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
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.ResourceHelpers;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
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

  static final DropwizardAppExtension<NurtureConfiguration> APP = new DropwizardAppExtension<>(
      AllInOneApplication.class, ResourceHelpers.resourceFilePath("api-test.yml"),
      ConfigOverride.config("database.url", TestDatabase.database().jdbcUrl()),
      ConfigOverride.config("smtp.port", String.valueOf(SMTP.getSmtp().getPort())));

  private static final TestApi API = new TestApi(APP);
  private static final jakarta.ws.rs.client.Client CLIENT = jakarta.ws.rs.client.ClientBuilder.newClient();
  private static final Instant T0 = Instant.parse("2026-11-01T09:00:00Z");

  @AfterAll
  static void stop() {
    SMTP.stop();
    API.close();
    CLIENT.close();
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
    var b = CLIENT.target(java.net.URI.create("http://localhost:" + APP.getLocalPort() + pathAndQuery)).request();
    return (key == null ? b : b.header("Authorization", "Bearer " + key)).get();
  }

  static JsonNode get(String pathAndQuery, String key) {
    return API.json(call(pathAndQuery, key), 200);
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
}
