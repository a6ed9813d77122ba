package com.nurture.workflows.program;

import com.nurture.workflows.condition.Condition;
import java.util.List;

/** Goes to the step of the first case whose condition holds, else to {@code otherwise} (empty: next step). */
public record BranchStep(String id, List<Case> cases, String otherwise) implements Step {
  public record Case(Condition when, String then) {}

  public BranchStep {
    cases = List.copyOf(cases);
  }
}
