package com.nurture.api;

import static com.nurture.api.TestApi.MA;
import static com.nurture.api.TestApi.OPS;
import static com.nurture.api.TestApi.SALES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.nurture.activities.FreePort;
import com.nurture.activities.TestDatabase;
import com.nurture.activities.TestSmtp;
import com.nurture.activities.catalog.ProgramCatalog;
import com.nurture.activities.mail.TemplateCatalog;
import com.nurture.api.config.TemporalConfig;
import com.nurture.api.core.JourneyCommands;
import com.nurture.api.core.JourneyMirror;
import com.nurture.api.core.TemporalConnection;
import com.nurture.api.representations.JourneyResponse;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.temporal.client.WorkflowStub;
import jakarta.ws.rs.client.Entity;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * GET /v1/leads/{id}/journey tells the whole story, live or ended: the exit and the sends of an
 * ended journey (from Temporal's query of the closed workflow, else from PostgreSQL), the hand-off
 * to sales, and Temporal's own status of the workflow, with one operator alert when the workflow
 * was closed from outside the journey. Same set-up as ApiTest.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class JourneyViewTest {
  private static final GreenMail SMTP = TestSmtp.start();

  static final DropwizardAppExtension<NurtureConfiguration> APP = TestApi.allInOne(SMTP);

  private static final TestApi API = new TestApi(APP);

  @AfterAll
  static void stop() {
    SMTP.stop();
    API.close();
  }

  private static String enrolled(String email, String program) {
    String id = API.lead(email, Map.of("first_name", "Pat", "company", "Initech", "timezone", "Europe/London"));
    JsonNode enrolled = API.json(API.call("/v1/leads/" + id + "/journey", MA).post(Entity.json(Map.of("program", program))), 201);
    assertThat(enrolled.path("workflow_status").asText()).isEqualTo("RUNNING");
    assertThat(enrolled.path("emails_sent").isInt()).as("never null").isTrue();
    assertThat(enrolled.path("last_touches").isArray()).as("never null").isTrue();
    return id;
  }

  @Test
  void anUnsubscribedLeadsEndedJourneyShowsItsExitAndSendsFromTemporalAndFromPostgres() {
    String id = enrolled("ended@example.com", "onboarding");
    await().atMost(Duration.ofSeconds(30)).until(() -> API.journey(id).path("emails_sent").asInt() == 1);
    JsonNode running = API.journey(id);
    assertThat(running.path("workflow_status").asText()).isEqualTo("RUNNING");
    assertThat(running.path("exit_reason").isNull()).as("null while the journey runs").isTrue();
    assertThat(running.path("handoff").isNull()).isTrue();

    API.json(API.call("/v1/leads/" + id + "/events", MA).post(Entity.json(Map.of("id", "bye", "type", "unsubscribed"))), 202);
    await().atMost(Duration.ofSeconds(30)).until(() -> API.journey(id).path("workflow_status").asText().equals("COMPLETED"));

    // The closed workflow still answers its view query.
    JsonNode ended = API.journey(id);
    assertThat(ended.path("source").asText()).isEqualTo("live");
    assertThat(ended.path("status").asText()).isEqualTo("UNSUBSCRIBED");
    assertThat(ended.path("exit_reason").asText()).isEqualTo("unsubscribed");
    assertThat(ended.path("emails_sent").asInt()).isGreaterThanOrEqualTo(1);
    assertThat(ended.path("last_touches")).isNotEmpty();
    assertThat(ended.path("last_touches").get(0).path("subject").asText()).isEqualTo("Welcome - what to expect");

    // Past Temporal's retention (the workflow is gone): PostgreSQL tells the same story.
    TestDatabase.jdbi().useHandle(h -> h.execute("UPDATE journeys SET workflow_id = ? WHERE lead_id = ?",
        "lead-expired-" + id, id));
    JsonNode mirror = API.journey(id);
    assertThat(mirror.path("source").asText()).isEqualTo("mirror");
    assertThat(mirror.path("workflow_status").asText()).isEqualTo("NOT_FOUND");
    assertThat(mirror.path("status").asText()).isEqualTo("UNSUBSCRIBED");
    assertThat(mirror.path("exit_reason").asText()).isEqualTo("unsubscribed");
    assertThat(mirror.path("emails_sent").asInt()).isEqualTo(ended.path("emails_sent").asInt());
    assertThat(mirror.path("last_touches")).hasSameSizeAs(ended.path("last_touches"));
    for (String field : List.of("step", "template", "subject", "outcome", "message_id")) {
      assertThat(mirror.path("last_touches").findValuesAsText(field)).as(field)
          .isEqualTo(ended.path("last_touches").findValuesAsText(field));
    }
    assertThat(mirror.path("score").path("total").asInt()).isEqualTo(ended.path("score").path("total").asInt());
    assertThat(alerts(id, "journey_workflow_closed")).as("a completed journey is not an incident").isEmpty();
  }

  @Test
  void whenTemporalIsUnreachableTheViewComesFromPostgres() throws Exception {
    String id = enrolled("unreachable@example.com", "onboarding");
    await().atMost(Duration.ofSeconds(30)).until(() -> API.journey(id).path("emails_sent").asInt() == 1);
    API.json(API.call("/v1/leads/" + id + "/journey/exit", OPS).post(Entity.json(Map.of("reason", "bought elsewhere"))), 200);
    await().atMost(Duration.ofSeconds(30)).until(() -> API.journey(id).path("workflow_status").asText().equals("COMPLETED"));

    int closedPort = FreePort.take();
    TemporalConfig nowhere = new TemporalConfig();
    nowhere.target = "127.0.0.1:" + closedPort;
    TemporalConnection down = TemporalConnection.connect(nowhere);
    try {
      JourneyCommands journeys = new JourneyCommands(down, TestDatabase.jdbi(),
          new ProgramCatalog(TestDatabase.jdbi(), new TemplateCatalog()), APP.getObjectMapper(),
          new JourneyMirror(down, TestDatabase.jdbi(), ""));
      Instant asked = Instant.now();
      JourneyResponse view = journeys.view(id);
      assertThat(Duration.between(asked, Instant.now())).as("no long wait for Temporal").isLessThan(Duration.ofSeconds(10));
      assertThat(view.source()).isEqualTo("mirror");
      assertThat(view.workflowStatus()).isEqualTo("UNKNOWN");
      assertThat(view.status()).isEqualTo("COMPLETED");
      assertThat(view.exitReason()).isEqualTo("bought elsewhere");
      assertThat(view.emailsSent()).isEqualTo(1);
      String messageId = TestSmtp.mailTo(SMTP, "unreachable@example.com").get(0).getMessageID();
      assertThat(view.lastTouches()).singleElement().satisfies(t -> {
        assertThat(t.outcome()).isEqualTo("SENT");
        assertThat(t.subject()).isEqualTo("Welcome - what to expect");
        assertThat(t.messageId()).isEqualTo(messageId);
      });
    } finally {
      down.stop();
    }
  }

  @Test
  void aHandedOffLeadShowsItsHandOffUntilSalesAnswersAndAfter() {
    String program = TestApi.newId("to-sales");
    API.json(API.call("/v1/programs/" + program, OPS).put(Entity.entity("id: " + program + "\nsend_policy: none\nsteps:\n"
        + "  - { id: hello, send: onboarding-welcome }\n  - { id: to-sales, handoff: { reason: asked for pricing } }\n"
        + "  - { id: after, send: onboarding-proof }\n", "application/yaml")), 201);
    String id = API.lead("handed@example.com", Map.of("first_name", "Pat",
        "attributes", Map.of("owner_email", "ae-kim@acme.example")));
    API.json(API.call("/v1/leads/" + id + "/journey", MA).post(Entity.json(Map.of("program", program))), 201);

    await().atMost(Duration.ofSeconds(30)).until(() -> !API.journey(id).path("handoff").isNull());
    JsonNode view = API.journey(id);
    assertThat(view.path("status").asText()).isEqualTo("HANDED_OFF");
    assertThat(view.path("workflow_status").asText()).isEqualTo("RUNNING");
    JsonNode handoff = view.path("handoff");
    assertThat(handoff.path("reason").asText()).isEqualTo("asked for pricing");
    assertThat(handoff.path("priority").asText()).isEqualTo("normal");
    assertThat(handoff.path("owner").asText()).isEqualTo("ae-kim@acme.example");
    Instant handedOffAt = Instant.parse(handoff.path("handed_off_at").asText());
    assertThat(Instant.parse(handoff.path("sla_due_at").asText())).isEqualTo(handedOffAt.plus(Duration.ofHours(24)));
    assertThat(handoff.path("outcome").isNull()).as("open").isTrue();

    JsonNode rejected = API.json(API.call("/v1/leads/" + id + "/sales-feedback", SALES).post(Entity.json(
        Map.of("outcome", "rejected", "note", "no budget this year"))), 200);
    assertThat(rejected.path("handoff").path("reason").asText()).isEqualTo("asked for pricing");
    await().atMost(Duration.ofSeconds(30)).until(() -> API.journey(id).path("handoff").path("outcome").asText().equals("rejected"));
    assertThat(API.journey(id).path("status").asText()).isNotEqualTo("HANDED_OFF");
  }

  @Test
  void aTerminatedWorkflowIsShownAsSuchAndAlertedOncePerRun() {
    String id = enrolled("terminated@example.com", "onboarding");
    await().atMost(Duration.ofSeconds(30)).until(() -> API.journey(id).path("emails_sent").asInt() == 1);
    WorkflowStub workflow = ((NurtureApplication) APP.getApplication()).temporal().client()
        .newUntypedWorkflowStub("lead-" + id);
    workflow.terminate("test: pulled from outside the journey");

    JsonNode first = API.journey(id);
    JsonNode second = API.journey(id);
    for (JsonNode view : List.of(first, second)) {
      assertThat(view.path("workflow_status").asText()).isEqualTo("TERMINATED");
      assertThat(view.path("status").asText()).as("the last business status").isEqualTo("ACTIVE");
      assertThat(view.path("exit_reason").asText()).contains("terminated");
      assertThat(view.path("emails_sent").asInt()).isEqualTo(1);
    }
    List<JsonNode> alerts = alerts(id, "journey_workflow_closed");
    assertThat(alerts).hasSize(1);
    assertThat(alerts.get(0).path("detail").path("workflow_status").asText()).isEqualTo("TERMINATED");
    assertThat(alerts.get(0).path("detail").path("run_id").asText()).isNotEmpty();
  }

  private static List<JsonNode> alerts(String leadId, String kind) {
    List<JsonNode> found = new ArrayList<>();
    API.json(API.call("/v1/alerts", OPS).get(), 200).forEach(a -> {
      if (a.path("lead_id").asText().equals(leadId) && a.path("kind").asText().equals(kind)) {
        found.add(a);
      }
    });
    return found;
  }
}
