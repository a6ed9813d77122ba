package com.nurture.api.core;

import com.nurture.activities.db.JourneyRow;
import com.nurture.workflows.journey.JourneyRules;
import com.nurture.workflows.journey.JourneyStatus;
import com.nurture.workflows.program.Program;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A migration's dry run: which journeys on one version would move to another and which would be
 * refused, and why. Decided from the journeys mirror (status and current step) by the rule the
 * workflow applies when it is asked to migrate ({@link JourneyRules#migrationRejection}), so the
 * reasons are the ones the real migration gives. The mirror is as of each journey's last
 * transition: a journey that moves on between the dry run and the migration is judged again then.
 */
public final class MigrationPlan {
  private MigrationPlan() {}

  /**
   * @param running the version the journeys run
   * @param target the version they would move to
   * @param journeys the mirror rows of the journeys on {@code running}
   */
  public static JourneyCommands.Migration of(Program running, Program target, List<JourneyRow> journeys) {
    List<String> moving = new ArrayList<>();
    List<Map<String, String>> refused = new ArrayList<>();
    for (JourneyRow row : journeys) {
      String reason = refusal(running, target, row);
      if (reason.isEmpty()) {
        moving.add(row.leadId());
      } else {
        refused.add(Map.of("lead_id", row.leadId(), "reason", reason));
      }
    }
    return new JourneyCommands.Migration(target.ref(), moving, refused, true);
  }

  /** Why this journey would be refused, or "" when it would move. */
  static String refusal(Program running, Program target, JourneyRow row) {
    JourneyStatus status;
    try {
      status = JourneyStatus.valueOf(row.status());
    } catch (IllegalArgumentException e) {
      return "its status '" + row.status() + "' is unknown";
    }
    if (row.programVersion() != running.version() || !row.programId().equals(running.id())) {
      return "the journey runs " + row.programId() + "@" + row.programVersion() + ", not " + running.ref();
    }
    String step = row.currentStep() == null ? "" : row.currentStep();
    int index = step.isEmpty() ? running.steps().size() : running.indexOf(step);
    if (index < 0) {
      return "its current step '" + step + "' is not a step of " + running.ref();
    }
    return JourneyRules.migrationRejection(status, running, index, target).orElse("");
  }
}
