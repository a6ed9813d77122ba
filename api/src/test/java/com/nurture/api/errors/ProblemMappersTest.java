package com.nurture.api.errors;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.client.WorkflowServiceException;
import jakarta.ws.rs.core.Response;
import java.sql.SQLException;
import org.jdbi.v3.core.ConnectionException;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;

class ProblemMappersTest {
  @Test
  void temporalBeingDownIsA503WithRetryAfter() {
    Response r = new ProblemMappers.TemporalUnavailable().toResponse(new WorkflowServiceException(
        WorkflowExecution.newBuilder().setWorkflowId("lead-1").build(), "LeadJourneyWorkflow",
        new StatusRuntimeException(Status.UNAVAILABLE)));
    assertThat(r.getStatus()).isEqualTo(503);
    assertThat(r.getHeaderString("Retry-After")).isEqualTo("5");
    assertThat(r.getMediaType().toString()).isEqualTo(Problem.MEDIA_TYPE);
    assertThat(((Problem) r.getEntity()).detail()).contains("retry");
  }

  @Test
  void theDatabaseBeingAwayIsA503WithRetryAfterAndAWrongStatementIsA500() {
    Response refused = new ProblemMappers.DatabaseUnavailable().toResponse(new ConnectionException(
        new PSQLException("Connection to localhost:5432 refused", PSQLState.CONNECTION_UNABLE_TO_CONNECT)));
    assertThat(refused.getStatus()).isEqualTo(503);
    assertThat(refused.getHeaderString("Retry-After")).isEqualTo("5");
    assertThat(((Problem) refused.getEntity()).detail()).contains("retry");
    Response shutDown = new ProblemMappers.DatabaseUnavailable().toResponse(new UnableToExecuteStatementException(
        new SQLException("FATAL: terminating connection due to administrator command", "57P01"), null));
    assertThat(shutDown.getStatus()).isEqualTo(503);

    Response broken = new ProblemMappers.DatabaseUnavailable().toResponse(new UnableToExecuteStatementException(
        new PSQLException("relation \"nope\" does not exist", PSQLState.UNDEFINED_TABLE), null));
    assertThat(broken.getStatus()).isEqualTo(500);
    assertThat(((Problem) broken.getEntity()).detail()).startsWith("unexpected error; quote id");
  }

  @Test
  void aGrpcOutageIsA503WithRetryAfterAndAnyOtherCodeA500() {
    Response deadline = new ProblemMappers.TemporalStatus().toResponse(new StatusRuntimeException(Status.DEADLINE_EXCEEDED));
    assertThat(deadline.getStatus()).isEqualTo(503);
    assertThat(deadline.getHeaderString("Retry-After")).isEqualTo("5");
    assertThat(new ProblemMappers.TemporalStatus().toResponse(new StatusRuntimeException(Status.UNAVAILABLE)).getStatus())
        .isEqualTo(503);
    assertThat(new ProblemMappers.TemporalStatus().toResponse(new StatusRuntimeException(Status.INVALID_ARGUMENT))
        .getStatus()).isEqualTo(500);
    assertThat(new ProblemMappers.Problems().toResponse(ProblemException.unavailable("down")).getHeaderString("Retry-After"))
        .as("every 503 says when to retry").isEqualTo("5");
    assertThat(new ProblemMappers.Unexpected().toResponse(new RuntimeException(new ConnectionException(
        new PSQLException("refused", PSQLState.CONNECTION_UNABLE_TO_CONNECT)))).getStatus())
        .as("an outage wrapped in something else is still an outage").isEqualTo(503);
  }

  @Test
  void anUnexpectedErrorLeaksNothingButAnId() {
    Response r = new ProblemMappers.Unexpected().toResponse(new IllegalStateException("password=hunter2"));
    assertThat(r.getStatus()).isEqualTo(500);
    assertThat(((Problem) r.getEntity()).detail()).doesNotContain("hunter2").matches("unexpected error; quote id [0-9a-f]{16}.*");
  }

  @Test
  void fieldNamesAreReportedAsTheClientWritesThem() {
    assertThat(ProblemMappers.snake("occurredAt")).isEqualTo("occurred_at");
    assertThat(ProblemMappers.snake("firstName")).isEqualTo("first_name");
    assertThat(ProblemMappers.snake("email")).isEqualTo("email");
  }
}
