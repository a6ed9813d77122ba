package com.nurture.workflows.journey;

import io.temporal.workflow.Workflow;
import java.util.HashMap;
import java.util.Map;

/**
 * Whether this run has the behaviour a change id guards ({@link ChangeIds}): the only place the
 * workflow calls {@code Workflow.getVersion}, for the legacy engine and the shell alike. The marker
 * is recorded the first time a run asks; the answer is kept for the rest of the run.
 */
final class ChangeVersions {
  private final Map<String, Boolean> answers = new HashMap<>();

  boolean has(String changeId) {
    Boolean on = answers.get(changeId);
    if (on == null) {
      on = Workflow.getVersion(changeId, Workflow.DEFAULT_VERSION, 1) >= 1;
      answers.put(changeId, on);
    }
    return on;
  }
}
