package com.nurture.api.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.nurture.activities.db.JourneyRow;
import com.nurture.workflows.program.Program;
import com.nurture.workflows.program.ProgramParser;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MigrationPlanTest {
  private static final ProgramParser PARSER = new ProgramParser(template -> true);
  private static final Program V1 = PARSER.parse("""
      id: plan
      steps:
        - { id: hello, send: welcome }
        - { id: pause, wait: 3d }
        - { id: proof, send: proof }
        - { id: later, wait: 7d }
      """, 1);
  private static final Program V2 = PARSER.parse("""
      id: plan
      steps:
        - { id: hello, send: welcome }
        - { id: pause, wait: 3d }
        - { id: proof, send: proof-v2 }
      """, 2);

  private static JourneyRow row(String lead, String status, String step) {
    return new JourneyRow(lead, "lead-" + lead, "run", "plan", 1, status, step, Optional.empty(),
        Instant.parse("2026-11-01T00:00:00Z"), 0, Instant.parse("2026-11-02T00:00:00Z"));
  }

  @Test
  void aJourneyMovesWhenItsStepIsInTheTargetAndIsRefusedWithTheWorkflowsReasonOtherwise() {
    JourneyCommands.Migration plan = MigrationPlan.of(V1, V2, List.of(
        row("at-pause", "ACTIVE", "pause"),
        row("paused", "PAUSED", "proof"),
        row("at-later", "ACTIVE", "later"),
        row("finished", "ACTIVE", "")));

    assertThat(plan.dryRun()).isTrue();
    assertThat(plan.to()).isEqualTo("plan@2");
    assertThat(plan.migrated()).containsExactly("at-pause", "paused");
    assertThat(plan.refused()).containsExactly(
        Map.of("lead_id", "at-later", "reason", "its current step 'later' does not exist in plan@2"),
        Map.of("lead_id", "finished", "reason", "the journey has finished its steps"));
  }

  @Test
  void endedJourneysTheSameVersionAndAStepTheRunningVersionDoesNotHaveAreRefused() {
    assertThat(MigrationPlan.refusal(V1, V2, row("done", "COMPLETED", "pause"))).isEqualTo("the journey has ended (COMPLETED)");
    assertThat(MigrationPlan.refusal(V1, V1, row("same", "ACTIVE", "pause"))).isEqualTo("the journey already runs plan@1");
    assertThat(MigrationPlan.refusal(V1, V2, row("odd", "ACTIVE", "gone"))).isEqualTo("its current step 'gone' is not a step of plan@1");
    assertThat(MigrationPlan.refusal(V2, V1, row("other", "ACTIVE", "pause"))).isEqualTo("the journey runs plan@1, not plan@2");
  }
}
