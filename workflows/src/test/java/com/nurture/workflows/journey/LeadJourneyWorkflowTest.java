package com.nurture.workflows.journey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nurture.workflows.program.Program;
import com.nurture.workflows.program.ProgramParser;
import io.temporal.client.WorkflowStub;
import io.temporal.client.WorkflowUpdateException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The journey workflow over simulated days, with the real cadence of the shipped onboarding program. */
class LeadJourneyWorkflowTest {
  private static final Duration DAY = Duration.ofDays(1);

  @RegisterExtension
  final JourneyHarness harness = new JourneyHarness(Instant.parse("2026-03-03T09:00:00Z"));
  private Program onboarding;

  @BeforeEach
  void setUp() throws IOException {
    try (InputStream in = getClass().getClassLoader().getResourceAsStream("nurture/programs/onboarding.yaml")) {
      onboarding = new ProgramParser(t -> true).parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), 1);
    }
  }

  private LeadJourneyWorkflow start(String leadId) {
    return harness.start(leadId, onboarding);
  }

  private static LeadEvent event(String id, EventType type) {
    return new LeadEvent(id, type, Instant.EPOCH, Map.of());
  }

  private List<Long> sendDays(Instant start) {
    return harness.activities.sent.stream().map(s -> Duration.between(start, s.at()).toHours() / 24).toList();
  }

  @Test
  void onboardingSendsFiveEmailsOnDays0_3_7_11_16ThenCompletes() {
    Instant start = Instant.ofEpochMilli(harness.env.currentTimeMillis());
    LeadJourneyWorkflow wf = start("lead-1");
    JourneyResult result = WorkflowStub.fromTyped(wf).getResult(JourneyResult.class);

    assertThat(result.status()).isEqualTo(JourneyStatus.COMPLETED);
    assertThat(result.emailsSent()).isEqualTo(5);
    assertThat(harness.activities.sentSteps()).containsExactly("welcome", "problem", "approach", "proof", "next-step");
    assertThat(sendDays(start)).containsExactly(0L, 3L, 7L, 11L, 16L);
    assertThat(harness.activities.sent).extracting(s -> s.request().occurrence()).containsOnly(1);
    assertThat(harness.activities.sent).extracting(s -> s.request().idempotencyKey()).doesNotHaveDuplicates();
    assertThat(harness.activities.transitionKinds()).startsWith("enrolled", "email_sent", "waiting").endsWith("completed");
    assertThat(harness.activities.transitions.stream().map(t -> t.dedupeKey()).distinct().count())
        .as("every transition has its own key (repeats of a retried local activity share it)")
        .isEqualTo(harness.activities.transitions.stream().map(t -> t.kind() + t.at()).distinct().count());
  }

  @Test
  void unsubscribeMidSleepEndsAtOnceAndNothingMoreIsSent() {
    LeadJourneyWorkflow wf = start("lead-2");
    harness.env.sleep(DAY.plusHours(5));
    assertThat(harness.activities.sentSteps()).containsExactly("welcome");

    wf.event(event("u-1", EventType.UNSUBSCRIBED));
    JourneyResult result = WorkflowStub.fromTyped(wf).getResult(JourneyResult.class);
    assertThat(result.status()).isEqualTo(JourneyStatus.UNSUBSCRIBED);
    assertThat(harness.activities.suppressedLeads).containsExactly("lead-2");

    harness.env.sleep(Duration.ofDays(30));
    assertThat(harness.activities.sentSteps()).containsExactly("welcome");
    assertThat(harness.activities.transitionKinds()).contains("unsubscribed");
  }

  @Test
  void aReplyHoldsForAHumanAndResumeHonoursTheRemainingWait() {
    Instant start = Instant.ofEpochMilli(harness.env.currentTimeMillis());
    LeadJourneyWorkflow wf = start("lead-3");
    harness.env.sleep(DAY);                                   // 1 day into the 3-day wait after "welcome"
    wf.event(event("r-1", EventType.REPLIED));
    wf.event(event("r-1", EventType.REPLIED));        // the same event again: no second alert
    harness.env.sleep(Duration.ofHours(1));
    assertThat(wf.view().status()).isEqualTo(JourneyStatus.WAITING_FOR_HUMAN);
    assertThat(wf.view().nextActionAt()).isEmpty();
    assertThat(harness.activities.alerts).hasSize(1);
    assertThat(harness.activities.alerts.get(0).kind()).isEqualTo("reply");

    harness.env.sleep(Duration.ofDays(3).minusHours(1));      // a human looks at it on day 4 (before the 5-day auto-resume)
    assertThat(harness.activities.sentSteps()).containsExactly("welcome");
    JourneyView resumed = wf.command(new JourneyCommand(JourneyCommand.Kind.RESUME, "answered the lead", "ops"));
    assertThat(resumed.status()).isEqualTo(JourneyStatus.ACTIVE);
    assertThat(resumed.nextActionAt()).hasValueSatisfying(at -> assertThat(Duration.between(start, at))
        .isBetween(Duration.ofDays(6), Duration.ofDays(6).plusMinutes(1)));

    harness.env.sleep(Duration.ofDays(2).plusMinutes(1));     // the 2 days left of the wait, not 3
    assertThat(harness.activities.sentSteps()).containsExactly("welcome", "problem");
    assertThat(sendDays(start)).containsExactly(0L, 6L);
  }

  @Test
  void pauseAndResumeAreCheckedAndReachTheCallerAsRejections() {
    LeadJourneyWorkflow wf = start("lead-4");
    harness.env.sleep(Duration.ofHours(1));
    assertThatThrownBy(() -> wf.command(new JourneyCommand(JourneyCommand.Kind.RESUME, "", "ops")))
        .isInstanceOf(WorkflowUpdateException.class)
        .rootCause().hasMessageContaining("only a PAUSED, WAITING_FOR_HUMAN or HANDED_OFF journey can be resumed");

    assertThat(wf.command(new JourneyCommand(JourneyCommand.Kind.PAUSE, "checking data", "ops")).status())
        .isEqualTo(JourneyStatus.PAUSED);
    assertThatThrownBy(() -> wf.command(new JourneyCommand(JourneyCommand.Kind.PAUSE, "", "ops")))
        .isInstanceOf(WorkflowUpdateException.class);
    harness.env.sleep(Duration.ofDays(20));
    assertThat(harness.activities.sentSteps()).containsExactly("welcome");

    wf.command(new JourneyCommand(JourneyCommand.Kind.EXIT, "bought already", "ops"));
    JourneyResult result = WorkflowStub.fromTyped(wf).getResult(JourneyResult.class);
    assertThat(result.status()).isEqualTo(JourneyStatus.COMPLETED);
    assertThat(result.reason()).isEqualTo("bought already");
    assertThat(harness.activities.transitionKinds()).contains("paused", "exited");
  }

  @Test
  void aSuppressedAddressEndsTheJourneyAsUnsubscribed() {
    harness.activities.suppressedLeads.add("lead-5");
    LeadJourneyWorkflow wf = start("lead-5");
    JourneyResult result = WorkflowStub.fromTyped(wf).getResult(JourneyResult.class);
    assertThat(result.status()).isEqualTo(JourneyStatus.UNSUBSCRIBED);
    assertThat(result.emailsSent()).isZero();
    assertThat(harness.activities.transitionKinds()).contains("email_suppressed");
  }

  @Test
  void theViewReportsProgramStepAndNextActionTime() {
    Instant start = Instant.ofEpochMilli(harness.env.currentTimeMillis());
    LeadJourneyWorkflow wf = start("lead-6");
    harness.env.sleep(Duration.ofHours(2));
    JourneyView v = wf.view();
    assertThat(v.programId()).isEqualTo("onboarding");
    assertThat(v.programVersion()).isEqualTo(1);
    assertThat(v.currentStep()).isEqualTo("after-welcome");
    assertThat(v.nextActionAt()).hasValueSatisfying(at -> assertThat(Duration.between(start, at))
        .isBetween(Duration.ofDays(3), Duration.ofDays(3).plusMinutes(1)));
    assertThat(v.lastTouches()).extracting(Touch::stepId).containsExactly("welcome");
    assertThat(v.emailsSent()).isEqualTo(1);
  }
}
