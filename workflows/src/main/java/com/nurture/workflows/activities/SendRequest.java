package com.nurture.workflows.activities;

/**
 * One email to send. {@link #idempotencyKey()} is stable across activity retries, worker crashes
 * and continue-as-new: the sender claims it once in the ledger and never sends it twice.
 *
 * @param template the step's template; the sender uses a segment variant of it when one exists
 * @param variant the A/B variant id ("" when the step has none)
 * @param subject a variant's subject, replacing the template's ("" to keep it)
 * @param heldOut the lead is in the program's control group: record the send, send nothing
 */
public record SendRequest(
    String leadId,
    String journeyKey,
    String programId,
    int programVersion,
    String stepId,
    int occurrence,
    String template,
    String variant,
    String subject,
    boolean heldOut) {

  public SendRequest(String leadId, String journeyKey, String programId, int programVersion, String stepId,
      int occurrence, String template) {
    this(leadId, journeyKey, programId, programVersion, stepId, occurrence, template, "", "", false);
  }

  public String idempotencyKey() {
    return leadId + "/" + journeyKey + "/" + programId + "@" + programVersion + "/" + stepId + "/" + occurrence;
  }
}
