package com.nurture.api;

import static com.nurture.api.TestApi.MA;
import static com.nurture.api.TestApi.OPS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.nurture.activities.TestSmtp;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import jakarta.ws.rs.client.Entity;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Before migrating the leads of an old version: who is in flight on each version and at which
 * step, and a dry run that says who would move and who would be refused, with the reasons the
 * real migration then gives.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class ProgramEditingApiTest {
  private static final GreenMail SMTP = TestSmtp.start();
  static final DropwizardAppExtension<NurtureConfiguration> APP = TestApi.allInOne(SMTP);
  private static final TestApi API = new TestApi(APP);

  @AfterAll
  static void stop() {
    SMTP.stop();
    API.close();
  }

  private static final String V1 = """
      id: %s
      send_policy: none
      steps:
        - { id: hello, send: onboarding-welcome }
        - id: route
          branch:
            - when: { attribute: tier, eq: gold }
              goto: gold-wait
            - else: plain-wait
        - { id: gold-wait, wait: 10d }
        - { id: plain-wait, wait: 10d }
      """;

  @Test
  void aDryRunListsWhoWouldBeRefusedAndWhyAndMovesNobodyThenTheMigrationDoesAsSaid() {
    String id = TestApi.newId("dry-run");
    API.json(API.call("/v1/programs/" + id, OPS).put(Entity.entity(V1.formatted(id), "application/yaml")), 201);
    String gold = API.lead("dry-gold@example.com", Map.of("attributes", Map.of("tier", "gold")));
    String plain = API.lead("dry-plain@example.com", Map.of());
    for (String lead : new String[] {gold, plain}) {
      API.json(API.call("/v1/leads/" + lead + "/journey", MA).post(Entity.json(Map.of("program", id))), 201);
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> API.journey(gold).path("current_step").asText().equals("gold-wait")
        && API.journey(plain).path("current_step").asText().equals("plain-wait"));

    JsonNode inFlight = API.get("/v1/programs/" + id + "/in-flight", OPS);
    assertThat(inFlight.path("leads").asLong()).isEqualTo(2);
    assertThat(inFlight.path("versions").get(0).path("version").asInt()).isEqualTo(1);
    assertThat(inFlight.path("versions").get(0).path("by_steps").path("gold-wait").asLong()).isEqualTo(1);
    assertThat(inFlight.path("versions").get(0).path("by_steps").path("plain-wait").asLong()).isEqualTo(1);
    assertThat(inFlight.path("versions").get(0).path("by_status").path("ACTIVE").asLong()).isEqualTo(2);

    String v2 = V1.formatted(id).replace("goto: gold-wait", "goto: plain-wait").replace("  - { id: gold-wait, wait: 10d }\n", "");
    API.json(API.call("/v1/programs/" + id, OPS).put(Entity.entity(v2, "application/yaml")), 201);

    JsonNode dry = API.json(API.call("/v1/programs/" + id + "/versions/1/migrate", OPS)
        .post(Entity.json(Map.of("dry_run", true))), 200);
    assertThat(dry.path("dry_run").asBoolean()).isTrue();
    assertThat(dry.path("to").asText()).isEqualTo(id + "@2");
    assertThat(dry.path("migrated").get(0).asText()).isEqualTo(plain);
    assertThat(dry.path("refused")).hasSize(1);
    assertThat(dry.path("refused").get(0).path("lead_id").asText()).isEqualTo(gold);
    String reason = dry.path("refused").get(0).path("reason").asText();
    assertThat(reason).isEqualTo("its current step 'gold-wait' does not exist in " + id + "@2");
    assertThat(API.journey(plain).path("program_version").asInt()).isEqualTo(1);

    JsonNode real = API.json(API.call("/v1/programs/" + id + "/versions/1/migrate", OPS).post(Entity.json(Map.of())), 200);
    assertThat(real.path("dry_run").asBoolean()).isFalse();
    assertThat(real.path("migrated").get(0).asText()).isEqualTo(plain);
    assertThat(real.path("refused").get(0).path("reason").asText()).isEqualTo(reason);
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      JsonNode after = API.get("/v1/programs/" + id + "/in-flight", OPS);
      assertThat(after.path("versions").findValuesAsText("version")).containsExactly("1", "2");
      assertThat(after.path("versions").get(1).path("by_steps").path("plain-wait").asLong()).isEqualTo(1);
    });
  }

  @Test
  void aMismatchedIdAndUnreadableYamlAreReportedAtTheirLines() {
    JsonNode mismatch = API.json(API.call("/v1/programs/other", OPS).put(Entity.entity(
        "# a comment\nname: x\nid: broken\nsteps: []\n", "application/yaml")), 422);
    assertThat(mismatch.path("errors").get(0).path("field").asText()).isEqualTo("id");
    assertThat(mismatch.path("errors").get(0).path("line").asInt()).isEqualTo(3);
    JsonNode unreadable = API.json(API.call("/v1/programs/x", OPS).put(Entity.entity(
        "id: x\nsteps:\n  - { id: a, wait: 3d\n", "application/yaml")), 422);
    assertThat(unreadable.path("errors").get(0).path("field").asText()).isEqualTo("body");
    assertThat(unreadable.path("errors").get(0).path("line").asInt()).isGreaterThanOrEqualTo(3);
  }

  @Test
  void inFlightOfAnUnknownProgramIs404() {
    assertThat(API.query("/v1/programs/" + TestApi.newId("nope") + "/in-flight", OPS).getStatus()).isEqualTo(404);
  }
}
