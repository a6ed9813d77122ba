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
 * {@code immediate} step's send is an activity task scheduled with Temporal priority 1; a scheduled
 * one is a local activity inside the workflow task its wait's timer wakes (change id local-sends),
 * and falls back to an activity task when its attempt fails transiently; a send's
 * {@code email_sent} entry and the next step's entries are one local activity (change id
 * merged-records), with every entry still written, in order.
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
  void anImmediateStepIsSentInThePriorityLaneAndAScheduledOneInsideItsWorkflowTask() {
    JourneyHarness.result(harness.start("lane-priority", PROGRAM));
    List<HistoryEvent> history = history("lane-priority");

    List<HistoryEvent> tasks = sendTasks(history);
    assertThat(tasks).as("the welcome only: an activity task").hasSize(1);
    assertThat(tasks.get(0).getActivityTaskScheduledEventAttributes().getPriority().getPriorityKey())
        .as("the welcome (immediate)").isEqualTo(1);
    assertThat(history).filteredOn(e -> isLocal(e, "SendEmail")).as("the scheduled send, a local activity").hasSize(1);
    assertThat(harness.activities.sentSteps()).containsExactly("welcome", "later");

    // The scheduled email costs one workflow task: from its wait's timer firing to the next wait.
    int fired = indexOf(history, EventType.EVENT_TYPE_TIMER_FIRED, 0);
    int next = indexOf(history, EventType.EVENT_TYPE_TIMER_STARTED, fired);
    assertThat(history.subList(fired, next)).filteredOn(e -> e.getEventType() == EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED)
        .hasSize(1);
    assertThat(history).anySatisfy(e -> assertThat(e.getMarkerRecordedEventAttributes().getDetailsMap())
        .containsKey("changeId").extractingByKey("changeId").satisfies(p ->
            assertThat(p.getPayloads(0).getData().toStringUtf8()).contains(ChangeIds.LOCAL_SENDS)));
  }

  @Test
  void aScheduledSendWhoseAttemptFailsTransientlyIsRetriedAsAnActivityTask() {
    harness.activities.transientSendFailures.set(2);
    // The welcome is immediate: skip it, so the first two attempts are the scheduled send's.
    JourneyHarness.result(harness.start("lane-fallback", new ProgramParser(t -> true).parse("""
        id: fallback
        send_policy: none
        steps:
          - { id: gap, wait: 1d }
          - { id: later, send: later }
        """, 1)));
    List<HistoryEvent> history = history("lane-fallback");

    assertThat(history).filteredOn(e -> isLocal(e, "SendEmail")).as("the local attempt, failed").singleElement()
        .satisfies(e -> assertThat(e.getMarkerRecordedEventAttributes().hasFailure()).isTrue());
    List<HistoryEvent> tasks = sendTasks(history);
    assertThat(tasks).as("then the activity task").singleElement().satisfies(e -> assertThat(e.getUserMetadata()
        .getSummary().getData().toStringUtf8()).contains("retried as an activity task"));
    String key = harness.activities.attempts.keySet().stream().filter(k -> k.contains("/later/")).findFirst().orElseThrow();
    assertThat(harness.activities.attempts.get(key)).as("one local attempt, a failed and a good activity attempt")
        .isEqualTo(3);
    assertThat(harness.activities.sentSteps()).containsExactly("later");
    assertThat(harness.activities.transitionKinds()).contains("email_sent").doesNotContain("send_failed");
  }

  @Test
  void aJourneyStartedInBulkSendsItsImmediateStepInTheSecondLane() {
    JourneyHarness.result(harness.start(JourneyInput.enrol("lane-bulk", java.util.Map.of(), PROGRAM), IntakeLane.BULK));

    List<HistoryEvent> history = history("lane-bulk");
    assertThat(history.get(0).getWorkflowExecutionStartedEventAttributes().getPriority().getPriorityKey())
        .as("the workflow, started in bulk").isEqualTo(IntakeLane.BULK_KEY);
    List<Integer> sendKeys = sendTasks(history).stream()
        .map(e -> e.getActivityTaskScheduledEventAttributes().getPriority().getPriorityKey())
        .toList();
    // The welcome behind single enrolments' welcomes (1); the scheduled send runs in the journey's own
    // workflow task, which has the workflow's bulk priority.
    assertThat(sendKeys).containsExactly(2);
    assertThat(history).filteredOn(e -> isLocal(e, "SendEmail")).hasSize(1);
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

    // From each send's completion (an activity task's, or a local send's marker) to the timer of the
    // wait after it: one timeline write (it was two).
    List<Integer> writesAfterSend = new ArrayList<>();
    Integer writes = null;
    for (HistoryEvent e : events) {
      if (e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED || isLocal(e, "SendEmail")) {
        writes = 0;
      } else if (writes != null && isLocal(e, "RecordTransitions")) {
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

  /** The sends scheduled as activity tasks. */
  private static List<HistoryEvent> sendTasks(List<HistoryEvent> history) {
    return history.stream()
        .filter(e -> e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED)
        .filter(e -> e.getActivityTaskScheduledEventAttributes().getActivityType().getName().equals("SendEmail"))
        .toList();
  }

  /** A local activity's marker, of this activity type. */
  static boolean isLocal(HistoryEvent e, String activityType) {
    return e.getEventType() == EventType.EVENT_TYPE_MARKER_RECORDED
        && e.getMarkerRecordedEventAttributes().getMarkerName().equals("LocalActivity")
        && e.getMarkerRecordedEventAttributes().getDetailsMap().get("type").getPayloads(0).getData().toStringUtf8()
            .equals("\"" + activityType + "\"");
  }

  private static int indexOf(List<HistoryEvent> history, EventType type, int from) {
    for (int i = from; i < history.size(); i++) {
      if (history.get(i).getEventType() == type) {
        return i;
      }
    }
    throw new AssertionError("no " + type + " after event " + from);
  }

  private List<HistoryEvent> history(String leadId) {
    return harness.client.fetchHistory(LeadJourneyWorkflow.workflowId(leadId)).getEvents();
  }
}
