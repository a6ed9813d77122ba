package com.nurture.workflows.journey;

import static org.assertj.core.api.Assertions.assertThat;

import com.nurture.workflows.program.Program;
import com.nurture.workflows.program.ProgramParser;
import io.temporal.client.WorkflowClient;
import io.temporal.testing.TestWorkflowEnvironment;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Sticky A/B variants and the holdout group, as journeys assign them. */
class VariantsWorkflowTest {
  private static final ProgramParser PARSER = new ProgramParser(t -> true);
  private JourneyHarness harness;
  private TestWorkflowEnvironment env;
  private WorkflowClient client;
  private RecordingActivities activities;

  @BeforeEach
  void setUp() {
    harness = new JourneyHarness();
    env = harness.env;
    client = harness.client;
    activities = harness.activities;
  }

  @AfterEach
  void tearDown() {
    harness.close();
  }

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
      List<RecordingActivities.Sent> mine = activities.sent.stream().filter(s -> s.request().leadId().equals(lead)).toList();
      String first = mine.get(0).request().variant();
      counts.merge(first, 1, Integer::sum);
      assertThat(mine.get(0).request().subject()).isEqualTo(first.equals("a") ? "Subject A" : "Subject B");
      assertThat(mine.get(0).request().template()).isEqualTo(first.equals("a") ? "case-study" : "case-study-short");
      assertThat(Assignment.bucket(lead, "ab/case-study", 2)).as("the same on every run").isEqualTo(first.equals("a") ? 0 : 1);
    }
    assertThat(counts.get("a")).isBetween(18, 42);
    assertThat(counts.get("b")).isBetween(18, 42);
    assertThat(activities.transitions).filteredOn(t -> t.kind().equals("email_sent"))
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
    assertThat(activities.heldOut).hasSize((int) heldLeads * 2);
    assertThat(activities.sent).hasSize((int) (leads.size() - heldLeads) * 2);
    assertThat(activities.sent).noneMatch(s -> Assignment.heldOut(s.request().leadId(), "held", 30));
    assertThat(activities.transitionKinds()).contains("email_held_out");
  }
}
