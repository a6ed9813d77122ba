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
import com.nurture.activities.db.LeadDao;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Sales speed per owner (docs/analytics.md), over hand-offs written as the journey writes them. */
@ExtendWith(DropwizardExtensionsSupport.class)
class SalesSpeedApiTest {
  private static final GreenMail SMTP = TestSmtp.start();

  static final DropwizardAppExtension<NurtureConfiguration> APP = TestApi.allInOne(SMTP);

  private static final TestApi API = new TestApi(APP);
  private static final jakarta.ws.rs.client.Client CLIENT = jakarta.ws.rs.client.ClientBuilder.newClient();
  /** A month no other test hands off in. */
  private static final Instant T0 = Instant.parse("2025-03-02T00:00:00Z");

  @AfterAll
  static void stop() {
    SMTP.stop();
    API.close();
    CLIENT.close();
  }

  private static String handOff(Map<String, Object> attributes, Instant at, String notified, String outcome,
      Duration answeredAfter) {
    String lead = "speed-" + UUID.randomUUID().toString().substring(0, 8);
    TestDatabase.jdbi().onDemand(LeadDao.class).upsert(lead, lead + "@example.com", "", "opt_in", attributes);
    String key = lead + "/h";
    TestDatabase.jdbi().useHandle(h -> {
      h.execute("INSERT INTO handoffs (handoff_key, lead_id, reason, score, priority, sla_due_at, outcome, outcome_at,"
          + " created_at) VALUES (?, ?, 'score 75 >= 70', 75, 'normal', ?, ?, ?, ?)", key, lead,
          at.plus(Duration.ofHours(24)), outcome, answeredAfter == null ? null : at.plus(answeredAfter), at);
      if (notified != null) {
        h.execute("INSERT INTO owner_notifications (handoff_key, owner_email, message_id, sent_at) VALUES (?, ?, 'm', ?)",
            key, notified, at);
      }
    });
    return lead;
  }

  @Test
  void perOwnerTheTimeFromHandOffToAnswerAndAcceptance() {
    handOff(Map.of(), T0, "rep-a@acme.example", "accepted", Duration.ofHours(2));
    handOff(Map.of("owner_email", "rep-b@acme.example"), T0.plus(Duration.ofDays(1)), "rep-a@acme.example",
        "rejected", Duration.ofHours(30));
    handOff(Map.of("owner_email", "rep-b@acme.example"), T0.plus(Duration.ofDays(2)), null, null, null);
    handOff(Map.of(), T0.plus(Duration.ofDays(3)), null, "not_now", Duration.ofHours(4));
    handOff(Map.of(), T0.minus(Duration.ofDays(1)), "rep-a@acme.example", "accepted", Duration.ofHours(1));

    String path = "/v1/sales-speed?from=2025-03-02T00:00:00Z&to=2025-04-01T00:00:00Z";
    JsonNode body = API.json(CLIENT.target(java.net.URI.create("http://localhost:" + APP.getLocalPort() + path))
        .request().header("Authorization", "Bearer " + OPS).get(), 200);
    JsonNode total = body.path("total");
    assertThat(total.path("handoffs").asLong()).as("the hand-off before the period is not counted").isEqualTo(4);
    assertThat(total.path("answered").asLong()).isEqualTo(3);
    assertThat(total.path("answered_within_sla").asLong()).isEqualTo(2);
    assertThat(total.path("accepted").asLong()).isEqualTo(1);
    assertThat(total.path("acceptance_rate").asDouble()).isCloseTo(0.25, within(1e-9));
    // answered after 2, 30 and 4 hours: median 4; p90 at position 0.9 * 2 = 1.8: 4 + 0.8 * (30 - 4) = 24.8
    assertThat(total.path("median_hours_to_answer").asDouble()).isCloseTo(4, within(1e-6));
    assertThat(total.path("p90_hours_to_answer").asDouble()).isCloseTo(24.8, within(1e-6));

    JsonNode owners = body.path("owners");
    assertThat(owners.findValuesAsText("owner"))
        .as("the owner emailed, else the lead's owner, else sales.default_owner; most hand-offs first")
        .containsExactly("rep-a@acme.example", "rep-b@acme.example", "sdr-desk@acme.example");
    JsonNode a = owners.get(0);
    assertThat(a.path("handoffs").asLong()).isEqualTo(2);
    assertThat(a.path("median_hours_to_answer").asDouble()).isCloseTo(16, within(1e-6));
    assertThat(a.path("median_hours_to_acceptance").asDouble()).isCloseTo(2, within(1e-6));
    JsonNode b = owners.get(1);
    assertThat(b.path("answered").asLong()).isZero();
    assertThat(b.path("median_hours_to_answer").isNull()).as("nothing answered: no median").isTrue();

    assertThat(API.call("/v1/sales-speed", SALES).get().getStatus()).as("sales sees its own speed").isEqualTo(200);
    assertThat(API.call("/v1/sales-speed", MA).get().getStatus()).isEqualTo(403);
  }
}
