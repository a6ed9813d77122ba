package com.nurture.workflows.journey;

import com.nurture.workflows.program.Program;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A time-skipping Temporal test environment with the journey workflow and recording activities:
 * what every workflow test needs. A JUnit extension: {@code @RegisterExtension final JourneyHarness
 * harness = new JourneyHarness();} gives each test a fresh environment.
 */
final class JourneyHarness implements BeforeEachCallback, AfterEachCallback, AutoCloseable {
  private final Optional<Instant> start;
  TestWorkflowEnvironment env;
  WorkflowClient client;
  RecordingActivities activities;

  JourneyHarness() {
    this(Optional.empty());
  }

  JourneyHarness(Instant start) {
    this(Optional.of(start));
  }

  private JourneyHarness(Optional<Instant> start) {
    this.start = start;
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    TestEnvironmentOptions.Builder options = TestEnvironmentOptions.newBuilder();
    start.ifPresent(options::setInitialTime);
    env = TestWorkflowEnvironment.newInstance(options.build());
    // The test server refuses search attributes its namespace does not define, as a real one does.
    JourneySearchAttributes.definitions().forEach(env::registerSearchAttribute);
    Worker worker = env.newWorker(LeadJourneyWorkflow.TASK_QUEUE);
    worker.registerWorkflowImplementationTypes(LeadJourneyWorkflowImpl.class);
    activities = new RecordingActivities(this::now);
    worker.registerActivitiesImplementations(activities);
    env.start();
    client = env.getWorkflowClient();
  }

  @Override
  public void afterEach(ExtensionContext context) {
    close();
  }

  /** Starts the journey as the API does: with its search attributes. */
  LeadJourneyWorkflow start(JourneyInput input) {
    return start(input, IntakeLane.ONE_AT_A_TIME);
  }

  /** {@link #start(JourneyInput)} in {@code lane}: with its workflow priority, as the API starts it. */
  LeadJourneyWorkflow start(JourneyInput input, IntakeLane lane) {
    WorkflowOptions.Builder options = WorkflowOptions.newBuilder()
        .setWorkflowId(LeadJourneyWorkflow.workflowId(input.leadId())).setTaskQueue(LeadJourneyWorkflow.TASK_QUEUE)
        .setTypedSearchAttributes(JourneySearchAttributes.atStart(input));
    lane.workflowPriority().ifPresent(options::setPriority);
    LeadJourneyWorkflow wf = client.newWorkflowStub(LeadJourneyWorkflow.class, options.build());
    WorkflowClient.start(wf::run, input);
    return wf;
  }

  LeadJourneyWorkflow start(String leadId, Map<String, Object> attributes, Program program) {
    return start(JourneyInput.enrol(leadId, attributes, program));
  }

  LeadJourneyWorkflow start(String leadId, Program program) {
    return start(leadId, Map.of(), program);
  }

  static JourneyResult result(LeadJourneyWorkflow wf) {
    return WorkflowStub.fromTyped(wf).getResult(JourneyResult.class);
  }

  JourneyResult run(String leadId, Program program) {
    return result(start(leadId, program));
  }

  /**
   * Signals the event to the journey's current run, as the API does. The test server's
   * continue-as-new is not atomic (temporalio/sdk-java#1538): a signal that lands after the old run
   * closed and before the new one started is refused as a completed workflow, which the real server
   * never does (temporalio/temporal#2694: it has the caller try again). So a refusal while the
   * journey is continuing as new is tried again; one from a journey that really ended is thrown.
   */
  void deliver(LeadJourneyWorkflow wf, LeadEvent event) {
    String workflowId = WorkflowStub.fromTyped(wf).getExecution().getWorkflowId();
    for (int attempt = 1; ; attempt++) {
      try {
        wf.event(event);
        return;
      } catch (WorkflowNotFoundException refused) {
        WorkflowExecutionStatus status = client.newUntypedWorkflowStub(workflowId).describe().getStatus();
        boolean continuing = status == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING
            || status == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_CONTINUED_AS_NEW;
        if (!continuing || attempt == 50) {
          throw refused;
        }
        try {
          Thread.sleep(20);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw refused;
        }
      }
    }
  }

  void sleep(Duration d) {
    env.sleep(d);
  }

  Instant now() {
    return Instant.ofEpochMilli(env.currentTimeMillis());
  }

  /** An event that happens now. */
  LeadEvent event(String id, EventType type, Map<String, Object> properties) {
    return new LeadEvent(id, type, now(), properties);
  }

  LeadEvent event(String id, EventType type) {
    return event(id, type, Map.of());
  }

  @Override
  public void close() {
    env.close();
  }
}
