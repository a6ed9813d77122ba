package com.nurture.workflows.journey;

import static org.assertj.core.api.Assertions.assertThat;

import com.nurture.workflows.program.Program;
import com.nurture.workflows.program.ProgramParser;
import io.temporal.client.WorkflowStub;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A triggered program of higher priority pre-empts the running one, which then resumes where it was. */
class TrackSwitchingWorkflowTest {
  private static final ProgramParser PARSER = new ProgramParser(t -> true);
  private static final Program NURTURE = PARSER.parse("""
      id: nurture
      priority: 10
      send_policy: none
      steps:
        - { id: a, send: a }
        - { id: long-wait, wait: 10d }
        - { id: b, send: b }
      """, 1);
  private static final Program PRICING = PARSER.parse("""
      id: pricing
      priority: 50
      send_policy: none
      trigger: { event: page_visited, where: { page: pricing } }
      steps:
        - { id: explainer, send: pricing-explainer }
        - { id: settle, wait: 1d }
        - { id: follow-up, send: pricing-follow-up }
      on_complete: resume_previous
      """, 2);
  /** Triggered by a pricing visit, for competitors only: outside the test leads' audience. */
  private static final Program RIVALS_ONLY = PARSER.parse("""
      id: rivals-only
      priority: 90
      send_policy: none
      trigger: { event: page_visited, where: { page: pricing } }
      audience: { attribute: industry, eq: competitor }
      steps: [ { id: r, send: r } ]
      """, 1);
  private static final Program NEWSLETTER = PARSER.parse("""
      id: newsletter
      priority: 5
      steps: [ { id: n, send: n } ]
      """, 1);

  @RegisterExtension
  final JourneyHarness harness = new JourneyHarness();


  @Test
  void preemptsThenResumesTheEarlierProgramWithItsRemainingWait() {
    Instant t0 = Instant.ofEpochMilli(harness.env.currentTimeMillis());
    LeadJourneyWorkflow wf = harness.start(JourneyInput.enrol("switch-1", NURTURE));
    harness.env.sleep(Duration.ofDays(3));

    wf.offer(new TrackOffer("evt-low", NEWSLETTER, "newsletter signup"));
    wf.offer(new TrackOffer("evt-pricing", PRICING, "page_visited pricing"));
    wf.offer(new TrackOffer("evt-pricing", PRICING, "page_visited pricing"));   // the same offer again: once
    harness.env.sleep(Duration.ofHours(1));
    assertThat(wf.view().programId()).isEqualTo("pricing");
    assertThat(harness.activities.sentSteps()).containsExactly("a", "explainer");

    JourneyResult result = WorkflowStub.fromTyped(wf).getResult(JourneyResult.class);
    assertThat(result.status()).isEqualTo(JourneyStatus.COMPLETED);
    assertThat(harness.activities.sentSteps()).containsExactly("a", "explainer", "follow-up", "b");
    assertThat(harness.activities.sent).extracting(s -> s.request().programId() + "@" + s.request().programVersion())
        .containsExactly("nurture@1", "pricing@2", "pricing@2", "nurture@1");
    // The 10-day wait had 7 days left when pricing took over (for 1 day): those 7 run after it,
    // so b goes on day 11, not day 14 (restarted) nor day 10 (the wait ran on underneath).
    // Two activities' clock readings, with real milliseconds in them (HumanInTheLoopWorkflowTest): a minute either way.
    Duration aToB = Duration.between(harness.activities.sent.get(0).at(), harness.activities.sent.get(3).at());
    assertThat(aToB).isBetween(Duration.ofDays(11).minusMinutes(1), Duration.ofDays(11).plusMinutes(1));
    assertThat(Duration.between(t0, harness.activities.sent.get(1).at())).isBetween(Duration.ofDays(3), Duration.ofDays(3).plusMinutes(1));

    assertThat(harness.activities.transitionKinds()).containsSubsequence("trigger_recorded", "preempted", "resumed_previous", "completed");
    assertThat(harness.activities.transitionKinds().stream().filter("preempted"::equals)).hasSize(1);
    assertThat(harness.activities.transitions).filteredOn(t -> t.kind().equals("trigger_recorded")).singleElement()
        .satisfies(t -> assertThat(t.detail()).containsEntry("program", "newsletter@1"));
  }

  @Test
  void oneSignalCarriesTheEventAndTheProgramsItTriggersAndTheJourneyDecides() {
    LeadJourneyWorkflow wf = harness.start("deliver-1", java.util.Map.of("industry", "logistics"), NURTURE);
    harness.env.sleep(Duration.ofDays(2));
    LeadEvent visit = harness.event("visit-1", EventType.PAGE_VISITED, java.util.Map.of("page", "pricing"));
    wf.deliver(new EventDelivery(visit, java.util.List.of(RIVALS_ONLY, PRICING)));
    wf.deliver(new EventDelivery(visit, java.util.List.of(RIVALS_ONLY, PRICING)));   // a repeat: ignored
    harness.env.sleep(Duration.ofHours(1));

    assertThat(wf.view().programId()).isEqualTo("pricing");
    assertThat(harness.activities.sentSteps()).containsExactly("a", "explainer");
    assertThat(harness.activities.transitions).filteredOn(t -> t.kind().equals("trigger_recorded")).singleElement()
        .satisfies(t -> assertThat(t.detail()).containsEntry("program", "rivals-only@1")
            .containsEntry("why", "the lead is outside the program's audience"));
    assertThat(harness.activities.transitionKinds().stream().filter("preempted"::equals)).hasSize(1);
  }

  @Test
  void oneSignalCarriesSeveralEventsOfTheLeadEachTakenAsItsOwnDelivery() {
    LeadJourneyWorkflow wf = harness.start("deliver-all-1", java.util.Map.of("industry", "logistics"), NURTURE);
    harness.env.sleep(Duration.ofDays(2));
    LeadEvent blog = harness.event("blog-1", EventType.PAGE_VISITED, java.util.Map.of("page", "blog"));
    LeadEvent visit = harness.event("visit-1", EventType.PAGE_VISITED, java.util.Map.of("page", "pricing"));
    LeadEvent other = harness.event("visit-2", EventType.PAGE_VISITED, java.util.Map.of("page", "pricing"));
    wf.deliverAll(new EventDeliveries(java.util.List.of(new EventDelivery(blog, java.util.List.of()),
        new EventDelivery(visit, java.util.List.of(RIVALS_ONLY, PRICING)),
        new EventDelivery(visit, java.util.List.of(RIVALS_ONLY, PRICING)),       // a repeat in the same signal: ignored
        new EventDelivery(other, java.util.List.of(RIVALS_ONLY)))));            // another event: its own offer
    harness.env.sleep(Duration.ofHours(1));

    assertThat(wf.view().programId()).isEqualTo("pricing");
    assertThat(harness.activities.sentSteps()).containsExactly("a", "explainer");
    assertThat(harness.activities.transitionKinds().stream().filter("preempted"::equals)).hasSize(1);
    assertThat(harness.activities.transitions).filteredOn(t -> t.kind().equals("trigger_recorded"))
        .extracting(t -> t.detail().get("program")).containsExactly("rivals-only@1", "rivals-only@1");
  }
}
