package com.nurture.workflows.journey;

import static org.assertj.core.api.Assertions.assertThat;

import com.nurture.workflows.program.Program;
import com.nurture.workflows.program.ProgramParser;
import io.temporal.client.WorkflowStub;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** wait_for, branch, handoff, goto, exit and on_complete, interpreted by the journey over simulated days. */
class StepKindsWorkflowTest {
  private static final ProgramParser PARSER = new ProgramParser(t -> true);
  private static final Program WHITEPAPER = PARSER.parse("""
      id: whitepaper
      send_policy: none
      steps:
        - { id: thanks, send: wp-thanks }
        - { id: pause, wait: 3d }
        - { id: case-study, send: case-study }
        - id: engaged
          wait_for:
            any: [ { event: email_clicked, step: case-study }, { event: page_visited, page: pricing } ]
            timeout: 4d
          on_event: hand-off
          on_timeout: invite
        - { id: invite, send: consultation-invite }
        - { id: bye, exit: { reason: followed up } }
        - id: hand-off
          handoff: { reason: whitepaper-engaged }
        - { id: after-sales, send: after-sales }
      """, 1);

  @RegisterExtension
  final JourneyHarness harness = new JourneyHarness();


  private LeadJourneyWorkflow start(String leadId, Map<String, Object> attributes, Program program) {
    return harness.start(leadId, attributes, program);
  }

  private LeadEvent event(String id, EventType type, Map<String, Object> properties) {
    return new LeadEvent(id, type, Instant.ofEpochMilli(harness.env.currentTimeMillis()), properties);
  }

  @Test
  void aClickOnTheCaseStudyHandsTheLeadToSales() {
    LeadJourneyWorkflow wf = start("wp-1", Map.of(), WHITEPAPER);
    harness.env.sleep(Duration.ofDays(3).plusHours(1));
    assertThat(harness.activities.sentSteps()).containsExactly("thanks", "case-study");

    wf.event(event("c-0", EventType.EMAIL_CLICKED, Map.of("step", "thanks")));   // another email: does not count
    harness.env.sleep(Duration.ofHours(1));
    assertThat(wf.view().currentStep()).isEqualTo("engaged");
    String caseStudyMessage = harness.activities.sent.get(1).request().idempotencyKey();
    wf.event(event("c-1", EventType.EMAIL_CLICKED, Map.of("message_id", "<" + caseStudyMessage + ">")));
    harness.env.sleep(Duration.ofHours(1));

    JourneyView v = wf.view();
    assertThat(v.status()).isEqualTo(JourneyStatus.HANDED_OFF);
    assertThat(v.currentStep()).isEqualTo("after-sales");
    assertThat(harness.activities.alerts).extracting(OperatorAlertKind::of).containsExactly("handoff");
    assertThat(harness.activities.transitionKinds()).contains("waiting_for", "wait_for_met", "handed_off");

    harness.env.sleep(Duration.ofDays(10));
    assertThat(harness.activities.sentSteps()).as("nothing is sent while sales has the lead").containsExactly("thanks", "case-study");
    wf.command(new JourneyCommand(JourneyCommand.Kind.RESUME, "sales said not yet", "sdr"));
    assertThat(WorkflowStub.fromTyped(wf).getResult(JourneyResult.class).status()).isEqualTo(JourneyStatus.COMPLETED);
    assertThat(harness.activities.sentSteps()).containsExactly("thanks", "case-study", "after-sales");
  }

  @Test
  void withoutAReactionTheTimeoutPathRuns() {
    Instant t0 = Instant.ofEpochMilli(harness.env.currentTimeMillis());
    LeadJourneyWorkflow wf = start("wp-2", Map.of(), WHITEPAPER);
    JourneyResult result = WorkflowStub.fromTyped(wf).getResult(JourneyResult.class);
    assertThat(result.status()).isEqualTo(JourneyStatus.COMPLETED);
    assertThat(result.reason()).isEqualTo("followed up");
    assertThat(harness.activities.sentSteps()).containsExactly("thanks", "case-study", "invite");
    assertThat(Duration.between(t0, harness.activities.sent.get(2).at()).toDays()).isEqualTo(7);
    assertThat(harness.activities.transitionKinds()).contains("wait_for_timeout", "exited");
  }

  @Test
  void branchesOnAttributesAndEventsSeenAndLoopsWithAWait() {
    Program webinar = PARSER.parse("""
        id: webinar
        send_policy: none
        steps:
          - id: route
            branch:
              - when: { event_seen: { type: webinar_attended } }
                goto: attended
              - when: { attribute: industry, eq: manufacturing }
                goto: absent-industry
              - else: absent
          - { id: attended, send: thanks-attended }
          - { id: done-attended, exit: attended }
          - { id: absent-industry, send: recording-manufacturing }
          - { id: absent, send: recording }
          - { id: later, wait: 7d }
          - id: check
            branch:
              - when: { event_seen: { type: webinar_registered, within: 8d } }
                goto: registered
              - else: absent
          - { id: registered, exit: registered again }
        on_complete: { then: recycle }
        """, 1);

    start("web-1", Map.of("industry", "Manufacturing"), webinar);
    LeadJourneyWorkflow second = start("web-2", Map.of("industry", "retail"), webinar);
    harness.env.sleep(Duration.ofDays(7).plusHours(1));
    second.event(event("reg", EventType.WEBINAR_REGISTERED, Map.of()));
    harness.env.sleep(Duration.ofDays(8));

    assertThat(harness.activities.sent).filteredOn(s -> s.request().leadId().equals("web-1"))
        .extracting(s -> s.request().stepId()).startsWith("absent-industry", "absent", "absent");
    assertThat(harness.activities.sent).filteredOn(s -> s.request().leadId().equals("web-2"))
        .extracting(s -> s.request().stepId()).containsExactly("absent", "absent");
    assertThat(harness.activities.sent).filteredOn(s -> s.request().leadId().equals("web-2"))
        .extracting(s -> s.request().occurrence()).containsExactly(1, 2);
    assertThat(WorkflowStub.fromTyped(second).getResult(JourneyResult.class).reason()).isEqualTo("registered again");
  }

  @Test
  void onCompleteStartsTheNextProgramOrRecycles() {
    harness.activities.catalog.put("education", PARSER.parse("""
        id: education
        send_policy: none
        steps: [ { id: lesson-1, send: lesson-1 } ]
        on_complete: { then: recycle }
        """, 3));
    Program first = PARSER.parse("""
        id: first
        send_policy: none
        steps: [ { id: hello, send: hello } ]
        on_complete: { start: education }
        """, 1);
    LeadJourneyWorkflow wf = start("chain-1", Map.of(), first);
    JourneyResult result = WorkflowStub.fromTyped(wf).getResult(JourneyResult.class);
    assertThat(result.status()).isEqualTo(JourneyStatus.RECYCLED);
    assertThat(harness.activities.sent).extracting(s -> s.request().programId() + "@" + s.request().programVersion() + "/"
        + s.request().stepId()).containsExactly("first@1/hello", "education@3/lesson-1");
    assertThat(harness.activities.transitionKinds()).contains("switched", "recycled");
  }

  /** Reads an alert's kind (a tiny adapter so the assertion above reads as a list of kinds). */
  private static final class OperatorAlertKind {
    static String of(com.nurture.workflows.activities.OperatorAlert a) {
      return a.kind();
    }
  }
}
