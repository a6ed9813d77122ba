package com.nurture.api.core;

import com.nurture.api.config.TemporalConfig;
import io.dropwizard.lifecycle.Managed;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The Temporal client of this process: to a real frontend, or to the in-process test server. */
public final class TemporalConnection implements Managed {
  private static final Logger log = LoggerFactory.getLogger(TemporalConnection.class);
  private final WorkflowServiceStubs service;
  private final WorkflowClient client;
  private final TestWorkflowEnvironment inProcess;

  private TemporalConnection(WorkflowServiceStubs service, WorkflowClient client, TestWorkflowEnvironment inProcess) {
    this.service = service;
    this.client = client;
    this.inProcess = inProcess;
  }

  public static TemporalConnection connect(TemporalConfig config) {
    if (TemporalConfig.IN_PROCESS.equals(config.target)) {
      log.warn("Temporal: using the in-process test server; journeys do not survive a restart");
      TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance(TestEnvironmentOptions.newBuilder()
          .setUseTimeskipping(false)
          .setWorkflowClientOptions(WorkflowClientOptions.newBuilder().setNamespace(config.namespace).build())
          .build());
      return new TemporalConnection(env.getWorkflowServiceStubs(), env.getWorkflowClient(), env);
    }
    WorkflowServiceStubs service = WorkflowServiceStubs.newServiceStubs(
        WorkflowServiceStubsOptions.newBuilder().setTarget(config.target).build());
    WorkflowClient client = WorkflowClient.newInstance(service,
        WorkflowClientOptions.newBuilder().setNamespace(config.namespace).build());
    log.info("Temporal: {} namespace {}", config.target, config.namespace);
    return new TemporalConnection(service, client, null);
  }

  public WorkflowClient client() {
    return client;
  }

  public WorkflowServiceStubs service() {
    return service;
  }

  public String namespace() {
    return client.getOptions().getNamespace();
  }

  @Override
  public void stop() {
    if (inProcess != null) {
      inProcess.close();
    } else {
      service.shutdown();
    }
  }
}
