package com.nurture.api;

import static com.nurture.api.TestApi.MA;
import static com.nurture.api.TestApi.OPS;
import static com.nurture.api.TestApi.SALES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.nurture.activities.TestSmtp;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import jakarta.ws.rs.client.Entity;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The sales queue and alert acknowledgement with a hand-off made by a real journey (workflow,
 * activities, owner email), from hand-off to sales' answer.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class SalesQueueApiTest {
  private static final GreenMail SMTP = TestSmtp.start();

  static final DropwizardAppExtension<NurtureConfiguration> APP = TestApi.allInOne(SMTP);

  private static final TestApi API = new TestApi(APP);
  private static final jakarta.ws.rs.client.Client CLIENT = jakarta.ws.rs.client.ClientBuilder.newClient();

  @AfterAll
  static void stop() {
    SMTP.stop();
    API.close();
    CLIENT.close();
  }

  private static JsonNode get(String pathAndQuery, String key) {
    return API.json(CLIENT.target(URI.create("http://localhost:" + APP.getLocalPort() + pathAndQuery)).request()
        .header("Authorization", "Bearer " + key).get(), 200);
  }

  private static JsonNode mine(JsonNode page, String lead) {
    for (JsonNode item : page.path("items")) {
      if (item.path("lead_id").asText().equals(lead)) {
        return item;
      }
    }
    return null;
  }

  @Test
  void aJourneysHandOffIsInTheQueueUntilSalesAnswersAndSalesAcknowledgesItsAlert() {
    String program = "queue-" + UUID.randomUUID().toString().substring(0, 6);
    API.json(API.call("/v1/programs/" + program, OPS).put(Entity.entity("id: " + program + "\nsend_policy: none\nsteps:\n"
        + "  - { id: to-sales, handoff: { reason: asked for pricing } }\n"
        + "  - { id: after, send: onboarding-proof }\n", "application/yaml")), 201);
    String lead = API.lead(TestApi.newId("queue") + "@example.com",
        Map.of("attributes", Map.of("owner_email", "rep@acme.example")));
    API.json(API.call("/v1/leads/" + lead + "/journey", MA).post(Entity.json(Map.of("program", program))), 201);
    await().atMost(Duration.ofSeconds(30)).until(() -> mine(get("/v1/handoffs?limit=500", SALES), lead) != null);

    JsonNode open = mine(get("/v1/handoffs?status=open&limit=500", SALES), lead);
    assertThat(open.path("reason").asText()).isEqualTo("asked for pricing");
    assertThat(open.path("owner").asText()).isEqualTo("rep@acme.example");
    assertThat(open.path("status").asText()).isEqualTo("open");
    assertThat(open.path("overdue").asBoolean()).isFalse();
    assertThat(open.path("time_left_seconds").asLong()).as("the default SLA is a day or more")
        .isGreaterThan(Duration.ofHours(1).toSeconds());
    assertThat(mine(get("/v1/journeys?program=" + program + "&status=HANDED_OFF", OPS), lead)).isNotNull();

    JsonNode alert = null;
    for (JsonNode a : get("/v1/alerts?limit=1000", SALES)) {
      if (a.path("lead_id").asText().equals(lead) && a.path("kind").asText().equals("handoff")) {
        alert = a;
      }
    }
    assertThat(alert).as("the hand-off alert").isNotNull();
    JsonNode acked = API.json(API.call("/v1/alerts/" + alert.path("id").asLong() + "/ack", SALES).post(Entity.json(Map.of())), 200);
    assertThat(acked.path("acked_by").asText()).isEqualTo("sdr-team");

    API.json(API.call("/v1/leads/" + lead + "/sales-feedback", SALES).post(Entity.json(Map.of("outcome", "accepted"))), 200);
    await().atMost(Duration.ofSeconds(30)).until(() -> mine(get("/v1/handoffs?status=open&limit=500", SALES), lead) == null);
    JsonNode closed = mine(get("/v1/handoffs?status=closed&limit=500", OPS), lead);
    assertThat(closed.path("status").asText()).isEqualTo("closed");
    assertThat(closed.path("outcome").asText()).isEqualTo("accepted");
  }
}
