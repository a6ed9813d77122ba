package com.nurture.workflows.journey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nurture.workflows.program.Program;
import com.nurture.workflows.program.ProgramParser;
import io.temporal.client.WorkflowUpdateException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** After a hand-off: the SLA escalations and what each sales answer does. */
class SalesLoopWorkflowTest {
  private static final ProgramParser PARSER = new ProgramParser(t -> true);
  private static final Program PROGRAM = PARSER.parse("""
      id: qualify
      send_policy: none
      steps:
        - { id: hello, send: hello }
        - { id: to-sales, handoff: { reason: asked for a demo } }
        - { id: after-sales, send: after-sales }
      """, 1);
  @RegisterExtension
  final JourneyHarness harness = new JourneyHarness(Instant.parse("2026-05-05T09:00:00Z"));

  @BeforeEach
  void setUp() {
    harness.activities.catalog.put(SalesLoop.RE_ENGAGEMENT, PARSER.parse("""
        id: dormant-re-engagement
        send_policy: none
        steps: [ { id: still-relevant, send: still-relevant } ]
        """, 2));
  }

  private LeadJourneyWorkflow handedOff(String lead) {
    LeadJourneyWorkflow wf = harness.start(lead, PROGRAM);
    harness.sleep(Duration.ofMinutes(5));
    assertThat(wf.view().status()).isEqualTo(JourneyStatus.HANDED_OFF);
    return wf;
  }

  private SalesFeedback feedback(SalesFeedback.Outcome outcome, Optional<Instant> until) {
    return new SalesFeedback(outcome, until, "", "sdr-1");
  }

  @Test
  void noFeedbackEscalatesAtTheSlaAndAgainAtTwiceIt() {
    LeadJourneyWorkflow wf = handedOff("sla-1");
    assertThat(harness.activities.handOffs).singleElement().satisfies(h -> {
      assertThat(h.reason()).isEqualTo("asked for a demo");
      assertThat(Duration.between(h.at(), h.slaDueAt())).isEqualTo(Duration.ofHours(24));
    });
    assertThat(harness.activities.notified).hasSize(1);
    harness.sleep(Duration.ofHours(23));
    assertThat(harness.activities.alerts).extracting(a -> a.kind()).containsExactly("handoff");
    harness.sleep(Duration.ofHours(2));
    assertThat(harness.activities.alerts).extracting(a -> a.kind()).containsExactly("handoff", "sla_breach");
    harness.sleep(Duration.ofHours(24));
    assertThat(harness.activities.alerts).extracting(a -> a.kind()).containsExactly("handoff", "sla_breach", "sla_breach");
    harness.sleep(Duration.ofDays(10));
    assertThat(harness.activities.alerts).hasSize(3);
    assertThat(wf.view().status()).isEqualTo(JourneyStatus.HANDED_OFF);
  }

  @Test
  void acceptedGraduatesTheLead() {
    LeadJourneyWorkflow wf = handedOff("accept-1");
    assertThat(wf.salesFeedback(feedback(SalesFeedback.Outcome.ACCEPTED, Optional.empty())).status())
        .isEqualTo(JourneyStatus.GRADUATED);
    assertThat(JourneyHarness.result(wf).status()).isEqualTo(JourneyStatus.GRADUATED);
    assertThat(harness.activities.outcomes).singleElement().satisfies(o -> assertThat(o).endsWith("=accepted"));
    assertThat(harness.activities.sentSteps()).containsExactly("hello");
  }

  @Test
  void rejectedGoesBackToNurtureWhereItStopped() {
    LeadJourneyWorkflow wf = handedOff("reject-1");
    wf.salesFeedback(feedback(SalesFeedback.Outcome.REJECTED, Optional.empty()));
    assertThat(JourneyHarness.result(wf).status()).isEqualTo(JourneyStatus.COMPLETED);
    assertThat(harness.activities.sentSteps()).containsExactly("hello", "after-sales");
    assertThatThrownBy(() -> wf.salesFeedback(feedback(SalesFeedback.Outcome.ACCEPTED, Optional.empty())))
        .isInstanceOf(io.temporal.client.WorkflowException.class);
  }

  @Test
  void notNowSendsNothingUntilTheDateThenReEngages() {
    LeadJourneyWorkflow wf = handedOff("later-1");
    Instant inAMonth = harness.now().plus(Duration.ofDays(30));
    assertThatThrownBy(() -> wf.salesFeedback(feedback(SalesFeedback.Outcome.NOT_NOW, Optional.empty())))
        .isInstanceOf(WorkflowUpdateException.class).rootCause().hasMessageContaining("not_now needs an until");
    wf.salesFeedback(feedback(SalesFeedback.Outcome.NOT_NOW, Optional.of(inAMonth)));
    harness.sleep(Duration.ofDays(29));
    assertThat(harness.activities.sentSteps()).containsExactly("hello");
    assertThat(wf.view().status()).isEqualTo(JourneyStatus.PAUSED);
    assertThat(JourneyHarness.result(wf).status()).isEqualTo(JourneyStatus.COMPLETED);
    assertThat(harness.activities.sentSteps()).containsExactly("hello", "still-relevant");
    Duration when = Duration.between(Instant.parse("2026-05-05T09:00:00Z"), harness.activities.sent.get(1).at());
    assertThat(when).isBetween(Duration.ofDays(30), Duration.ofDays(30).plusHours(1));
    assertThat(harness.activities.transitionKinds()).contains("sales_not_now", "not_now_over");
  }
}
