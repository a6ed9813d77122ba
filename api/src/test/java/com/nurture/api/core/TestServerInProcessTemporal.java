package com.nurture.api.core;

import com.nurture.workflows.journey.JourneySearchAttributes;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;

/**
 * {@code temporal.target: in-process} for the API tests: Temporal's in-memory test server (real
 * time, no time skipping). Registered in META-INF/services of the test resources, so it exists on
 * the test classpath only; the runnable jar carries no Temporal test server.
 */
public final class TestServerInProcessTemporal implements InProcessTemporal {
  @Override
  public Server start(String namespace, com.uber.m3.tally.Scope metrics,
      io.temporal.common.converter.DataConverter converter) {
    TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance(TestEnvironmentOptions.newBuilder()
        .setUseTimeskipping(false)
        .setMetricsScope(metrics)
        .setWorkflowClientOptions(WorkflowClientOptions.newBuilder().setNamespace(namespace).setDataConverter(converter).build())
        .build());
    // As `dev` and the e2e suite's dev server do: the journeys start with these search attributes.
    JourneySearchAttributes.definitions().forEach(env::registerSearchAttribute);
    return new Server() {
      @Override
      public WorkflowServiceStubs service() {
        return env.getWorkflowServiceStubs();
      }

      @Override
      public WorkflowClient client() {
        return env.getWorkflowClient();
      }

      @Override
      public void close() {
        env.close();
      }
    };
  }
}
