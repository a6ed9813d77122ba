package com.nurture.workflows.journey;

import static org.assertj.core.api.Assertions.assertThat;

import com.nurture.workflows.activities.JourneyTransition;
import com.nurture.workflows.program.Program;
import com.nurture.workflows.program.ProgramParser;
import io.temporal.client.WorkflowStub;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A long-lived journey continues as new at step boundaries without losing an event or a timer. */
class ContinueAsNewWorkflowTest {
  private static final Program LONG = new ProgramParser(t -> true).parse("""
      id: long-life
      send_policy: none
      steps:
        - { id: first, send: first }
        - { id: sleep, wait: 5d }
        - { id: second, send: second }
        - id: all-three
          wait_for:
            all: [ { event: webinar_registered }, { event: webinar_attended }, { event: content_downloaded } ]
            timeout: 30d
          on_event: done-all
          on_timeout: gave-up
        - { id: gave-up, exit: timed out }
        - { id: done-all, send: done-all }
      """, 1);

  @RegisterExtension
  final JourneyHarness harness = new JourneyHarness();


  private LeadEvent event(String id, EventType type) {
    return new LeadEvent(id, type, Instant.ofEpochMilli(harness.env.currentTimeMillis()), Map.of());
  }

  @Test
  void noEventAndNoTimerIsLostAcrossRuns() {
    Instant t0 = Instant.ofEpochMilli(harness.env.currentTimeMillis());
    JourneyInput input = JourneyInput.enrol("long-1", LONG);
    input.state().withSettings(JourneySettings.DEFAULTS.withHistoryLimit(25));
    LeadJourneyWorkflow wf = harness.start(input);

    // Noise during the 5-day sleep pushes the history past the limit several times.
    for (int i = 0; i < 30; i++) {
      harness.env.sleep(Duration.ofHours(3));
      harness.deliver(wf, event("noise-" + i, EventType.PAGE_VISITED));
    }
    harness.env.sleep(Duration.ofDays(2));
    harness.deliver(wf, event("reg", EventType.WEBINAR_REGISTERED));
    for (int i = 0; i < 12; i++) {
      harness.env.sleep(Duration.ofHours(1));
      harness.deliver(wf, event("more-noise-" + i, EventType.EMAIL_OPENED));
    }
    harness.deliver(wf, event("att", EventType.WEBINAR_ATTENDED));
    harness.deliver(wf, event("att", EventType.WEBINAR_ATTENDED));          // a duplicate stays a duplicate across runs
    harness.env.sleep(Duration.ofHours(2));
    harness.deliver(wf, event("dl", EventType.CONTENT_DOWNLOADED));

    JourneyResult result = WorkflowStub.fromTyped(wf).getResult(JourneyResult.class);
    assertThat(result.status()).isEqualTo(JourneyStatus.COMPLETED);
    assertThat(harness.activities.sentSteps()).containsExactly("first", "second", "done-all");
    // The 5-day timer survived the runs it crossed: second went on day 5.
    assertThat(Duration.between(t0, harness.activities.sent.get(1).at())).isBetween(Duration.ofDays(5), Duration.ofDays(5).plusMinutes(1));
    assertThat(harness.activities.transitions.stream().map(JourneyTransition::runId).distinct().count())
        .as("the journey ran in several runs").isGreaterThan(2);
    assertThat(harness.activities.sent).extracting(s -> s.request().journeyKey()).as("one journey key across runs").containsOnly(
        harness.activities.sent.get(0).request().journeyKey());
    // Local activities run at least once (a retried workflow task repeats them); the recorder
    // dedupes by key. What matters: one sequence of keys across every run, with no gap.
    List<Long> seqs = harness.activities.transitions.stream().map(t -> t.dedupeKey())
        .map(k -> Long.parseLong(k.substring(k.lastIndexOf('/') + 1))).distinct().sorted().toList();
    assertThat(seqs).isEqualTo(LongStream.range(0, seqs.size()).boxed().toList());
    assertThat(harness.activities.transitions).extracting(t -> t.dedupeKey().substring(0, t.dedupeKey().lastIndexOf('/')))
        .as("one journey key in every transition key").containsOnly(harness.activities.transitions.get(0).dedupeKey()
            .substring(0, harness.activities.transitions.get(0).dedupeKey().lastIndexOf('/')));
    assertThat(result.emailsSent()).isEqualTo(3);
  }

  @Test
  void aRunStartedBeforeTheCoreContinuesOnTheCoreWithItsWholeState() {
    Instant t0 = Instant.ofEpochMilli(harness.env.currentTimeMillis());
    JourneyInput input = JourneyInput.enrol("upgraded", LONG);
    input.state().onLegacyEngine().withSettings(JourneySettings.DEFAULTS.withHistoryLimit(25));
    LeadJourneyWorkflow wf = harness.start(input);
    for (int i = 0; i < 12; i++) {
      harness.env.sleep(Duration.ofHours(3));
      harness.deliver(wf, event("noise-" + i, EventType.PAGE_VISITED));
    }
    harness.env.sleep(Duration.ofDays(4));
    harness.deliver(wf, event("reg", EventType.WEBINAR_REGISTERED));
    harness.deliver(wf, event("att", EventType.WEBINAR_ATTENDED));
    harness.env.sleep(Duration.ofHours(1));
    harness.deliver(wf, event("dl", EventType.CONTENT_DOWNLOADED));

    JourneyResult result = WorkflowStub.fromTyped(wf).getResult(JourneyResult.class);
    assertThat(result.status()).isEqualTo(JourneyStatus.COMPLETED);
    assertThat(harness.activities.sentSteps()).containsExactly("first", "second", "done-all");
    assertThat(Duration.between(t0, harness.activities.sent.get(1).at()))
        .isBetween(Duration.ofDays(5), Duration.ofDays(5).plusMinutes(1));
    // The first run wrote from the legacy code, the last from the core: one unbroken sequence.
    List<Long> seqs = harness.activities.transitions.stream().map(t -> t.dedupeKey())
        .map(k -> Long.parseLong(k.substring(k.lastIndexOf('/') + 1))).distinct().sorted().toList();
    assertThat(seqs).isEqualTo(LongStream.range(0, seqs.size()).boxed().toList());
    assertThat(harness.activities.transitions.stream().map(JourneyTransition::runId).distinct().count()).isGreaterThan(1);
    assertThat(harness.activities.transitions).filteredOn(t -> t.kind().equals("enrolled")).hasSize(1);
  }
}
