package com.nurture.api.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.nurture.api.errors.ProblemException;
import io.grpc.Status;
import io.temporal.client.WorkflowServiceException;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TemporalAvailabilityTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void presumedDownForTheWindowAfterAFailureUntilASuccess() {
    TemporalAvailability a = new TemporalAvailability(Duration.ofSeconds(5));
    assertThat(a.presumedDown(T0)).isFalse();
    a.failed(T0);
    assertThat(a.presumedDown(T0.plusSeconds(4))).isTrue();
    assertThat(a.presumedDown(T0.plusSeconds(5))).as("the window over: try again").isFalse();
    a.failed(T0.plusSeconds(10));
    a.succeeded();
    assertThat(a.presumedDown(T0.plusSeconds(11))).isFalse();
  }

  @Test
  void unavailableAndPastTheDeadlineAreAnOutageOtherAnswersAreNot() {
    assertThat(TemporalAvailability.isUnavailable(Status.UNAVAILABLE.asRuntimeException())).isTrue();
    assertThat(TemporalAvailability.isUnavailable(Status.DEADLINE_EXCEEDED.asRuntimeException())).isTrue();
    assertThat(TemporalAvailability.isUnavailable(new WorkflowServiceException(
        io.temporal.api.common.v1.WorkflowExecution.newBuilder().setWorkflowId("lead-1").build(), "LeadJourneyWorkflow",
        Status.UNAVAILABLE.asRuntimeException()))).as("wrapped by the SDK").isTrue();
    assertThat(TemporalAvailability.isUnavailable(ProblemException.unavailable("down"))).isTrue();
    assertThat(TemporalAvailability.isUnavailable(Status.INVALID_ARGUMENT.asRuntimeException())).isFalse();
    assertThat(TemporalAvailability.isUnavailable(Status.NOT_FOUND.asRuntimeException())).isFalse();
    assertThat(TemporalAvailability.isUnavailable(new IllegalStateException("bug"))).isFalse();
    assertThat(TemporalAvailability.isUnavailable(ProblemException.conflict("no"))).isFalse();
  }

  /** Slow is not down: only a Temporal that cannot be reached is presumed down for a while. */
  @Test
  void onlyAnUnreachableTemporalIsPresumedDown() {
    assertThat(TemporalAvailability.isUnreachable(Status.UNAVAILABLE.asRuntimeException())).isTrue();
    assertThat(TemporalAvailability.isUnreachable(new WorkflowServiceException(
        io.temporal.api.common.v1.WorkflowExecution.newBuilder().setWorkflowId("lead-1").build(), "LeadJourneyWorkflow",
        Status.UNAVAILABLE.asRuntimeException()))).as("wrapped by the SDK").isTrue();
    assertThat(TemporalAvailability.isUnreachable(Status.DEADLINE_EXCEEDED.asRuntimeException())).isFalse();
    assertThat(TemporalAvailability.isUnreachable(ProblemException.unavailable("slow"))).isFalse();
    assertThat(TemporalAvailability.isUnreachable(new IllegalStateException("bug"))).isFalse();
  }

  /** A late answer makes batches yield (to the outbox) for the window; single calls still try. */
  @Test
  void aLateAnswerMakesTemporalBusyForBatchesNotDown() {
    TemporalAvailability a = new TemporalAvailability(Duration.ofSeconds(5));
    a.late(T0);
    assertThat(a.presumedDown(T0.plusSeconds(1))).isFalse();
    assertThat(a.presumedBusy(T0.plusSeconds(1))).isTrue();
    assertThat(a.presumedBusy(T0.plusSeconds(5))).as("the window over").isFalse();
    a.late(T0.plusSeconds(10));
    a.succeeded();
    assertThat(a.presumedBusy(T0.plusSeconds(11))).as("until a call succeeds").isFalse();
    a.failed(T0.plusSeconds(20));
    assertThat(a.presumedBusy(T0.plusSeconds(21))).as("down is busy too").isTrue();
  }

  /** A call answered, but later than a request could wait: up, and busy for batches. */
  @Test
  void anAnswerAfterTheOrdinaryDeadlineIsUpButBusy() {
    TemporalAvailability a = new TemporalAvailability(Duration.ofSeconds(5));
    a.failed(T0);
    a.answeredLate(T0.plusSeconds(1));
    assertThat(a.presumedDown(T0.plusSeconds(2))).as("it answered").isFalse();
    assertThat(a.presumedBusy(T0.plusSeconds(2))).as("but late").isTrue();
    assertThat(a.presumedBusy(T0.plusSeconds(6))).as("the window over").isFalse();
  }

  @Test
  void anEntryThatFailsWaitsLongerEachTimeUpToFiveMinutes() {
    assertThat(EventOutbox.nextAttempt(1, T0)).isEqualTo(T0.plusSeconds(1));
    assertThat(EventOutbox.nextAttempt(2, T0)).isEqualTo(T0.plusSeconds(2));
    assertThat(EventOutbox.nextAttempt(5, T0)).isEqualTo(T0.plusSeconds(16));
    assertThat(EventOutbox.nextAttempt(9, T0)).isEqualTo(T0.plusSeconds(256));
    assertThat(EventOutbox.nextAttempt(10, T0)).isEqualTo(T0.plusSeconds(300));
    assertThat(EventOutbox.nextAttempt(1000, T0)).isEqualTo(T0.plusSeconds(300));
  }
}
