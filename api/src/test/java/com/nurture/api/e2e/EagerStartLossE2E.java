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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A sign-up's eager start when the start's answer is lost on the way back (the workflow started, the
 * API told UNAVAILABLE): the API and its worker run as the {@code all} role in this JVM, on the real
 * Temporal dev server behind a {@link LossyTemporalProxy}. The journey is never stranded: a lost
 * answer the SDK asks for again (the same request id) brings the first workflow task with it, since
 * the server hands the eager task out again while its first attempt is open; an answer lost until the
 * API gives up ({@code temporal.call_timeout}) leaves the task to time out and be polled, and the
 * enrolment is queued and started again (found started) by the outbox. Either way the welcome goes.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class EagerStartLossE2E {
  private static final E2EServices E2E = new E2EServices("eagerloss");
  private static final LossyTemporalProxy PROXY = new LossyTemporalProxy(E2E.temporal.target());

  static final DropwizardAppExtension<NurtureConfiguration> APP = E2E.all(NurtureApplication.class, PROXY.target());

  @AfterAll
  static void stopAll() {
    // The app (its worker) first, while Temporal still answers: the extension would stop it after this.
    APP.after();
    PROXY.close();
    E2E.close();
  }

  @Test
  void aLostStartAnswerAskedAgainBringsTheFirstTaskWithIt() {
    String lead = "lost-once-" + UUID.randomUUID().toString().substring(0, 6);
    E2E.call("PUT", "/v1/leads/" + lead, E2EServices.MA, Map.of("email", lead + "@example.com", "first_name", "Pat"), 201);
    // The other test's lost answers (UNAVAILABLE) leave Temporal presumed down for 5 s: an enrolment
    // then goes straight to the outbox (202) without trying.
    await().atMost(Duration.ofSeconds(30)).until(() -> !APP.<NurtureApplication>getApplication().temporal().presumedDown());
    int before = PROXY.lost();
    PROXY.loseStartAnswers(1);
    JsonNode answer = E2E.call("POST", "/v1/leads/" + lead + "/journey", E2EServices.MA, Map.of("program", "onboarding"), 201);
    assertThat(PROXY.lost() - before).as("start answers the proxy lost").isEqualTo(1);
    assertThat(answer.path("status").asText()).isEqualTo("ACTIVE");

    awaitWelcome(lead);
    List<HistoryEvent> history = E2EServices.history(client(), lead);
    assertThat(E2EServices.ranFirstTaskFromTheStartsAnswer(client(), lead))
        .as("the first task, run from the repeated start's answer; the first events: %s", types(history)).isTrue();
    assertThat(types(history)).doesNotContain(EventType.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT);
  }

  @Test
  void anAnswerLostUntilTheApiGivesUpQueuesTheEnrolmentAndTheFirstTaskIsPolledAfterItsTimeout() {
    String lead = "lost-all-" + UUID.randomUUID().toString().substring(0, 6);
    E2E.call("PUT", "/v1/leads/" + lead, E2EServices.MA, Map.of("email", lead + "@example.com", "first_name", "Pat"), 201);
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
    List<EventType> types = types(E2EServices.history(client(), lead));
    assertThat(E2EServices.startedEagerly(E2EServices.history(client(), lead))).as("the start, eager").isTrue();
    assertThat(types.subList(0, 5)).as("the eager task nobody ran, timed out and handed out again").containsExactly(
        EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED, EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED,
        EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED, EventType.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT,
        EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED);
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
        E2E.call("GET", "/v1/leads/" + lead + "/journey", E2EServices.OPS, null, 200).path("status").asText())
        .as("the lead's one journey, as the API reads it").isEqualTo("ACTIVE"));
  }

  private static WorkflowClient client() {
    return APP.<NurtureApplication>getApplication().temporal().client();
  }

  private static List<EventType> types(List<HistoryEvent> history) {
    return history.stream().map(HistoryEvent::getEventType).toList();
  }

  /** Until the lead's welcome is at the SMTP server (the onboarding program's first, immediate send). */
  private static void awaitWelcome(String lead) {
    await().atMost(Duration.ofSeconds(60)).until(() -> !E2E.mailTo(lead + "@example.com").isEmpty());
  }
}
