package com.nurture.workflows.journey;

import static org.assertj.core.api.Assertions.assertThat;

import com.nurture.workflows.program.Program;
import com.nurture.workflows.program.ProgramParser;
import io.temporal.client.WorkflowStub;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The send policy as the journey enforces it, before every send, across programs. */
class SendPolicyWorkflowTest {
  private static final ProgramParser PARSER = new ProgramParser(t -> true);
  /** Friday 2026-03-06 17:00 UTC: outside best-times, three hours before waking hours close. */
  private static final Instant FRIDAY_EVENING = Instant.parse("2026-03-06T17:00:00Z");

  @RegisterExtension
  final JourneyHarness harness = new JourneyHarness(FRIDAY_EVENING);


  private LeadJourneyWorkflow start(String leadId, Map<String, Object> attributes, Program program) {
    return harness.start(leadId, attributes, program);
  }

  private List<String> localSendTimes(String leadId, ZoneId zone) {
    return harness.activities.sent.stream().filter(s -> s.request().leadId().equals(leadId))
        .map(s -> s.at().atZone(zone).toLocalDateTime().withSecond(0).withNano(0).toString()).toList();
  }

  @Test
  void sendsWaitForTheWindowInEachLeadsOwnTimeZone() {
    Program p = PARSER.parse("""
        id: windows
        steps:
          - { id: hello, send: hello }
        """, 1);
    LeadJourneyWorkflow berlin = start("berlin", Map.of("timezone", "Europe/Berlin"), p);
    LeadJourneyWorkflow newYork = start("new-york", Map.of("timezone", "America/New_York"), p);
    harness.env.sleep(Duration.ofHours(1));
    assertThat(berlin.view().nextActionAt()).isPresent();
    assertThat(harness.activities.sent).isEmpty();
    WorkflowStub.fromTyped(berlin).getResult(JourneyResult.class);
    WorkflowStub.fromTyped(newYork).getResult(JourneyResult.class);
    // Tuesday 10:00 local for both, though New York has just moved to summer time (2026-03-08).
    assertThat(localSendTimes("berlin", ZoneId.of("Europe/Berlin"))).containsExactly("2026-03-10T10:00");
    assertThat(localSendTimes("new-york", ZoneId.of("America/New_York"))).containsExactly("2026-03-10T10:00");
    assertThat(harness.activities.transitionKinds()).contains("send_deferred");
  }

  @Test
  void theWeeklyCapHoldsAcrossProgramsAndImmediateSkipsOnlyTheWindow() {
    harness.activities.catalog.put("second", PARSER.parse("""
        id: second
        send_policy: { base: waking-hours, min_gap: 1h, max_per_7d: 3 }
        steps:
          - { id: c, send: c }
          - { id: d, send: d }
        """, 1));
    Program first = PARSER.parse("""
        id: first
        send_policy: { base: waking-hours, min_gap: 1h, max_per_7d: 3 }
        steps:
          - { id: a, send: { template: a, immediate: true } }
          - { id: b, send: b }
        on_complete: { start: second }
        """, 1);
    LeadJourneyWorkflow wf = start("capped", Map.of(), first);
    WorkflowStub.fromTyped(wf).getResult(JourneyResult.class);
    List<Instant> at = harness.activities.sent.stream().map(RecordingActivities.Sent::at).toList();
    assertThat(harness.activities.sentSteps()).containsExactly("a", "b", "c", "d");
    Instant firstSend = at.get(0);
    assertThat(firstSend).as("immediate: at once on Friday evening").isBetween(FRIDAY_EVENING, FRIDAY_EVENING.plusSeconds(5));
    // Send times are the activity's; the policy counts from the workflow's clock, a few ms apart
    // either way (HumanInTheLoopWorkflowTest once came 3 ms short): a second either way.
    assertThat(Duration.between(firstSend, at.get(1))).as("the gap, inside waking hours")
        .isBetween(Duration.ofHours(1).minusSeconds(1), Duration.ofHours(1).plusSeconds(1));
    assertThat(Duration.between(firstSend, at.get(2))).as("the gap again, across programs")
        .isBetween(Duration.ofHours(2).minusSeconds(1), Duration.ofHours(2).plusSeconds(1));
    assertThat(Duration.between(firstSend, at.get(3))).as("the fourth in 7 days waits until the first is a week old")
        .isBetween(Duration.ofDays(7).minusSeconds(1), Duration.ofDays(7).plusSeconds(1));
  }
}
