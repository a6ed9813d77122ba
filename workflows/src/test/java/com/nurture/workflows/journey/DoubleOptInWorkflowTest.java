package com.nurture.workflows.journey;

import static org.assertj.core.api.Assertions.assertThat;

import com.nurture.workflows.program.Program;
import com.nurture.workflows.program.ProgramParser;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Double opt-in: a pending lead is asked to confirm first, and nothing else is sent until it does. */
class DoubleOptInWorkflowTest {
  private static final Program PROGRAM = new ProgramParser(t -> true).parse("""
      id: drip
      send_policy: none
      steps:
        - { id: hello, send: hello }
        - { id: pause, wait: 3d }
        - { id: next, send: next }
      """, 1);
  private static final Instant SEVEN_DAYS_IN = Instant.parse("2026-06-09T09:00:00Z");
  @RegisterExtension
  final JourneyHarness harness = new JourneyHarness(Instant.parse("2026-06-02T09:00:00Z"));

  private LeadJourneyWorkflow startPending(String lead) {
    JourneyInput input = JourneyInput.enrol(lead, PROGRAM);
    input.state().requiringConfirmation(Duration.ofDays(7));
    return harness.start(input);
  }

  @Test
  void theProgramStartsOnlyWhenTheLeadConfirms() {
    LeadJourneyWorkflow wf = startPending("pending-1");
    harness.sleep(Duration.ofDays(2));
    assertThat(wf.view().status()).isEqualTo(JourneyStatus.AWAITING_CONFIRMATION);
    assertThat(harness.activities.sent).as("nothing but the confirmation before it is confirmed").isEmpty();
    assertThat(harness.activities.confirmations).singleElement().satisfies(c -> {
      assertThat(c.leadId()).isEqualTo("pending-1");
      assertThat(c.confirmBy()).isBetween(SEVEN_DAYS_IN, SEVEN_DAYS_IN.plusSeconds(60));
    });

    wf.event(harness.event("confirm/1", EventType.CONSENT_CONFIRMED, Map.of()));
    JourneyResult result = JourneyHarness.result(wf);
    assertThat(result.status()).isEqualTo(JourneyStatus.COMPLETED);
    assertThat(harness.activities.sent).extracting(s -> s.request().template()).containsExactly("hello", "next");
    assertThat(harness.activities.sent.get(0).at()).isAfterOrEqualTo(Instant.parse("2026-06-04T09:00:00Z"));
    assertThat(harness.activities.transitions).extracting(com.nurture.workflows.activities.JourneyTransition::kind)
        .containsSubsequence("confirmation_requested", "confirmed", "email_sent");
  }

  @Test
  void anUnconfirmedLeadEndsAfterTheWindowAndAReplyDoesNotReleaseIt() {
    LeadJourneyWorkflow wf = startPending("pending-2");
    harness.sleep(Duration.ofDays(1));
    wf.event(harness.event("reply", EventType.REPLIED, Map.of("channel", "email", "text", "what is this?")));
    harness.sleep(Duration.ofHours(1));
    assertThat(wf.view().status()).as("a reply alerts a person, it does not stand for a confirmation")
        .isEqualTo(JourneyStatus.AWAITING_CONFIRMATION);
    assertThat(harness.activities.tasks).extracting(t -> t.kind()).containsExactly("reply");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> wf.command(new JourneyCommand(JourneyCommand.Kind.PAUSE, "", "op")))
        .as("only an ACTIVE journey can be paused").isInstanceOf(RuntimeException.class);
    JourneyResult result = JourneyHarness.result(wf);
    assertThat(result.status()).isEqualTo(JourneyStatus.UNCONFIRMED);
    assertThat(result.emailsSent()).isZero();
    assertThat(harness.activities.sent).isEmpty();
    Optional<Instant> ended = harness.activities.transitions.stream().filter(t -> t.kind().equals("unconfirmed"))
        .map(t -> t.at()).findFirst();
    assertThat(ended).hasValueSatisfying(at -> assertThat(at).isBetween(SEVEN_DAYS_IN, SEVEN_DAYS_IN.plusSeconds(60)));
  }
}
