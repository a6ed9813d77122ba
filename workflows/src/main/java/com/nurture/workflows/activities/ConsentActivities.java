package com.nurture.workflows.activities;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** Double opt-in: the confirmation email with its link. */
@ActivityInterface
public interface ConsentActivities {
  /**
   * Sends the lead the confirmation email once per journey (the same link and Message-ID on every
   * retry). Does nothing for a suppressed address (the journey then ends unconfirmed); throws while
   * SMTP refuses, so Temporal retries.
   */
  @ActivityMethod(name = "SendConfirmation")
  void sendConfirmation(ConfirmationRequest request);
}
