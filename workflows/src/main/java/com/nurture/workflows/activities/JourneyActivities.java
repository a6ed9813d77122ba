package com.nurture.workflows.activities;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** The journey's business record in PostgreSQL. Every method is idempotent. */
@ActivityInterface
public interface JourneyActivities {
  @ActivityMethod(name = "RecordTransition")
  void recordTransition(JourneyTransition transition);

  /** Puts the lead's address on the global suppression list. */
  @ActivityMethod(name = "Suppress")
  void suppress(String leadId, String reason);

  @ActivityMethod(name = "RaiseAlert")
  void raiseAlert(OperatorAlert alert);
}
