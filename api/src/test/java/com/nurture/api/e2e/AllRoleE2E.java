package com.nurture.api.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.nurture.workflows.journey.LeadJourneyWorkflow;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The {@code all} command of the built jar: the REST API and a worker in one process, on the
 * Temporal dev server, PostgreSQL and GreenMail. A lead enrolled one at a time through its API gets
 * the welcome, and its journey was started eagerly: Temporal gave the first workflow task to the
 * process's own worker in the start's answer, where a {@code server} process (no worker) starts
 * every journey the ordinary way.
 */
class AllRoleE2E {
  private static final E2EServices E2E = new E2EServices("all");
  private final HttpClient http = HttpClient.newHttpClient();

  @AfterAll
  static void stopAll() {
    E2E.close();
  }

  @Test
  void theAllRoleServesTheApiAndRunsASignUpsFirstTaskFromTheStartsAnswer() throws Exception {
    E2EServices.JarProcess all = E2E.startJar("all", 1);
    WorkflowServiceStubs service = WorkflowServiceStubs.newServiceStubs(
        WorkflowServiceStubsOptions.newBuilder().setTarget(E2E.temporal.target()).build());
    try {
      String lead = "all-" + UUID.randomUUID().toString().substring(0, 8);
      String email = lead + "@example.com";
      await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
          .until(() -> call(all.port(), "PUT", "/v1/leads/" + lead,
              "{\"email\":\"" + email + "\",\"first_name\":\"Pat\"}") == 201);
      assertThat(call(all.port(), "POST", "/v1/leads/" + lead + "/journey", "{\"program\":\"onboarding\"}"))
          .as("the enrolment").isEqualTo(201);

      await().atMost(Duration.ofSeconds(60)).until(() -> !E2E.mailTo(email).isEmpty());
      List<HistoryEvent> history = WorkflowClient.newInstance(service)
          .fetchHistory(LeadJourneyWorkflow.workflowId(lead)).getEvents();
      assertThat(history.get(0).getWorkflowExecutionStartedEventAttributes().getEagerExecutionAccepted())
          .as("the journey's start, eager").isTrue();
      assertThat(all.process().isAlive()).as("the all process, still running").isTrue();
    } finally {
      service.shutdownNow();
      all.process().destroy();
      if (!all.process().waitFor(30, TimeUnit.SECONDS)) {
        all.process().destroyForcibly();
      }
    }
  }

  /** A call to the jar's API with the MA key; its status. */
  private int call(int port, String method, String path, String json) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .header("Authorization", "Bearer " + E2EServices.MA)
        .header("Content-Type", "application/json")
        .method(method, HttpRequest.BodyPublishers.ofString(json))
        .timeout(Duration.ofSeconds(30))
        .build();
    return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
  }
}
