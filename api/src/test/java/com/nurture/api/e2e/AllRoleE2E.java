package com.nurture.api.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.time.Duration;
import java.util.Map;
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

  @AfterAll
  static void stopAll() {
    E2E.close();
  }

  @Test
  void theAllRoleServesTheApiAndRunsASignUpsFirstTaskFromTheStartsAnswer() throws Exception {
    E2EServices.JarProcess all = E2E.startJar("all", 1);
    WorkflowServiceStubs service = null;
    try {
      service = WorkflowServiceStubs.newServiceStubs(
          WorkflowServiceStubsOptions.newBuilder().setTarget(E2E.temporal.target()).build());
      String lead = "all-" + UUID.randomUUID().toString().substring(0, 8);
      String email = lead + "@example.com";
      // Until the process answers (the jar takes some seconds to start).
      await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
          .untilAsserted(() -> E2E.call(all.port(), "PUT", "/v1/leads/" + lead, E2EServices.MA,
              Map.of("email", email, "first_name", "Pat"), 201));
      E2E.call(all.port(), "POST", "/v1/leads/" + lead + "/journey", E2EServices.MA, Map.of("program", "onboarding"), 201);

      await().atMost(Duration.ofSeconds(60)).until(() -> !E2E.mailTo(email).isEmpty());
      assertThat(E2EServices.ranFirstTaskFromTheStartsAnswer(E2EServices.history(WorkflowClient.newInstance(service), lead)))
          .as("the journey's start, eager, its first task run from the start's answer").isTrue();
      assertThat(all.process().isAlive()).as("the all process, still running").isTrue();
    } finally {
      if (service != null) {
        service.shutdownNow();
      }
      all.process().destroy();
      if (!all.process().waitFor(30, TimeUnit.SECONDS)) {
        all.process().destroyForcibly();
      }
    }
  }
}
