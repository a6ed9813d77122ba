package com.nurture.api.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.nurture.activities.TestDatabase;
import com.nurture.activities.catalog.ProgramCatalog;
import com.nurture.activities.mail.ReceivedMail;
import com.nurture.activities.mail.TemplateCatalog;
import com.nurture.api.NurtureApplication;
import com.nurture.api.NurtureConfiguration;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import jakarta.mail.internet.MimeMessage;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.core.Form;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * End to end on the real parts: the Temporal dev server (the {@code temporal} CLI), embedded
 * PostgreSQL, GreenMail over SMTP, the API in this JVM and the worker as a separate process started
 * from the built jar, which the test kills with SIGKILL mid-journey and starts again.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class JourneyE2E {
  private static final String MA = E2EServices.MA;
  private static final String OPS = E2EServices.OPS;
  private static final int LEADS = 5;
  private static final E2EServices E2E = new E2EServices("e2e");
  private static final GreenMail SMTP = E2E.smtp;

  static final DropwizardAppExtension<NurtureConfiguration> API = E2E.api(NurtureApplication.class);

  @AfterAll
  static void stopAll() {
    E2E.close();
  }

  private static Process startWorker(int n) throws IOException {
    return E2E.startWorker(n);
  }

  private static JsonNode call(String method, String path, String key, Object body, int expected) {
    return E2E.call(method, path, key, body, expected);
  }

  private static List<MimeMessage> mailTo(String email) {
    return E2E.mailTo(email);
  }

  @Test
  void everyEmailArrivesExactlyOnceThroughUnsubscribeAndAWorkerCrash() throws Exception {
    new ProgramCatalog(TestDatabase.jdbi(), new TemplateCatalog()).publish("""
        id: e2e-fast
        name: End-to-end, a fast cadence
        send_policy: none
        steps:
          - { id: one, send: { template: onboarding-welcome } }
          - { id: gap-1, wait: 8s }
          - { id: two, send: { template: onboarding-problem } }
          - { id: gap-2, wait: 4s }
          - { id: three, send: { template: onboarding-approach } }
        """);
    Process worker = startWorker(1);
    try {
      String run = UUID.randomUUID().toString().substring(0, 6);
      List<String> leads = new ArrayList<>();
      for (int i = 0; i < LEADS; i++) {
        String id = "e2e-" + run + "-" + i;
        leads.add(id);
        call("PUT", "/v1/leads/" + id, MA, Map.of("email", id + "@example.com", "first_name", "Lead" + i), 201);
        call("POST", "/v1/leads/" + id + "/journey", MA, Map.of("program", "e2e-fast"), 201);
      }
      await().atMost(Duration.ofSeconds(60)).until(() -> leads.stream().allMatch(l -> mailTo(l).size() == 1));

      // Lead 0 unsubscribes with the one-click POST while its journey sleeps.
      String leaver = leads.get(0);
      String token = ReceivedMail.unsubscribeToken(mailTo(leaver).get(0));
      Response unsubscribed = E2E.request("/u/" + token, null).post(Entity.form(new Form("List-Unsubscribe", "One-Click")));
      assertThat(unsubscribed.getStatus()).isEqualTo(200);
      unsubscribed.close();
      await().atMost(Duration.ofSeconds(10)).until(() ->
          call("GET", "/v1/leads/" + leaver + "/journey", OPS, null, 200).path("status").asText().equals("UNSUBSCRIBED"));

      // The worker dies without warning, mid-journey for every other lead.
      worker.destroyForcibly().waitFor();
      int whileDown = SMTP.getReceivedMessages().length;
      Thread.sleep(10_000);
      assertThat(SMTP.getReceivedMessages()).as("nothing is sent while no worker runs").hasSize(whileDown);

      worker = startWorker(2);
      await().atMost(Duration.ofSeconds(120)).until(() -> leads.stream().skip(1).allMatch(l ->
          call("GET", "/v1/leads/" + l + "/journey", OPS, null, 200).path("status").asText().equals("COMPLETED")));

      for (String lead : leads.subList(1, LEADS)) {
        List<MimeMessage> mail = mailTo(lead);
        assertThat(mail).as("mail to " + lead).extracting(MimeMessage::getSubject).containsExactly(
            "Welcome - what to expect", "Why good leads go quiet", "Listen first, then follow up");
        assertThat(mail).extracting(MimeMessage::getMessageID).doesNotHaveDuplicates();
      }
      assertThat(mailTo(leaver)).as("nothing more after the unsubscribe").hasSize(1);
      assertThat(call("GET", "/v1/leads/" + leaver + "/journey", OPS, null, 200).path("status").asText())
          .isEqualTo("UNSUBSCRIBED");
      JsonNode timeline = call("GET", "/v1/leads/" + leads.get(1) + "/timeline", OPS, null, 200);
      assertThat(timeline.path("items").findValuesAsText("kind").stream().filter("email_sent"::equals)).hasSize(3);
    } finally {
      worker.destroyForcibly().waitFor();
    }
  }

  /**
   * A journey that goes to sleep for {@code worker.sticky_max_sleep} or longer gives up the worker's
   * sticky queue (LongSleepRelease): its wake-up, and an event that comes while it sleeps, are queued on
   * the task queue, while a shorter sleep wakes on the sticky queue; the journey does the same either
   * way, every email once.
   */
  @Test
  void aLongSleepWakesOnTheTaskQueueAndAShortOneOnTheStickyQueue() throws Exception {
    new ProgramCatalog(TestDatabase.jdbi(), new TemplateCatalog()).publish("""
        id: e2e-sticky
        name: End-to-end, a short and a long sleep
        send_policy: none
        steps:
          - { id: one, send: { template: onboarding-welcome } }
          - { id: short-gap, wait: 2s }
          - { id: two, send: { template: onboarding-problem } }
          - { id: long-gap, wait: 20s }
          - { id: three, send: { template: onboarding-approach } }
        """);
    Process worker = E2E.startWorker(4, "{ sticky_max_sleep: 5s }");
    try {
      String lead = "sticky-" + UUID.randomUUID().toString().substring(0, 6);
      call("PUT", "/v1/leads/" + lead, MA, Map.of("email", lead + "@example.com", "first_name", "Sticky"), 201);
      call("POST", "/v1/leads/" + lead + "/journey", MA, Map.of("program", "e2e-sticky"), 201);
      await().atMost(Duration.ofSeconds(60)).until(() -> mailTo(lead).size() == 2);
      Thread.sleep(1000); // the task that sent it has put the journey to sleep
      // While it sleeps the 20 s (released): an event, which the journey takes from the task queue.
      call("POST", "/v1/leads/" + lead + "/events", MA, Map.of("id", "open-1", "type", "email_opened"), 202);
      await().atMost(Duration.ofSeconds(90)).until(() ->
          call("GET", "/v1/leads/" + lead + "/journey", OPS, null, 200).path("status").asText().equals("COMPLETED"));
      assertThat(mailTo(lead)).extracting(MimeMessage::getSubject).containsExactly(
          "Welcome - what to expect", "Why good leads go quiet", "Listen first, then follow up");

      List<HistoryEvent> history = E2EServices.history(
          API.<NurtureApplication>getApplication().temporal().client(), lead);
      Map<Long, Duration> timers = new java.util.HashMap<>();
      List<String> wakeUps = new ArrayList<>();
      for (int i = 0; i < history.size(); i++) {
        HistoryEvent event = history.get(i);
        if (event.getEventType() == EventType.EVENT_TYPE_TIMER_STARTED) {
          com.google.protobuf.Duration fire = event.getTimerStartedEventAttributes().getStartToFireTimeout();
          timers.put(event.getEventId(), Duration.ofSeconds(fire.getSeconds(), fire.getNanos()));
        }
        String cause = event.getEventType() == EventType.EVENT_TYPE_TIMER_FIRED
            ? "timer " + timers.get(event.getTimerFiredEventAttributes().getStartedEventId()).toSeconds() + "s"
            : event.getEventType() == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED ? "signal" : null;
        if (cause != null) {
          HistoryEvent scheduled = history.stream().skip(i)
              .filter(e -> e.getEventType() == EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED).findFirst().orElseThrow();
          wakeUps.add(cause + " on " + scheduled.getWorkflowTaskScheduledEventAttributes().getTaskQueue().getKind());
        }
      }
      // A timer's duration is what was left until its step's end: the 2 s sleep's a little under 2 s.
      assertThat(String.join(", ", wakeUps)).as("what woke the journey, and where its next task was queued")
          .matches("timer [12]s on TASK_QUEUE_KIND_STICKY, signal on TASK_QUEUE_KIND_NORMAL, "
              + "timer (1[0-9]|20)s on TASK_QUEUE_KIND_NORMAL");
      assertThat(history).extracting(HistoryEvent::getEventType).as("no task timed out on the sticky queue")
          .doesNotContain(EventType.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT);
    } finally {
      worker.destroyForcibly().waitFor();
    }
  }

  /**
   * The DOMAIN.md golden walk-through through the public API: a lead entering at 40, two case-study
   * downloads (52), a webinar attended (68), a pricing visit (83) is handed to sales with high
   * priority, and the hand-off names those events. The MA system reports when each happened.
   */
  @Test
  void theGoldenWalkThroughHandsTheLeadToSales() throws Exception {
    Process worker = startWorker(3);
    try {
      String lead = "golden-" + UUID.randomUUID().toString().substring(0, 6);
      call("PUT", "/v1/leads/" + lead, MA, Map.of("email", lead + "@example.com", "first_name", "Gold",
          "employees", 250, "role", "VP", "industry", "Manufacturing", "attributes",
          Map.of("owner_id", "sdr-42", "owner_email", "owner-" + lead + "@example.com")), 201);
      call("POST", "/v1/leads/" + lead + "/journey", MA, Map.of("program", "onboarding"), 201);
      await().atMost(Duration.ofSeconds(60)).until(() ->
          call("GET", "/v1/leads/" + lead + "/journey", OPS, null, 200).path("score").path("total").asInt() == 40);

      java.time.Instant now = java.time.Instant.now();
      Object[][] script = {
          {"dl-1", "content_downloaded", Map.of("asset_type", "case_study"), 20, 46},
          {"dl-2", "content_downloaded", Map.of("asset_type", "case_study"), 12, 52},
          {"webinar", "webinar_attended", Map.of(), 4, 68},
          {"pricing", "page_visited", Map.of("page", "pricing"), 0, 83}};
      for (Object[] step : script) {
        call("POST", "/v1/leads/" + lead + "/events", MA, Map.of("id", step[0], "type", step[1], "properties", step[2],
            "occurred_at", now.minus(Duration.ofDays((Integer) step[3])).toString()), 202);
        int expected = (Integer) step[4];
        await().atMost(Duration.ofSeconds(30)).until(() ->
            call("GET", "/v1/leads/" + lead + "/journey", OPS, null, 200).path("score").path("total").asInt() == expected);
      }
      JsonNode journey = call("GET", "/v1/leads/" + lead + "/journey", OPS, null, 200);
      assertThat(journey.path("status").asText()).isEqualTo("HANDED_OFF");

      // An operator finds the journey with Temporal's CLI by its search attributes (visibility
      // follows the upsert within a moment); they carry the lead id and nothing personal.
      // The webinar moved the lead from onboarding to webinar-follow-up (a triggered program):
      // the attributes follow the journey's program and step as the API reports them.
      String workflowId = "lead-" + lead;
      String program = journey.path("program").asText();
      assertThat(program).isEqualTo("webinar-follow-up");
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
          assertThat(E2E.listWorkflows("NurtureStatus=\"HANDED_OFF\" AND NurtureProgram=\"" + program + "\""))
              .as("the journey as Temporal lists it: %s", E2E.listWorkflows("WorkflowId=\"" + workflowId + "\""))
              .contains(workflowId));
      String found = E2E.listWorkflows("NurtureOwner=\"sdr-42\" AND NurtureScore >= 80 AND NurtureProgramVersion >= 1"
          + " AND NurtureStep=\"" + journey.path("current_step").asText() + "\"");
      assertThat(found).contains(workflowId).doesNotContain("@example.com").doesNotContain("Gold");
      assertThat(E2E.listWorkflows("NurtureStatus=\"HANDED_OFF\" AND NurtureProgram=\"onboarding\""))
          .doesNotContain(workflowId);
      assertThat(E2E.listWorkflows("NurtureStatus=\"ACTIVE\" AND NurtureOwner=\"sdr-42\"")).doesNotContain(workflowId);
      // The health check lists the namespace's attributes on a real server and finds them all.
      Response health = API.client().target("http://localhost:" + API.getAdminPort() + "/healthcheck").request().get();
      JsonNode checks = new com.fasterxml.jackson.databind.ObjectMapper().readTree(health.readEntity(String.class));
      assertThat(checks.path("temporal").path("healthy").asBoolean()).as(checks.toString()).isTrue();
      assertThat(checks.path("temporal").path("message").asText()).contains("journey search attributes registered");

      JsonNode alerts = call("GET", "/v1/alerts", OPS, null, 200);
      JsonNode handoff = null;
      for (JsonNode a : alerts) {
        if (a.path("lead_id").asText().equals(lead) && a.path("kind").asText().equals("handoff")) {
          handoff = a;
        }
      }
      assertThat(handoff).as("a hand-off alert for the lead").isNotNull();
      assertThat(handoff.path("detail").path("priority").asText()).isEqualTo("high");
      assertThat(handoff.path("detail").path("score").asInt()).isEqualTo(83);
      assertThat(handoff.path("detail").path("events").findValuesAsText("event_id"))
          .containsExactly("dl-1", "dl-2", "webinar", "pricing");
    } finally {
      worker.destroyForcibly().waitFor();
    }
  }
}
