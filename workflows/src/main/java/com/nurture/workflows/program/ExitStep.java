package com.nurture.workflows.program;

/**
 * Ends the journey here with a reason: COMPLETED, or RECYCLED when {@code recycle} (kept for later
 * re-engagement, e.g. a lead who went silent).
 */
public record ExitStep(String id, String reason, boolean recycle) implements Step {
  public ExitStep(String id, String reason) {
    this(id, reason, false);
  }
}
