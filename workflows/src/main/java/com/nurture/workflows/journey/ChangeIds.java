package com.nurture.workflows.journey;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every {@code Workflow.getVersion} change id the journey workflow has ever used, with the one
 * behaviour it guards. A journey records the id's marker the first time it reaches the guarded
 * code; on replay the marker (or its absence) picks the old or the new behaviour, so journeys in
 * flight keep theirs. Rules (docs/evolution.md; {@code ChangeIdsTest} enforces them):
 * <ul>
 *   <li>one id, one behaviour, one call site in the workflow;</li>
 *   <li>never reuse or remove an id while a recorded history carries it;</li>
 *   <li>every id has at least one recorded history under {@code histories/} that carries it.</li>
 * </ul>
 */
public final class ChangeIds {
  private ChangeIds() {}

  /** Hand-off record, signed sales webhook retried until delivered, SLA escalations, the feedback update. */
  public static final String SALES_LOOP = "sales-loop";
  /** 180 days (journeys.inactivity) without engagement recycle the journey during a wait. */
  public static final String INACTIVITY_RECYCLE = "inactivity-recycle";
  /** A journey waiting for a person after a reply resumes by itself after reply_resume_after. */
  public static final String REPLY_AUTO_RESUME = "reply-auto-resume";
  /**
   * Legacy: guarded seven behaviours at once in the journeys that recorded it before
   * {@link #SPLIT_LEAD_INTELLIGENCE}: those keep all seven on replay. New runs use the ids below.
   */
  public static final String LEAD_INTELLIGENCE_2 = "lead-intelligence-2";
  /** Runs that record it decide each former lead-intelligence-2 behaviour by its own id. */
  public static final String SPLIT_LEAD_INTELLIGENCE = "split-lead-intelligence";
  /** Graduation rules and fit x engagement track moves are also checked at every step boundary. */
  public static final String BOUNDARY_RULES = "boundary-rules";
  /** A level graduation rule (threshold, velocity, touches, definitions) fires when it starts to hold. */
  public static final String EDGE_GRADUATION = "edge-graduation";
  /** A high-fit lead quiet for alerts.quiet_high_fit raises an alert, once per quiet period. */
  public static final String QUIET_HIGH_FIT_ALERT = "quiet-high-fit-alert";
  /** The inactivity recycle and the quiet alert also run during a wait_for step. */
  public static final String WAIT_FOR_CLOCKS = "wait-for-clocks";
  /** A hand-off also emails the lead's owner (NotifyOwner). */
  public static final String OWNER_EMAIL = "owner-email";
  /** Every alert a person must act on is also a lead.task_created webhook (NotifyTask). */
  public static final String TASK_WEBHOOKS = "task-webhooks";
  /** A lead sales rejected goes to tracks.after_rejection (matrix or a program) instead of resuming. */
  public static final String AFTER_REJECTION_TRACK = "after-rejection-track";
  /**
   * A failed send is send_failed on the timeline and follows the program's on_send_failure (skip or
   * pause); transient failures give up after journeys.send_retry_limit and the ledger row says why.
   */
  public static final String SEND_FAILURE_POLICY = "send-failure-policy";
  /** A wait woken early by an input cancels its timer instead of leaving it to fire for nothing. */
  public static final String CANCEL_WOKEN_TIMERS = "cancel-woken-timers";

  /** Every id with what it guards, in the order they were introduced. */
  public static Map<String, String> all() {
    Map<String, String> ids = new LinkedHashMap<>();
    for (var field : ChangeIds.class.getFields()) {
      try {
        ids.put((String) field.get(null), field.getName());
      } catch (IllegalAccessException e) {
        throw new IllegalStateException(e);
      }
    }
    return ids;
  }
}
