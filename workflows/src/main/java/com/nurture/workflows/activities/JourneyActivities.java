package com.nurture.workflows.activities;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** The journey's business record in PostgreSQL. Every method is idempotent. */
@ActivityInterface
public interface JourneyActivities {
  @ActivityMethod(name = "RecordTransition")
  void recordTransition(JourneyTransition transition);

  /** Several transitions in one write, in order (one local activity instead of one each). */
  @ActivityMethod(name = "RecordTransitions")
  void recordTransitions(java.util.List<JourneyTransition> transitions);

  /** Puts the lead's address on the global suppression list. */
  @ActivityMethod(name = "Suppress")
  void suppress(String leadId, String reason);

  @ActivityMethod(name = "RaiseAlert")
  void raiseAlert(OperatorAlert alert);
}
