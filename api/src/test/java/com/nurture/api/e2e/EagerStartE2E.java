package com.nurture.api.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.nurture.api.NurtureApplication;
import com.nurture.api.NurtureConfiguration;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Eager start, with the API and its worker as the {@code all} role in this JVM on the real Temporal
 * dev server, behind a {@link LossyTemporalProxy}. A lead enrolled one at a time has its journey's
 * first workflow task in the start's answer, run by the process's own worker; a batch's journeys
 * start through matching. And the journey is never stranded when the start's answer is lost: an
 * answer the SDK asks for again (the same request id) brings the first workflow task with it, since
 * the server hands the eager task out again while its first attempt is open; an answer lost until the
 * API gives up ({@code temporal.call_timeout}) leaves the task to time out and be polled, and the
 * enrolment is queued and started again (found started) by the outbox. Either way the welcome goes.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class EagerStartE2E {
  private static final E2EServices E2E = new E2EServices("eager");
  private static final LossyTemporalProxy PROXY = new LossyTemporalProxy(E2E.temporal.target());

  static final DropwizardAppExtension<NurtureConfiguration> APP = E2E.all(NurtureApplication.class, PROXY.target());

  @BeforeAll
  static void bulkProgram() {
    // Through the API: its catalog drops its cached triggers on a publish.
    E2E.publish("eager-bulk", """
        id: eager-bulk
        name: Eager start test, a batch enrolment's welcome
        send_policy: none
        trigger: { event: form_submitted, where: { form: eager-bulk } }
        steps:
          - { id: welcome, send: { template: onboarding-welcome, immediate: true } }
        """);
  }

  @AfterAll
  static void stopAll() {
    // The app (its worker) first, while Temporal still answers: the extension would stop it after this.
    APP.after();
    PROXY.close();
    E2E.close();
  }

  /**
   * The journey of a lead enrolled one at a time gets its first workflow task in the start's answer,
   * and the process's worker runs it, with no matching and no poll. (Under a burst every workflow
   * poller of the worker serves its sticky queue while that queue has a backlog, so a first task that
   * waits to be polled waits for the burst.) A batch's journeys start as before, through matching.
   */
  @Test
  void aSingleEnrolmentStartsEagerlyABatchsJourneysThroughMatching() {
    String run = UUID.randomUUID().toString().substring(0, 6);
    String single = "eager-" + run;
    String batched = "eager-bulk-" + run;
    putLead(single);
    awaitTemporalUp();
    E2E.call("POST", "/v1/leads/" + single + "/journey", E2EServices.MA, Map.of("program", "onboarding"), 201);
    E2E.call("PUT", "/v1/leads:batch", E2EServices.MA, Map.of("leads", List.of(
        Map.of("id", batched, "email", batched + "@example.com", "first_name", "Pat"))), 200);
    E2E.call("POST", "/v1/events:batch", E2EServices.MA, Map.of("events", List.of(Map.of("lead_id", batched,
        "id", "form-" + batched, "type", "form_submitted", "properties", Map.of("form", "eager-bulk")))), 200);
    awaitWelcome(single);
    awaitWelcome(batched);
    List<HistoryEvent> history = E2EServices.history(client(), single);
    assertThat(E2EServices.ranFirstTaskFromTheStartsAnswer(history))
        .as("the single enrolment's first task, run from the start's answer; its first events: %s", types(history))
        .isTrue();
    assertThat(E2EServices.startedEagerly(E2EServices.history(client(), batched))).as("the batch's start, eager").isFalse();
  }

  @Test
  void aLostStartAnswerAskedAgainBringsTheFirstTaskWithIt() {
    String lead = "lost-once-" + UUID.randomUUID().toString().substring(0, 6);
    putLead(lead);
    awaitTemporalUp();
    int before = PROXY.lost();
    PROXY.loseStartAnswers(1);
    JsonNode answer = E2E.call("POST", "/v1/leads/" + lead + "/journey", E2EServices.MA, Map.of("program", "onboarding"), 201);
    assertThat(PROXY.lost() - before).as("start answers the proxy lost").isEqualTo(1);
    assertThat(answer.path("status").asText()).isEqualTo("ACTIVE");

    awaitWelcome(lead);
    List<HistoryEvent> history = E2EServices.history(client(), lead);
    assertThat(E2EServices.ranFirstTaskFromTheStartsAnswer(history))
        .as("the first task, run from the repeated start's answer; the first events: %s", types(history)).isTrue();
    assertThat(types(history)).doesNotContain(EventType.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT);
  }

  @Test
  void anAnswerLostUntilTheApiGivesUpQueuesTheEnrolmentAndTheFirstTaskIsPolledAfterItsTimeout() {
    String lead = "lost-all-" + UUID.randomUUID().toString().substring(0, 6);
    putLead(lead);
    int before = PROXY.lost();
    PROXY.loseStartAnswers(Integer.MAX_VALUE);
    JsonNode answer;
    try {
      answer = E2E.call("POST", "/v1/leads/" + lead + "/journey", E2EServices.MA, Map.of("program", "onboarding"), 202);
    } finally {
      PROXY.loseStartAnswers(0);
    }
    assertThat(PROXY.lost() - before).as("start answers the proxy lost (the SDK asked again)").isGreaterThan(1);
    assertThat(answer.toString()).as("the queued enrolment's answer").contains("onboarding");

    awaitWelcome(lead);
    List<HistoryEvent> history = E2EServices.history(client(), lead);
    List<EventType> types = types(history);
    assertThat(E2EServices.startedEagerly(history)).as("the start, eager").isTrue();
    assertThat(types.subList(0, 5)).as("the eager task nobody ran, timed out and handed out again").containsExactly(
        EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED, EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED,
        EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED, EventType.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT,
        EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED);
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
        E2E.call("GET", "/v1/leads/" + lead + "/journey", E2EServices.OPS, null, 200).path("status").asText())
        .as("the lead's one journey, as the API reads it").isEqualTo("ACTIVE"));
  }

  private static void putLead(String lead) {
    E2E.call("PUT", "/v1/leads/" + lead, E2EServices.MA, Map.of("email", lead + "@example.com", "first_name", "Pat"), 201);
  }

  /**
   * Until the API no longer presumes Temporal down: the lost answers (UNAVAILABLE) of the test that
   * loses them all leave it so for 5 s, and an enrolment then goes straight to the outbox (202).
   */
  private static void awaitTemporalUp() {
    await().atMost(Duration.ofSeconds(30)).until(() -> !APP.<NurtureApplication>getApplication().temporal().presumedDown());
  }

  private static WorkflowClient client() {
    return APP.<NurtureApplication>getApplication().temporal().client();
  }

  private static List<EventType> types(List<HistoryEvent> history) {
    return history.stream().map(HistoryEvent::getEventType).toList();
  }

  /** Until the lead's welcome is at the SMTP server (its program's first, immediate send). */
  private static void awaitWelcome(String lead) {
    await().atMost(Duration.ofSeconds(60)).until(() -> !E2E.mailTo(lead + "@example.com").isEmpty());
  }
}
