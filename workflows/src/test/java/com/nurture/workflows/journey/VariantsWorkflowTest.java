package com.nurture.workflows.journey;

import static org.assertj.core.api.Assertions.assertThat;

import com.nurture.workflows.program.Program;
import com.nurture.workflows.program.ProgramParser;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Sticky A/B variants and the holdout group, as journeys assign them. */
class VariantsWorkflowTest {
  private static final ProgramParser PARSER = new ProgramParser(t -> true);
  @RegisterExtension
  final JourneyHarness harness = new JourneyHarness();


  private JourneyResult run(String leadId, Program program) {
    return harness.run(leadId, program);
  }

  @Test
  void eachLeadGetsOneVariantEveryTimeAndLeadsSpreadEvenly() {
    Program ab = PARSER.parse("""
        id: ab
        send_policy: none
        steps:
          - id: case-study
            send:
              template: case-study
              variants: [ { id: a, subject: "Subject A" }, { id: b, subject: "Subject B", template: case-study-short } ]
          - { id: pause, wait: 1h }
          - { id: again, goto: case-study-2 }
          - id: case-study-2
            send: { template: case-study, variants: [ { id: a, subject: "A2" }, { id: b, subject: "B2" } ] }
        """, 1);
    List<String> leads = IntStream.range(0, 60).mapToObj(i -> "ab-" + i).toList();
    leads.forEach(l -> run(l, ab));

    Map<String, Integer> counts = new HashMap<>();
    for (String lead : leads) {
      List<RecordingActivities.Sent> mine = harness.activities.sent.stream().filter(s -> s.request().leadId().equals(lead)).toList();
      String first = mine.get(0).request().variant();
      counts.merge(first, 1, Integer::sum);
      assertThat(mine.get(0).request().subject()).isEqualTo(first.equals("a") ? "Subject A" : "Subject B");
      assertThat(mine.get(0).request().template()).isEqualTo(first.equals("a") ? "case-study" : "case-study-short");
      assertThat(Assignment.bucket(lead, "ab/case-study", 2)).as("the same on every run").isEqualTo(first.equals("a") ? 0 : 1);
    }
    assertThat(counts.get("a")).isBetween(18, 42);
    assertThat(counts.get("b")).isBetween(18, 42);
    assertThat(harness.activities.transitions).filteredOn(t -> t.kind().equals("email_sent"))
        .allSatisfy(t -> assertThat(t.detail()).containsKey("variant"));
  }

  @Test
  void theHoldoutGroupRunsTheJourneyButIsNeverSentTo() {
    Program held = PARSER.parse("""
        id: held
        send_policy: none
        holdout_percent: 30
        steps:
          - { id: one, send: one }
          - { id: pause, wait: 1d }
          - { id: two, send: two }
        """, 1);
    List<String> leads = IntStream.range(0, 40).mapToObj(i -> "held-" + i).toList();
    leads.forEach(l -> assertThat(run(l, held).status()).isEqualTo(JourneyStatus.COMPLETED));
    long heldLeads = leads.stream().filter(l -> Assignment.heldOut(l, "held", 30)).count();
    assertThat(heldLeads).isBetween(4L, 20L);
    assertThat(harness.activities.heldOut).hasSize((int) heldLeads * 2);
    assertThat(harness.activities.sent).hasSize((int) (leads.size() - heldLeads) * 2);
    assertThat(harness.activities.sent).noneMatch(s -> Assignment.heldOut(s.request().leadId(), "held", 30));
    assertThat(harness.activities.transitionKinds()).contains("email_held_out");
  }
}
