package com.nurture.workflows.journey;

import static org.assertj.core.api.Assertions.assertThat;

import com.nurture.workflows.program.Program;
import com.nurture.workflows.program.ProgramParser;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Replies reach a person; unanswered, the journey resumes by itself; some behaviour alerts a person. */
class HumanInTheLoopWorkflowTest {
  private static final Program PROGRAM = new ProgramParser(t -> true).parse("""
      id: nurture
      send_policy: none
      steps:
        - { id: hello, send: hello }
        - { id: pause, wait: 3d }
        - { id: next, send: next }
      """, 1);
  @RegisterExtension
  final JourneyHarness harness = new JourneyHarness(Instant.parse("2026-06-02T09:00:00Z"));


  @Test
  void anUnansweredReplyResumesAfterFiveDaysWithTheRemainingWait() {
    LeadJourneyWorkflow wf = harness.start("replier", PROGRAM);
    harness.sleep(Duration.ofDays(1));
    wf.event(harness.event("r", EventType.REPLIED, Map.of("channel", "email")));
    harness.sleep(Duration.ofDays(4));
    assertThat(wf.view().status()).isEqualTo(JourneyStatus.WAITING_FOR_HUMAN);
    harness.sleep(Duration.ofDays(1).plusHours(1));
    assertThat(wf.view().status()).isEqualTo(JourneyStatus.ACTIVE);
    JourneyHarness.result(wf);
    // reply on day 1 with 2 days of the wait left; resumed on day 6; the next email on day 8
    // Each send's time is the test environment's clock when its activity ran, which moves with the
    // real time a task takes as well as with the skipped time: a minute either way (a wrong remaining
    // wait is at least a day off: 9 days for the whole 3-day wait again, 6 for none).
    Duration toNext = Duration.between(harness.activities.sent.get(0).at(), harness.activities.sent.get(1).at());
    assertThat(toNext).isBetween(Duration.ofDays(8).minusMinutes(1), Duration.ofDays(8).plusMinutes(1));
    assertThat(harness.activities.transitions).filteredOn(t -> t.kind().equals("resumed")).singleElement()
        .satisfies(t -> assertThat(t.detail()).containsEntry("actor", "nurture"));
  }

  @Test
  void competitorInterestAndRepliesOutsideEmailAlertAPerson() {
    LeadJourneyWorkflow wf = harness.start("watcher", PROGRAM);
    harness.sleep(Duration.ofHours(1));
    wf.event(harness.event("v", EventType.PAGE_VISITED, Map.of("page", "Comparison")));
    wf.event(harness.event("dm", EventType.REPLIED, Map.of("channel", "linkedin")));
    harness.sleep(Duration.ofHours(1));
    assertThat(harness.activities.alerts).extracting(a -> a.kind())
        .containsExactly("competitor_interest", "non_standard_channel", "reply");
  }
}
