package com.nurture.workflows.journey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nurture.workflows.program.Program;
import com.nurture.workflows.program.ProgramParser;
import io.temporal.client.WorkflowStub;
import io.temporal.client.WorkflowUpdateException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** An operator moves a journey in flight to a newer version of its program, by step id. */
class MigrationWorkflowTest {
  private static final ProgramParser PARSER = new ProgramParser(t -> true);
  private static final Program V1 = PARSER.parse("""
      id: course
      send_policy: none
      steps:
        - { id: one, send: one }
        - { id: pause, wait: 10d }
        - { id: two, send: two }
      """, 1);
  private static final Program V2 = PARSER.parse("""
      id: course
      send_policy: none
      steps:
        - { id: one, send: one }
        - { id: pause, wait: 10d }
        - { id: two, send: two-rewritten }
        - { id: extra, send: three }
      """, 2);
  private static final Program V3_WITHOUT_PAUSE = PARSER.parse("""
      id: course
      send_policy: none
      steps:
        - { id: one, send: one }
        - { id: two, send: two }
      """, 3);

  @RegisterExtension
  final JourneyHarness harness = new JourneyHarness();


  @Test
  void migratesAtTheSameStepKeepingThePendingWait() {
    LeadJourneyWorkflow wf = harness.start(JourneyInput.enrol("mig-1", V1));
    harness.env.sleep(Duration.ofDays(4));

    assertThatThrownBy(() -> wf.migrate(V3_WITHOUT_PAUSE)).isInstanceOf(WorkflowUpdateException.class)
        .rootCause().hasMessageContaining("its current step 'pause' does not exist in course@3");
    JourneyView migrated = wf.migrate(V2);
    assertThat(migrated.programVersion()).isEqualTo(2);
    assertThat(migrated.currentStep()).isEqualTo("pause");

    JourneyResult result = WorkflowStub.fromTyped(wf).getResult(JourneyResult.class);
    assertThat(result.status()).isEqualTo(JourneyStatus.COMPLETED);
    assertThat(harness.activities.sent).extracting(s -> s.request().template() + "@" + s.request().programVersion())
        .containsExactly("one@1", "two-rewritten@2", "three@2");
    Duration oneToTwo = Duration.between(harness.activities.sent.get(0).at(), harness.activities.sent.get(1).at());
    // Each send reads the clock as it runs: a local one a few milliseconds into the workflow task the wait began in.
    assertThat(oneToTwo).as("the 10-day wait was not restarted")
        .isBetween(Duration.ofDays(10).minusSeconds(1), Duration.ofDays(10).plusMinutes(1));
    assertThat(harness.activities.transitionKinds()).contains("migrated");
  }
}
