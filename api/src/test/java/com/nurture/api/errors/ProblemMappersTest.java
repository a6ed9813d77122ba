package com.nurture.api.errors;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.client.WorkflowServiceException;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.Test;

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
