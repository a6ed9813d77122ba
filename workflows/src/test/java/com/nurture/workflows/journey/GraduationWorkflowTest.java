package com.nurture.workflows.journey;

import static org.assertj.core.api.Assertions.assertThat;

import com.nurture.workflows.activities.JourneyTransition;
import com.nurture.workflows.program.Program;
import com.nurture.workflows.program.ProgramParser;
import com.nurture.workflows.scoring.ScoringModel;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The journey scores every event and hands the lead to sales when a graduation rule fires. */
class GraduationWorkflowTest {
  /** One email, a 60-day wait, another: room for events to arrive while the journey waits. */
  static final Program NURTURE = new ProgramParser(t -> true).parse("""
      id: nurture
      send_policy: none
      steps:
        - { id: hello, send: hello }
        - { id: long, wait: 60d }
        - { id: after, send: after }
      """, 1);
  @RegisterExtension
  final JourneyHarness harness = new JourneyHarness(Instant.parse("2026-04-01T09:00:00Z"));
  private ScoringModel model;

  @BeforeEach
  void setUp() {
    model = com.nurture.workflows.scoring.ScoringModelParser.parse(
        uncheck(() -> HistoryRecorder.resource("nurture/scoring.yaml")));
  }

  private static String uncheck(java.util.concurrent.Callable<String> c) {
    try {
      return c.call();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void theGoldenWalkThroughHandsTheLeadToSalesAt83WithHighPriority() {
    JourneyInput input = JourneyInput.enrol("golden", Map.of("employees", "250", "role", "VP", "industry", "manufacturing"),
        NURTURE);
    input.state().withScoring(model);
    LeadJourneyWorkflow wf = harness.start(input);
    harness.sleep(Duration.ofHours(1));
    assertThat(wf.view().score().total()).isEqualTo(40);

    harness.sleep(Duration.ofDays(1));
    wf.event(harness.event("dl-1", EventType.CONTENT_DOWNLOADED, Map.of("asset_type", "case_study")));
    harness.sleep(Duration.ofDays(8));
    wf.event(harness.event("dl-2", EventType.CONTENT_DOWNLOADED, Map.of("asset_type", "case_study")));
    harness.sleep(Duration.ofHours(1));
    assertThat(wf.view().score().total()).isEqualTo(52);
    harness.sleep(Duration.ofDays(8));
    wf.event(harness.event("webinar", EventType.WEBINAR_ATTENDED));
    harness.sleep(Duration.ofHours(1));
    assertThat(wf.view().score().total()).isEqualTo(68);
    assertThat(wf.view().status()).isEqualTo(JourneyStatus.ACTIVE);
    harness.sleep(Duration.ofDays(3));
    wf.event(harness.event("pricing", EventType.PAGE_VISITED, Map.of("page", "pricing")));
    harness.sleep(Duration.ofHours(1));

    JourneyView v = wf.view();
    assertThat(v.status()).isEqualTo(JourneyStatus.HANDED_OFF);
    assertThat(v.score().total()).isEqualTo(83);
    JourneyTransition handoff = harness.activities.transitions.stream().filter(t -> t.kind().equals("handed_off"))
        .findFirst().orElseThrow();
    assertThat(handoff.detail()).containsEntry("priority", "high").containsEntry("score", 83);
    assertThat((String) handoff.detail().get("reason")).contains("high-intent action: page_visited")
        .contains("score 83 >= MQL threshold 70");
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> events = (List<Map<String, Object>>) handoff.detail().get("events");
    assertThat(events).extracting(e -> e.get("event_id")).containsExactly("dl-1", "dl-2", "webinar", "pricing");
    assertThat(harness.activities.alerts).extracting(a -> a.kind()).containsExactly("handoff");
    assertThat(harness.activities.transitionKinds().stream().filter("scored"::equals)).hasSize(4);
  }

  @Test
  void velocityGraduatesWithHighPriorityAndTheThresholdAloneWithNormalPriority() {
    JourneyInput fast = JourneyInput.enrol("fast", Map.of(), NURTURE);
    fast.state().withScoring(model);
    LeadJourneyWorkflow wf = harness.start(fast);
    harness.sleep(Duration.ofHours(1));
    wf.event(harness.event("w", EventType.WEBINAR_ATTENDED));
    wf.event(harness.event("f", EventType.FORM_SUBMITTED, Map.of("form", "newsletter")));
    harness.sleep(Duration.ofHours(1));
    assertThat(wf.view().status()).isEqualTo(JourneyStatus.HANDED_OFF);
    assertThat(harness.activities.transitions).filteredOn(t -> t.kind().equals("handed_off")).singleElement()
        .satisfies(t -> assertThat(t.detail()).containsEntry("priority", "high")
            .hasEntrySatisfying("reason", r -> assertThat((String) r).startsWith("score velocity 26")));

    JourneyInput fit = JourneyInput.enrol("fit", Map.of("employees", 500, "role", "founder", "industry", "software"),
        NURTURE);
    fit.state().withScoring(model);
    LeadJourneyWorkflow slow = harness.start(fit);
    harness.sleep(Duration.ofHours(1));
    assertThat(slow.view().score().fit()).isEqualTo(40);
    slow.event(harness.event("s-1", EventType.WEBINAR_ATTENDED));
    harness.sleep(Duration.ofDays(8));
    slow.event(harness.event("s-2", EventType.EMAIL_CLICKED));
    harness.sleep(Duration.ofDays(8));
    slow.event(harness.event("s-3", EventType.FORM_SUBMITTED, Map.of("form", "newsletter")));
    harness.sleep(Duration.ofDays(4));
    assertThat(slow.view().status()).as("69: not yet").isEqualTo(JourneyStatus.ACTIVE);
    slow.event(harness.event("s-4", EventType.EMAIL_CLICKED));
    harness.sleep(Duration.ofHours(1));
    assertThat(slow.view().score().total()).isEqualTo(72);
    assertThat(slow.view().status()).isEqualTo(JourneyStatus.HANDED_OFF);
    assertThat(harness.activities.transitions).filteredOn(t -> t.kind().equals("handed_off") && t.leadId().equals("fit"))
        .singleElement().satisfies(t -> assertThat(t.detail()).containsEntry("priority", "normal")
            .containsEntry("reason", "score 72 >= MQL threshold 70"));
  }

  private JourneyResult fastTracked(String lead, Map<String, Object> attributes, LeadEvent firstTouch) {
    JourneyInput input = JourneyInput.enrol(lead, attributes, NURTURE);
    input.state().withScoring(model);
    if (firstTouch != null) {
      input.startedBy(firstTouch);
    }
    LeadJourneyWorkflow wf = harness.start(input);
    harness.sleep(Duration.ofMinutes(10));
    assertThat(wf.view().status()).isEqualTo(JourneyStatus.HANDED_OFF);
    wf.salesFeedback(new SalesFeedback(SalesFeedback.Outcome.ACCEPTED, java.util.Optional.empty(), "", "sdr"));
    return JourneyHarness.result(wf);
  }

  @Test
  void hotLeadsSkipNurtureAndGoToSalesBeforeAnyEmail() {
    assertThat(fastTracked("review-site", Map.of("source", "G2"), null).status()).isEqualTo(JourneyStatus.GRADUATED);
    assertThat(fastTracked("perfect-fit", Map.of("employees", 5000, "role", "vp", "industry", "software",
        "source", "review-site"), null).status()).isEqualTo(JourneyStatus.GRADUATED);
    assertThat(fastTracked("demo-first", Map.of(), harness.event("d", EventType.DEMO_REQUESTED)).status())
        .isEqualTo(JourneyStatus.GRADUATED);
    assertThat(harness.activities.sent).as("no nurture email to a hot lead").isEmpty();
    assertThat(harness.activities.transitions).filteredOn(t -> t.kind().equals("handed_off"))
        .extracting(t -> (String) t.detail().get("reason"))
        .containsExactly("fast track: high-intent source G2",
            "fast track: fit 50 >= 50; fast track: high-intent source review-site",
            "fast track: demo_requested on first touch");
  }

  @Test
  void bouncesComplaintsAndDisqualificationEndTheJourney() {
    LeadJourneyWorkflow soft = harness.start("soft", NURTURE);
    LeadJourneyWorkflow hard = harness.start("hard", NURTURE);
    LeadJourneyWorkflow spam = harness.start("spam", NURTURE);
    LeadJourneyWorkflow student = harness.start("student", NURTURE);
    harness.sleep(Duration.ofHours(1));
    soft.event(harness.event("b1", EventType.BOUNCED, Map.of("hard", false)));
    hard.event(harness.event("b2", EventType.BOUNCED, Map.of("hard", true)));
    spam.event(harness.event("c1", EventType.COMPLAINED));
    student.event(harness.event("q1", EventType.DISQUALIFIED, Map.of("reason", "student")));
    harness.sleep(Duration.ofHours(1));
    assertThat(soft.view().status()).as("a soft bounce is only recorded").isEqualTo(JourneyStatus.ACTIVE);
    assertThat(JourneyHarness.result(hard).reason()).isEqualTo("hard bounce; the address is suppressed");
    assertThat(JourneyHarness.result(spam).status()).isEqualTo(JourneyStatus.UNSUBSCRIBED);
    JourneyResult disqualified = JourneyHarness.result(student);
    assertThat(disqualified.status()).isEqualTo(JourneyStatus.DISQUALIFIED);
    assertThat(disqualified.reason()).isEqualTo("student");
    assertThat(harness.activities.suppressedLeads).containsExactlyInAnyOrder("hard", "spam");
  }

  @Test
  void halfAYearWithoutEngagementRecyclesTheJourneyAndOpensDoNotCount() {
    Program longWait = new ProgramParser(t -> true).parse("""
        id: patient
        send_policy: none
        steps:
          - { id: hello, send: hello }
          - { id: very-long, wait: 300d }
          - { id: later, send: later }
        """, 1);
    Instant start = harness.now();
    LeadJourneyWorkflow quiet = harness.start("quiet", longWait);
    LeadJourneyWorkflow clicker = harness.start("clicker", longWait);
    harness.sleep(Duration.ofDays(100));
    quiet.event(harness.event("o", EventType.EMAIL_OPENED));
    clicker.event(harness.event("c", EventType.EMAIL_CLICKED));
    JourneyResult q = JourneyHarness.result(quiet);
    assertThat(q.status()).isEqualTo(JourneyStatus.RECYCLED);
    assertThat(q.reason()).isEqualTo("no engagement for 180d");
    Instant quietEnd = harness.activities.transitions.stream()
        .filter(t -> t.leadId().equals("quiet") && t.kind().equals("recycled")).findFirst().orElseThrow().at();
    assertThat(Duration.between(start, quietEnd)).isBetween(Duration.ofDays(180), Duration.ofDays(180).plusMinutes(1));
    JourneyResult c = JourneyHarness.result(clicker);
    assertThat(c.status()).isEqualTo(JourneyStatus.RECYCLED);
    Instant clickerEnd = harness.activities.transitions.stream()
        .filter(t -> t.leadId().equals("clicker") && t.kind().equals("recycled")).findFirst().orElseThrow().at();
    assertThat(Duration.between(start, clickerEnd)).as("180 days after the click on day 100")
        .isBetween(Duration.ofDays(280).minusMinutes(1), Duration.ofDays(280).plusMinutes(1));
    assertThat(harness.activities.sentSteps()).containsExactly("hello", "hello");
  }

  @Test
  void branchesReadTheLiveScore() {
    Program router = new ProgramParser(t -> true).parse("""
        id: router
        send_policy: none
        graduate: false
        steps:
          - { id: settle, wait: 1d }
          - id: route
            branch:
              - when: { all: [ { score: fit, gte: 40 }, { score: total, gte: 56 } ] }
                goto: warm
              - else: cold
          - { id: cold, exit: cold }
          - { id: warm, exit: warm }
        """, 1);
    JourneyInput input = JourneyInput.enrol("router", Map.of("employees", 250, "role", "vp", "industry", "software"), router);
    input.state().withScoring(model);
    LeadJourneyWorkflow wf = harness.start(input);
    harness.sleep(Duration.ofHours(2));
    wf.event(harness.event("w", EventType.WEBINAR_ATTENDED));
    assertThat(JourneyHarness.result(wf).reason()).isEqualTo("warm");
  }
}
