package com.nurture.api.core;

import com.nurture.activities.db.AlertDao;
import com.nurture.activities.db.JourneyRow;
import com.nurture.api.representations.JourneyResponse;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.workflow.v1.WorkflowExecutionInfo;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What Temporal says of a journey's workflow: its latest run's execution status. A journey whose
 * workflow was failed, terminated, timed out or cancelled has stopped without the journey ending:
 * nothing more is sent or recorded for the lead, and the mirror still shows its last business
 * status. That needs a person, so it raises one {@code journey_workflow_closed} alert per run.
 */
final class JourneyExecutions {
  private static final Logger log = LoggerFactory.getLogger(JourneyExecutions.class);
  static final String ALERT_KIND = "journey_workflow_closed";
  /** Closed without the journey deciding to end. */
  private static final Set<String> ABNORMAL = Set.of("FAILED", "TERMINATED", "TIMED_OUT", "CANCELED");

  private final TemporalConnection temporal;
  private final Jdbi jdbi;

  JourneyExecutions(TemporalConnection temporal, Jdbi jdbi) {
    this.temporal = temporal;
    this.jdbi = jdbi;
  }

  /**
   * @param status RUNNING, COMPLETED, CONTINUED_AS_NEW, FAILED, TERMINATED, TIMED_OUT, CANCELED
   *     (Temporal's names without their prefix), NOT_FOUND or UNKNOWN
   * @param runId the latest run's id (null unless known)
   * @param closedAt when it closed (null while running or unless known)
   */
  record Execution(String status, String runId, Instant closedAt) {
    /** Temporal has the workflow: it may answer a query, running or closed. */
    boolean known() {
      return runId != null;
    }

    /** The latest run has closed, and no run continues it. */
    boolean closed() {
      return status.equals("COMPLETED") || ABNORMAL.contains(status);
    }

    boolean closedAbnormally() {
      return ABNORMAL.contains(status);
    }
  }

  /** The latest run of {@code workflowId}, as Temporal describes it. */
  Execution describe(String workflowId) {
    try {
      WorkflowExecutionInfo info = temporal.call(() -> temporal.service().blockingStub()
          .describeWorkflowExecution(DescribeWorkflowExecutionRequest.newBuilder()
              .setNamespace(temporal.namespace())
              .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId))
              .build())
          .getWorkflowExecutionInfo());
      Instant closed = info.hasCloseTime()
          ? Instant.ofEpochSecond(info.getCloseTime().getSeconds(), info.getCloseTime().getNanos()) : null;
      return new Execution(name(info.getStatus()), info.getExecution().getRunId(), closed);
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
        return new Execution(JourneyResponse.NOT_FOUND, null, null);
      }
      log.warn("Temporal did not describe {}: {}", workflowId, e.getStatus());
      return new Execution(JourneyResponse.UNKNOWN, null, null);
    }
  }

  /** Raises the run's {@code journey_workflow_closed} alert, once: the key is the workflow and run id. */
  void alertClosed(JourneyRow row, Execution execution) {
    Map<String, Object> detail = new LinkedHashMap<>();
    detail.put("workflow_id", row.workflowId());
    detail.put("run_id", execution.runId());
    detail.put("workflow_status", execution.status());
    detail.put("journey_status", row.status());
    if (execution.closedAt() != null) {
      detail.put("closed_at", execution.closedAt().toString());
    }
    String message = "The journey's workflow " + row.workflowId() + " closed as " + execution.status()
        + " while the journey was " + row.status() + ": it no longer sends or reacts to events. Look at its history"
        + " (GET /v1/leads/" + row.leadId() + "/journey/history), then exit it or enrol the lead again.";
    int added = jdbi.withExtension(AlertDao.class, a -> a.raise(row.leadId(), ALERT_KIND, message, detail,
        ALERT_KIND + "/" + row.workflowId() + "/" + execution.runId()));
    if (added == 1) {
      log.warn("alert for lead {} ({}): {}", row.leadId(), ALERT_KIND, message);
    }
  }

  private static String name(WorkflowExecutionStatus status) {
    return status.name().replace("WORKFLOW_EXECUTION_STATUS_", "");
  }
}
