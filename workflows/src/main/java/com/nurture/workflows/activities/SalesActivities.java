package com.nurture.workflows.activities;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** The hand-off to sales: its record and the notification to the sales system. */
@ActivityInterface
public interface SalesActivities {
  /** Stores the hand-off (idempotent by key). */
  @ActivityMethod(name = "RecordHandOff")
  void recordHandOff(HandOff handOff);

  /**
   * Tells sales: a webhook signed per Standard Webhooks to the configured endpoint. Throws until the
   * endpoint accepts it, so Temporal retries with backoff until delivered; every attempt is logged.
   */
  @ActivityMethod(name = "NotifySales")
  void notifySales(HandOff handOff);

  /**
   * Tells sales a person must act (a reply, a quiet high-fit lead, competitor interest...): a
   * {@code lead.task_created} webhook, signed and retried like the hand-off's.
   */
  @ActivityMethod(name = "NotifyTask")
  void notifyTask(OperatorAlert alert);

  /**
   * Emails the lead's owner (the {@code owner_email} attribute, else the configured default) about
   * the hand-off, when owner emails are on. Does nothing when there is no owner; throws while SMTP
   * refuses, so Temporal retries. Sent once per hand-off.
   */
  @ActivityMethod(name = "NotifyOwner")
  void notifyOwner(HandOff handOff);

  /** Stores what sales said (accepted, rejected, not_now) on the hand-off. */
  @ActivityMethod(name = "RecordSalesOutcome")
  void recordOutcome(String handOffKey, String outcome);
}
