package com.nurture.workflows.journey;

import static org.assertj.core.api.Assertions.assertThat;

import com.nurture.workflows.program.Program;
import com.nurture.workflows.program.ProgramParser;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What one email costs the journey's history, and which sends take the priority lane: an
 * {@code immediate} step's send is scheduled with Temporal priority 1, a scheduled one with the
 * default; a send's {@code email_sent} entry and the next step's entries are one local activity
 * (change id merged-records), with every entry still written, in order.
 */
class SendLaneWorkflowTest {
  private static final Program PROGRAM = new ProgramParser(t -> true).parse("""
      id: lane
      send_policy: none
      steps:
        - { id: welcome, send: { template: hello, immediate: true } }
        - { id: gap, wait: 3d }
        - { id: later, send: later }
        - { id: gap-2, wait: 3d }
      """, 1);

  @RegisterExtension
  final JourneyHarness harness = new JourneyHarness(Instant.parse("2026-06-02T09:00:00Z"));

  @Test
  void anImmediateStepIsSentInThePriorityLaneAndAScheduledOneIsNot() {
    JourneyHarness.result(harness.start("lane-priority", PROGRAM));

    List<HistoryEvent> sends = history("lane-priority").stream()
        .filter(e -> e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED)
        .filter(e -> e.getActivityTaskScheduledEventAttributes().getActivityType().getName().equals("SendEmail"))
        .toList();
    assertThat(sends).hasSize(2);
    assertThat(sends.get(0).getActivityTaskScheduledEventAttributes().getPriority().getPriorityKey())
        .as("the welcome (immediate)").isEqualTo(1);
    assertThat(sends.get(1).getActivityTaskScheduledEventAttributes().getPriority().getPriorityKey())
        .as("the scheduled send: the default (unset)").isZero();
    assertThat(harness.activities.sentSteps()).containsExactly("welcome", "later");
  }

  @Test
  void aJourneyStartedInBulkSendsItsImmediateStepInTheSecondLane() {
    JourneyHarness.result(harness.start(JourneyInput.enrol("lane-bulk", java.util.Map.of(), PROGRAM), IntakeLane.BULK));

    List<HistoryEvent> history = history("lane-bulk");
    assertThat(history.get(0).getWorkflowExecutionStartedEventAttributes().getPriority().getPriorityKey())
        .as("the workflow, started in bulk").isEqualTo(IntakeLane.BULK_KEY);
    List<Integer> sendKeys = history.stream()
        .filter(e -> e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED)
        .filter(e -> e.getActivityTaskScheduledEventAttributes().getActivityType().getName().equals("SendEmail"))
        .map(e -> e.getActivityTaskScheduledEventAttributes().getPriority().getPriorityKey())
        .toList();
    // The welcome behind single enrolments' welcomes (1), ahead of scheduled sends; the scheduled
    // send unset: it inherits the workflow's bulk priority.
    assertThat(sendKeys).containsExactly(2, 0);
    assertThat(harness.activities.sentSteps()).containsExactly("welcome", "later");
  }

  @Test
  void theLaneIsReadFromTheWorkflowPriority() {
    assertThat(IntakeLane.of(io.temporal.common.Priority.newBuilder().setPriorityKey(IntakeLane.BULK_KEY).build()))
        .isEqualTo(IntakeLane.BULK);
    // Journeys started before lanes carry no priority: their immediate sends keep the first lane.
    assertThat(IntakeLane.of(null)).isEqualTo(IntakeLane.ONE_AT_A_TIME);
    assertThat(IntakeLane.of(io.temporal.common.Priority.getDefaultInstance())).isEqualTo(IntakeLane.ONE_AT_A_TIME);
    assertThat(IntakeLane.ONE_AT_A_TIME.immediateSend().getPriorityKey()).isEqualTo(1);
    assertThat(IntakeLane.ONE_AT_A_TIME.workflowPriority()).isEmpty();
  }

  @Test
  void aSendAndTheNextStepAreOneTimelineWrite() {
    JourneyHarness.result(harness.start("lane-writes", PROGRAM));
    List<HistoryEvent> events = history("lane-writes");

    // From each send's completion to the timer of the wait after it: one local activity (it was two).
    List<Integer> writesAfterSend = new ArrayList<>();
    Integer writes = null;
    for (HistoryEvent e : events) {
      if (e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED) {
        writes = 0;
      } else if (writes != null && e.getEventType() == EventType.EVENT_TYPE_MARKER_RECORDED
          && e.getMarkerRecordedEventAttributes().getMarkerName().equals("LocalActivity")) {
        writes++;
      } else if (writes != null && e.getEventType() == EventType.EVENT_TYPE_TIMER_STARTED) {
        writesAfterSend.add(writes);
        writes = null;
      }
    }
    assertThat(writesAfterSend).containsExactly(1, 1);
    assertThat(events).anySatisfy(e -> assertThat(e.getMarkerRecordedEventAttributes().getDetailsMap())
        .containsKey("changeId").extractingByKey("changeId").satisfies(p ->
            assertThat(p.getPayloads(0).getData().toStringUtf8()).contains(ChangeIds.MERGED_RECORDS)));

    // Nothing is lost or reordered: each email_sent is followed by the wait it leads to.
    List<String> kinds = harness.activities.transitionKinds();
    assertThat(kinds).containsSubsequence("enrolled", "email_sent", "email_sent");
    assertThat(kinds.get(kinds.indexOf("email_sent") + 1)).isNotEqualTo("email_sent");
  }

  private List<HistoryEvent> history(String leadId) {
    return harness.client.fetchHistory(LeadJourneyWorkflow.workflowId(leadId)).getEvents();
  }
}
