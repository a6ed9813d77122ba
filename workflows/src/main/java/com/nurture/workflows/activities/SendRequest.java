package com.nurture.workflows.activities;

/**
 * One email to send. {@link #idempotencyKey()} is stable across activity retries, worker crashes
 * and continue-as-new: the sender claims it once in the ledger and never sends it twice.
 */
public record SendRequest(
    String leadId,
    String journeyKey,
    String programId,
    int programVersion,
    String stepId,
    int occurrence,
    String template) {

  public String idempotencyKey() {
    return leadId + "/" + journeyKey + "/" + programId + "@" + programVersion + "/" + stepId + "/" + occurrence;
  }
}
