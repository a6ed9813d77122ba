package com.nurture.api;

import static com.nurture.api.TestApi.MA;
import static com.nurture.api.TestApi.OPS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.nurture.activities.TestSmtp;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import jakarta.ws.rs.client.Entity;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The intake holds no pooled connection while it calls Temporal. With a small pool (4), a slow
 * Temporal (every chunk 200 ms late) and a batch whose every event triggers a program (a start,
 * after the trigger's own reads), each of the 16 intake threads would hold one connection across
 * its call and want a second for those reads: the pool ran dry and items answered 503 "the database
 * did not answer" (the 2026-12-02 benchmark's 200-event batch, with the default pool of 16).
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class IntakeConnectionsTest {
  private static final int LEADS = 48;
  private static final GreenMail SMTP = TestSmtp.start();
  private static final RelayedTemporal TEMPORAL = new RelayedTemporal();

  static final DropwizardAppExtension<NurtureConfiguration> APP = TestApi.allInOne(SMTP,
      ConfigOverride.config("temporal.target", TEMPORAL.target()),
      ConfigOverride.config("temporal.call_timeout", "5s"),
      ConfigOverride.config("database.maxSize", "4"),
      ConfigOverride.config("database.minSize", "4"),
      ConfigOverride.config("database.initialSize", "4"));
  private static final TestApi API = new TestApi(APP);

  @AfterAll
  static void stop() {
    TEMPORAL.closeWith(API, SMTP);
  }

  @Test
  void aBatchOfTriggeringEventsIsAcceptedWithASmallPoolAndASlowTemporal() {
    String program = TestApi.newId("form-trigger");
    API.json(API.call("/v1/programs/" + program, OPS).put(Entity.entity("""
        id: %s
        send_policy: none
        trigger: { event: form_submitted, where: { form: %s } }
        steps:
          - { id: welcome, send: { template: onboarding-welcome, immediate: true } }
        """.formatted(program, program), "application/yaml")), 201);
    List<Map<String, Object>> leads = new ArrayList<>();
    List<Map<String, Object>> events = new ArrayList<>();
    for (int i = 0; i < LEADS; i++) {
      String id = TestApi.newId("pool");
      leads.add(Map.of("id", id, "email", id + "@example.com", "consent", "opt_in"));
      events.add(Map.of("lead_id", id, "id", "form-" + id, "type", "form_submitted",
          "properties", Map.of("form", program)));
    }
    JsonNode stored = API.json(API.call("/v1/leads:batch", MA).put(Entity.json(Map.of("leads", leads))), 200);
    assertThat(stored.path("failed").asInt()).as(stored.toString()).isZero();

    TEMPORAL.relay().slow(Duration.ofMillis(200));
    JsonNode answer;
    try {
      answer = API.json(API.call("/v1/events:batch", MA).post(Entity.json(Map.of("events", events))), 200);
    } finally {
      TEMPORAL.relay().slow(Duration.ZERO);
    }
    assertThat(answer.path("results")).as(answer.toString()).extracting(r -> r.path("status").asInt())
        .containsOnly(202);
  }
}
