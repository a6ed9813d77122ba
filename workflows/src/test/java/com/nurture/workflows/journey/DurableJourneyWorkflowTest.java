package com.nurture.workflows.journey;

import static org.assertj.core.api.Assertions.assertThat;

import com.nurture.workflows.activities.JourneyTransition;
import com.nurture.workflows.program.Program;
import com.nurture.workflows.program.ProgramParser;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.common.WorkflowExecutionHistory;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Infrastructure trouble never fails a journey, and a busy journey's history stays lean. */
class DurableJourneyWorkflowTest {
  private static final Program PROGRAM = new ProgramParser(t -> true).parse("""
      id: durable
      send_policy: none
      steps:
        - { id: hello, send: hello }
        - { id: pause, wait: 7d }
        - { id: next, send: next }
      """, 1);
  @RegisterExtension
  final JourneyHarness harness = new JourneyHarness(Instant.parse("2026-06-02T09:00:00Z"));

  @Test
  void aDatabaseOutageDelaysTheBusinessRecordButNeverFailsTheJourney() {
    // Attempts in a row fail, as while PostgreSQL restarts: the local activity retries until it lands.
    // (Local retries back off in real time, 1 s doubling: four failures cost the test 7 s.)
    harness.activities.transitionFailures.set(4);
    JourneyResult result = harness.run("db-restart", PROGRAM);

    assertThat(result.status()).isEqualTo(JourneyStatus.COMPLETED);
    assertThat(harness.activities.transitionFailures.get()).as("every failing attempt was used").isZero();
    List<String> kinds = harness.activities.transitions.stream().map(JourneyTransition::kind).toList();
    assertThat(kinds).containsExactly("enrolled", "email_sent", "waiting", "email_sent", "completed");
  }

  @Test
  void eventsMidWaitCancelTheTimersTheyInterrupt() {
    LeadJourneyWorkflow wf = harness.start("busy", PROGRAM);
    harness.sleep(Duration.ofHours(1));
    for (int i = 0; i < 40; i++) {
      wf.event(harness.event("open-" + i, com.nurture.workflows.journey.EventType.EMAIL_OPENED, Map.of()));
      harness.sleep(Duration.ofMinutes(10));
    }
    JourneyResult result = JourneyHarness.result(wf);
    assertThat(result.emailsSent()).isEqualTo(2);

    WorkflowExecutionHistory history = harness.client.fetchHistory(LeadJourneyWorkflow.workflowId("busy"));
    long started = count(history, EventType.EVENT_TYPE_TIMER_STARTED);
    long fired = count(history, EventType.EVENT_TYPE_TIMER_FIRED);
    long canceled = count(history, EventType.EVENT_TYPE_TIMER_CANCELED);
    assertThat(started).as("the wait restarted its timer after each event").isGreaterThan(20);
    assertThat(fired + canceled).as("every timer fired or was cancelled: none left orphaned").isEqualTo(started);
    assertThat(fired).as("only the wait's last timer ran out").isEqualTo(1);
    // The wait still ended on time: the next email 7 days after the first.
    Duration between = Duration.between(harness.activities.sent.get(0).at(), harness.activities.sent.get(1).at());
    // (Each send reads the clock as it runs: a local one a few milliseconds into its workflow task.)
    assertThat(between).isBetween(Duration.ofDays(7).minusSeconds(1), Duration.ofDays(7).plusMinutes(1));
  }

  private static long count(WorkflowExecutionHistory history, EventType type) {
    return history.getEvents().stream().map(HistoryEvent::getEventType).filter(type::equals).count();
  }
}
