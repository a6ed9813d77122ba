package com.nurture.api;

import static com.nurture.api.TestApi.MA;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.nurture.activities.TestSmtp;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import jakarta.ws.rs.client.Entity;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code temporal.deliver_all: false}, the setting for a fleet upgraded from a release whose workers
 * have no {@code deliverAll} handler: a lead's several events still reach its journey in their order,
 * each in a {@code deliver} signal of its own, and no {@code deliverAll} is ever sent.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class DeliverAllOffTest {
  private static final GreenMail SMTP = TestSmtp.start();

  static final DropwizardAppExtension<NurtureConfiguration> APP = TestApi.allInOne(SMTP,
      ConfigOverride.config("temporal.deliver_all", "false"));

  private static final TestApi API = new TestApi(APP);

  @AfterAll
  static void stop() {
    SMTP.stop();
    API.close();
  }

  @Test
  void aLeadsEventsInOneBatchGoToItsJourneyOneSignalEachInTheBatchsOrder() {
    String lead = API.lead(TestApi.newId("upgrading") + "@example.com", Map.of());
    API.json(API.call("/v1/leads/" + lead + "/journey", MA).post(Entity.json(Map.of("program", "onboarding"))), 201);
    List<String> ids = List.of(TestApi.newId("first"), TestApi.newId("second"), TestApi.newId("third"));
    JsonNode answer = API.json(API.call("/v1/events:batch", MA).post(Entity.json(Map.of("events", List.of(
        Map.of("lead_id", lead, "id", ids.get(0), "type", "page_visited", "properties", Map.of("page", "blog")),
        Map.of("lead_id", lead, "id", ids.get(1), "type", "content_downloaded", "properties", Map.of("asset", "guide")),
        Map.of("lead_id", lead, "id", ids.get(2), "type", "page_visited", "properties", Map.of("page", "docs")))))), 200);

    answer.path("results").forEach(r -> {
      assertThat(r.path("status").asInt()).as(r.toString()).isEqualTo(202);
      assertThat(r.path("delivered_to_journey").asBoolean()).as(r.toString()).isTrue();
    });
    List<JsonNode> signals = API.signals(lead, ids.size());
    assertThat(signals).extracting(s -> s.path("signalName").asText()).containsExactly("deliver", "deliver", "deliver");
    for (int i = 0; i < ids.size(); i++) {
      assertThat(signals.get(i).path("input").toString()).as("signal %d carries event %d", i, i).contains(ids.get(i));
    }
  }
}
