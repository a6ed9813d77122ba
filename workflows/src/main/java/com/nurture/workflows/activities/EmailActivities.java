package com.nurture.workflows.activities;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

@ActivityInterface
public interface EmailActivities {
  /** Renders and sends one email, exactly once per idempotency key, never to a suppressed address. */
  @ActivityMethod(name = "SendEmail")
  SendOutcome sendEmail(SendRequest request);

  /** Marks a send the journey gave up on as failed, with the reason (idempotent). */
  @ActivityMethod(name = "RecordSendFailed")
  void recordSendFailed(String idempotencyKey, String reason);
}
