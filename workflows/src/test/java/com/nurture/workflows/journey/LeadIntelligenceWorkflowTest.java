package com.nurture.workflows.journey;

import static org.assertj.core.api.Assertions.assertThat;

import com.nurture.workflows.activities.JourneyTransition;
import com.nurture.workflows.program.Program;
import com.nurture.workflows.program.ProgramParser;
import com.nurture.workflows.scoring.ScoringModel;
import com.nurture.workflows.scoring.ScoringModelParser;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The second half of lead intelligence in the running workflow: touches and composite MQL
 * definitions, graduation at step boundaries, edge graduation after sales sends a lead back, track
 * moves when the quadrant changes, the quiet high-fit alert, inactivity during wait_for and the
 * owner email.
 */
class LeadIntelligenceWorkflowTest {
  private static final ProgramParser PARSER = new ProgramParser(t -> true);
  private static final Program NURTURE = GraduationWorkflowTest.NURTURE;
  /** The shipped model: 4 touches in 3 days, enterprise-pricing, quiet high fit after 21 days, the track matrix. */
  private static final ScoringModel SHIPPED = ScoringModelParser.parse(resource("nurture/scoring.yaml"));

  @RegisterExtension
  final JourneyHarness harness = new JourneyHarness(Instant.parse("2026-04-01T09:00:00Z"));

