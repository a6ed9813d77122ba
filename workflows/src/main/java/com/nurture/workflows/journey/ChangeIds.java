package com.nurture.workflows.journey;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every {@code Workflow.getVersion} change id the journey workflow has ever used, with the one
 * behaviour it guards. All but the last belong to {@link LegacyJourney}, the code of runs started
 * before the journey core; {@link #SEARCH_ATTRIBUTES} is the core shell's first. The next change to
 * the core that alters the commands a history produces adds its id here. Ids are asked through
 * {@link ChangeVersions}, the one place that calls {@code Workflow.getVersion}. A journey records the id's marker the first time it reaches the guarded
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
   * Guards seven behaviours at once (a mistake: one id should guard one behaviour): level
   * graduation rules fire when they start to hold; graduation and track moves at step boundaries;
   * the quiet high-fit alert; the journey clocks during wait_for; the owner email; task webhooks;
   * the after-rejection track. It lives on only in {@link LegacyJourney}: runs that recorded it keep
   * all seven, runs that did not keep none, and no new run consults it (new runs are on the core).
   */
  public static final String LEAD_INTELLIGENCE_2 = "lead-intelligence-2";
  /**
   * A failed send is send_failed on the timeline and follows the program's on_send_failure (skip or
   * pause); transient failures give up after journeys.send_retry_limit and the ledger row says why.
   */
  public static final String SEND_FAILURE_POLICY = "send-failure-policy";
  /** A wait woken early by an input cancels its timer instead of leaving it to fire for nothing. */
  public static final String CANCEL_WOKEN_TIMERS = "cancel-woken-timers";
  /**
   * The shell keeps the journey's search attributes (NurtureStatus, NurtureProgram,
   * NurtureProgramVersion, NurtureStep, NurtureScore) current: an UpsertWorkflowSearchAttributes
   * command after a transition that changed one of them. Asked at the run's first transition.
   */
  public static final String SEARCH_ATTRIBUTES = "search-attributes";
  /**
   * Consecutive timeline writes with nothing between them are one local activity: a send's
   * email_sent entry and the next step's entries (one MarkerRecorded event and one PostgreSQL
   * transaction fewer per email). Asked at the run's first transition.
   */
  public static final String MERGED_RECORDS = "merged-records";
  /**
   * A scheduled send (a step not marked immediate) is a local activity: it runs inside the workflow
   * task its wait's timer wakes, so an email costs one workflow task and no activity task. Asked at
   * the run's first scheduled send; an immediate send stays an activity task in the priority lane.
   */
  public static final String LOCAL_SENDS = "local-sends";

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
