package com.nurture.activities.db;

/**
 * One email step and variant of a program, counted over the send ledger (docs/analytics.md,
 * "Per step and variant"). Every count is of emails (ledger rows), each counted once: an email
 * opened three times is one human open.
 */
public record StepStatsRow(
    String stepId,
    String variant,
    long entered,
    long sent,
    long failed,
    long heldOut,
    long suppressed,
    long unknown,
    long bounced,
    long humanOpens,
    long machineOpens,
    long humanClicks,
    long botClicks,
    long replies,
    long unsubscribes,
    long complaints,
    long mql30d) {
  /** Sent and not bounced. */
  public long delivered() {
    return sent - bounced;
  }
}