  private static String resource(String name) {
    try {
      return HistoryRecorder.resource(name);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private LeadJourneyWorkflow start(String lead, Map<String, Object> attributes, Program program, ScoringModel model) {
    JourneyInput input = JourneyInput.enrol(lead, attributes, program);
    input.state().withScoring(model);
    return harness.start(input);
  }

  private List<JourneyTransition> transitions(String lead, String kind) {
    return harness.activities.transitions.stream().filter(t -> t.leadId().equals(lead) && t.kind().equals(kind)).toList();
  }

  @Test
  void severalTouchesInAShortPeriodGraduateEvenWithALowScore() {
    LeadJourneyWorkflow wf = start("busy", Map.of(), NURTURE, SHIPPED);
    harness.sleep(Duration.ofHours(1));
    for (int i = 1; i <= 3; i++) {
      wf.event(harness.event("blog-" + i, EventType.PAGE_VISITED, Map.of("page", "blog")));
      wf.event(harness.event("open-" + i, EventType.EMAIL_OPENED));
      harness.sleep(Duration.ofHours(12));
    }
    assertThat(wf.view().status()).as("3 touches (opens do not count)").isEqualTo(JourneyStatus.ACTIVE);
    wf.event(harness.event("blog-4", EventType.PAGE_VISITED, Map.of("page", "blog")));
    harness.sleep(Duration.ofHours(1));

    assertThat(wf.view().status()).isEqualTo(JourneyStatus.HANDED_OFF);
    assertThat(wf.view().score().total()).as("far below the threshold").isLessThan(10);
    assertThat(transitions("busy", "handed_off")).singleElement().satisfies(t -> assertThat(t.detail())
        .containsEntry("priority", "high").containsEntry("reason", "4 touches within 3d"));
  }

  @Test
  void aCompositeMqlDefinitionGraduatesOnlyWhenEveryPartHolds() {
    ScoringModel composite = ScoringModelParser.parse("""
        fit:
          - { when: { attribute: employees, gte: 100 }, points: 20 }
        events:
          content_downloaded: 30
          page_visited: { by: page, values: { pricing: 5 }, points: 1 }
        mql_threshold: off
        velocity: { window: 7d, threshold: 1000 }
        mql_definitions:
          - name: enterprise-pricing
            when:
              all:
                - { score: total, gte: 100 }
                - { event_seen: { type: page_visited, where: { page: pricing } } }
                - { attribute: employees, gte: 100 }
        """);
    LeadJourneyWorkflow small = start("small", Map.of("employees", 50), NURTURE, composite);
    LeadJourneyWorkflow big = start("big", Map.of("employees", 500), NURTURE, composite);
    harness.sleep(Duration.ofHours(1));
    for (LeadJourneyWorkflow wf : List.of(small, big)) {
      for (int i = 1; i <= 3; i++) {
        wf.event(harness.event("dl-" + i, EventType.CONTENT_DOWNLOADED));
        harness.sleep(Duration.ofDays(4));
      }
    }
    assertThat(big.view().score().total()).isEqualTo(110);
    assertThat(big.view().status()).as("no pricing visit yet").isEqualTo(JourneyStatus.ACTIVE);
    small.event(harness.event("pricing", EventType.PAGE_VISITED, Map.of("page", "pricing")));
    big.event(harness.event("pricing", EventType.PAGE_VISITED, Map.of("page", "pricing")));
    harness.sleep(Duration.ofHours(1));

    assertThat(small.view().score().total()).as("score and pricing, but 50 employees").isEqualTo(95);
    assertThat(small.view().status()).isEqualTo(JourneyStatus.ACTIVE);
    assertThat(big.view().status()).isEqualTo(JourneyStatus.HANDED_OFF);
    assertThat(transitions("big", "handed_off")).singleElement().satisfies(t -> assertThat(t.detail())
        .containsEntry("reason", "MQL definition 'enterprise-pricing' holds").containsEntry("priority", "normal"));
  }

  @Test
  void aLeadSalesSentBackIsNotHandedOverAgainForTheSameReasonButIsForNewIntent() {
    LeadJourneyWorkflow wf = start("again", Map.of("employees", 250, "role", "VP", "industry", "software"), NURTURE, SHIPPED);
    harness.sleep(Duration.ofHours(1));
    wf.event(harness.event("form", EventType.FORM_SUBMITTED, Map.of("form", "newsletter")));
    harness.sleep(Duration.ofDays(8));
    wf.event(harness.event("webinar", EventType.WEBINAR_ATTENDED));
    harness.sleep(Duration.ofDays(8));
    wf.event(harness.event("case", EventType.CONTENT_DOWNLOADED, Map.of("asset_type", "case_study")));
    harness.sleep(Duration.ofHours(1));
    assertThat(wf.view().status()).isEqualTo(JourneyStatus.HANDED_OFF);
    assertThat(transitions("again", "handed_off")).singleElement().satisfies(t -> assertThat(t.detail())
        .containsEntry("reason", "score 72 >= MQL threshold 70"));
    wf.salesFeedback(new SalesFeedback(SalesFeedback.Outcome.REJECTED, Optional.empty(), "not yet", "sdr"));

    wf.event(harness.event("click", EventType.EMAIL_CLICKED));
    harness.sleep(Duration.ofDays(1));
    assertThat(wf.view().score().total()).as("still over the threshold").isGreaterThanOrEqualTo(70);
    assertThat(wf.view().status()).as("the threshold held already: no second hand-off").isEqualTo(JourneyStatus.ACTIVE);

    wf.event(harness.event("demo", EventType.DEMO_REQUESTED));
    harness.sleep(Duration.ofHours(1));
    assertThat(wf.view().status()).isEqualTo(JourneyStatus.HANDED_OFF);
    assertThat(transitions("again", "handed_off")).hasSize(2).last().satisfies(t -> assertThat((String) t.detail().get("reason"))
        .startsWith("high-intent action: demo_requested"));
  }

  @Test
  void earlierBehaviourCountsAndTheRulesAreCheckedAtTheFirstStepBeforeAnyEmail() {
    JourneyInput input = JourneyInput.enrol("known", Map.of("employees", 250, "role", "VP", "industry", "software"), NURTURE);
    Instant before = harness.now().minus(Duration.ofDays(10));
    input.state().withScoring(SHIPPED).withHistory(List.of(
        new LeadEvent("old-1", EventType.CONTENT_DOWNLOADED, before, Map.of("asset_type", "case_study")),
        new LeadEvent("old-2", EventType.WEBINAR_ATTENDED, before.plus(Duration.ofDays(1)), Map.of()),
        new LeadEvent("old-3", EventType.FORM_SUBMITTED, before.plus(Duration.ofDays(9)), Map.of("form", "newsletter"))));
    LeadJourneyWorkflow wf = harness.start(input);
    harness.sleep(Duration.ofHours(1));

    assertThat(wf.view().score().total()).isEqualTo(72);
    assertThat(wf.view().status()).isEqualTo(JourneyStatus.HANDED_OFF);
    assertThat(harness.activities.sent).as("an MQL already: no nurture email").isEmpty();
    assertThat(transitions("known", "handed_off")).singleElement().satisfies(t -> assertThat(t.detail())
        .containsEntry("reason", "score 72 >= MQL threshold 70"));
  }

  @Test
  void aLeadWhoseQuadrantChangesMovesToItsTrackAtTheNextStepBoundary() {
    Program education = PARSER.parse("""
        id: product-education
        send_policy: none
        steps:
          - { id: lesson-1, send: lesson-1 }
          - { id: week-1, wait: 7d }
          - { id: lesson-2, send: lesson-2 }
          - { id: week-2, wait: 7d }
          - { id: lesson-3, send: lesson-3 }
        """, 3);
    harness.activities.catalog.put("onboarding", PARSER.parse("""
        id: onboarding
        send_policy: none
        steps:
          - { id: welcome, send: welcome }
          - { id: later, wait: 3d }
          - { id: problem, send: problem }
        """, 2));
    JourneyInput input = JourneyInput.enrol("mover", Map.of("employees", 150), education);
    input.state().withScoring(SHIPPED).withAssignedTrack("product-education", "medium/low");
    LeadJourneyWorkflow wf = harness.start(input);
    harness.sleep(Duration.ofDays(1));
    wf.event(harness.event("w-1", EventType.WEBINAR_ATTENDED));
    harness.sleep(Duration.ofHours(1));
    assertThat(wf.view().score().engagement()).isEqualTo(16);
    assertThat(wf.view().programId()).as("mid-wait: not a step boundary").isEqualTo("product-education");

    harness.sleep(Duration.ofDays(7));
    assertThat(wf.view().programId()).isEqualTo("onboarding");
    assertThat(harness.activities.sentSteps()).containsExactly("lesson-1", "welcome");
    assertThat(transitions("mover", "reassigned")).singleElement().satisfies(t -> assertThat(t.detail())
        .containsEntry("from", "product-education@3").containsEntry("to", "onboarding@2")
        .containsEntry("from_quadrant", "medium/low").containsEntry("to_quadrant", "medium/medium"));

    wf.event(harness.event("w-2", EventType.WEBINAR_ATTENDED));
    harness.sleep(Duration.ofDays(3));
    assertThat(wf.view().score().engagement()).isEqualTo(32);
    assertThat(harness.activities.sentSteps()).as("medium/high is the same track: it stays")
        .containsExactly("lesson-1", "welcome", "problem");
    assertThat(transitions("mover", "quadrant_changed")).singleElement().satisfies(t -> assertThat(t.detail())
        .containsEntry("from", "medium/medium").containsEntry("to", "medium/high").containsEntry("moved", false));
  }

  @Test
  void aHighFitLeadThatGoesQuietRaisesOneAlertPerQuietPeriod() {
    LeadJourneyWorkflow wf = start("quiet", Map.of("employees", 250, "role", "VP", "industry", "software"), NURTURE, SHIPPED);
    LeadJourneyWorkflow low = start("low-fit", Map.of(), NURTURE, SHIPPED);
    harness.sleep(Duration.ofDays(22));
    assertThat(harness.activities.alerts).filteredOn(a -> a.kind().equals("quiet_high_fit"))
        .extracting(a -> a.leadId()).containsExactly("quiet");
    wf.event(harness.event("click", EventType.EMAIL_CLICKED));
    harness.sleep(Duration.ofDays(20));
    assertThat(harness.activities.alerts).filteredOn(a -> a.kind().equals("quiet_high_fit")).hasSize(1);
    harness.sleep(Duration.ofDays(2));
    assertThat(harness.activities.alerts).filteredOn(a -> a.kind().equals("quiet_high_fit")).hasSize(2)
        .extracting(a -> a.dedupeKey()).doesNotHaveDuplicates();
    assertThat(low.view().status()).isEqualTo(JourneyStatus.ACTIVE);
    assertThat(transitions("quiet", "quiet_high_fit")).hasSize(2);
    assertThat(harness.activities.tasks).as("each is a task for sales too").extracting(a -> a.kind())
        .containsExactly("quiet_high_fit", "quiet_high_fit");
  }

  @Test
  void noEngagementRecyclesDuringALongWaitForToo() {
    Program waiting = PARSER.parse("""
        id: waiting
        send_policy: none
        steps:
          - { id: hello, send: hello }
          - id: reacted
            wait_for: { any: [ { event: demo_requested } ], timeout: 365d }
            on_timeout: bye
          - { id: bye, send: bye }
        """, 1);
    LeadJourneyWorkflow wf = start("silent", Map.of(), waiting, SHIPPED);
    harness.sleep(Duration.ofDays(181));
    JourneyView v = wf.view();
    assertThat(v.status()).isEqualTo(JourneyStatus.RECYCLED);
    assertThat(v.exitReason()).contains("no engagement for 180d");
    assertThat(harness.activities.sentSteps()).containsExactly("hello");
  }

  @Test
  void theLeadsOwnerIsToldAboutEachHandOff() {
    LeadJourneyWorkflow wf = start("owned", Map.of(), NURTURE, SHIPPED);
    harness.sleep(Duration.ofHours(1));
    wf.event(harness.event("demo", EventType.DEMO_REQUESTED));
    harness.sleep(Duration.ofHours(1));
    assertThat(wf.view().status()).isEqualTo(JourneyStatus.HANDED_OFF);
    assertThat(harness.activities.ownersNotified).singleElement()
        .satisfies(h -> assertThat(h.key()).isEqualTo(harness.activities.handOffs.get(0).key()));
  }

  @Test
  void aLeadSalesRejectsCanGoOnToAConfiguredTrack() {
    ScoringModel model = ScoringModelParser.parse(resource("nurture/scoring.yaml")
        .replace("after_rejection: resume", "after_rejection: product-education"));
    harness.activities.catalog.put("product-education", PARSER.parse("""
        id: product-education
        send_policy: none
        steps:
          - { id: lesson-1, send: lesson-1 }
          - { id: week-1, wait: 7d }
        """, 4));
    LeadJourneyWorkflow wf = start("rejected", Map.of(), NURTURE, model);
    harness.sleep(Duration.ofHours(1));
    wf.event(harness.event("demo", EventType.DEMO_REQUESTED));
    harness.sleep(Duration.ofHours(1));
    wf.salesFeedback(new SalesFeedback(SalesFeedback.Outcome.REJECTED, Optional.empty(), "no budget", "sdr"));
    harness.sleep(Duration.ofHours(1));

    assertThat(wf.view().programId()).isEqualTo("product-education");
    assertThat(harness.activities.sentSteps()).containsExactly("hello", "lesson-1");
    assertThat(transitions("rejected", "switched")).singleElement().satisfies(t -> assertThat(t.detail())
        .containsEntry("from", "nurture@1").containsEntry("to", "product-education@4"));
  }
}
