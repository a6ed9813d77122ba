package com.nurture.api.core;

import com.nurture.activities.privacy.PersonalData;
import com.nurture.activities.privacy.StoredDataKeys;
import com.nurture.api.errors.ProblemException;
import com.nurture.workflows.journey.LeadJourneyWorkflow;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowServiceException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rights of erasure and access (docs/privacy.md). Erasure ends the lead's journey (terminated:
 * nothing more is sent), empties every personal field of its rows ({@link PersonalData}), keeps its
 * address only as a hash on the suppression list, and destroys its data key, so its Temporal
 * histories are unreadable for good. Logged with ids only.
 */
public final class LeadErasure {
  private static final Logger log = LoggerFactory.getLogger(LeadErasure.class);
  private final Jdbi jdbi;
  private final TemporalConnection temporal;
  private final StoredDataKeys keys;

  public LeadErasure(Jdbi jdbi, TemporalConnection temporal, StoredDataKeys keys) {
    this.jdbi = jdbi;
    this.temporal = temporal;
    this.keys = keys;
  }

  /** What an erasure found. */
  public enum Outcome { ERASED, ALREADY_ERASED }

  /**
   * Idempotent: a lead erased before is answered {@link Outcome#ALREADY_ERASED} (its rows emptied and
   * its key destroyed again, in case a previous attempt stopped before or a late write landed). @throws ProblemException 404 for a lead never
   * stored, 503 when Temporal cannot be reached (nothing is erased then: the journey must end first)
   */
  public Outcome erase(String leadId) {
    Optional<PersonalData.LeadState> before = jdbi.withHandle(h -> PersonalData.state(h, leadId));
    if (before.isEmpty()) {
      throw ProblemException.notFound("no lead with id '" + leadId + "'");
    }
    if (before.get().erasedAt().isPresent()) {
      // Again, in case a write of the ended journey landed after the first time, or it stopped before the key.
      jdbi.useTransaction(h -> PersonalData.erase(h, leadId, ""));
      keys.destroy(leadId);
      return Outcome.ALREADY_ERASED;
    }
    boolean terminated = endJourney(leadId);
    jdbi.useTransaction(h -> {
      PersonalData.LeadState state = PersonalData.state(h, leadId).orElseThrow();
      PersonalData.erase(h, leadId, state.email());
    });
    // A journey an event started between the two steps above ends too (the lead is now unknown to intake).
    terminated |= endJourney(leadId);
    List<String> destroyed = keys.destroy(leadId);
    log.info("erased lead {}: journey {}, {} data key(s) destroyed", leadId,
        terminated ? "terminated" : "not running", destroyed.size());
    return Outcome.ERASED;
  }

  /** Everything held about the lead, table by table (right of access); erased leads too (ids only). */
  public Map<String, Object> export(String leadId) {
    Optional<PersonalData.LeadState> state = jdbi.withHandle(h -> PersonalData.state(h, leadId));
    if (state.isEmpty()) {
      throw ProblemException.notFound("no lead with id '" + leadId + "'");
    }
    Map<String, Object> out = new java.util.LinkedHashMap<>();
    out.put("lead_id", leadId);
    out.put("erased", state.get().erasedAt().isPresent());
    out.put("tables", PersonalData.export(jdbi, leadId, state.get().email()));
    return out;
  }

  /** Terminates the lead's running journey. @return whether one was running */
  private boolean endJourney(String leadId) {
    try {
      temporal.client().newUntypedWorkflowStub(LeadJourneyWorkflow.workflowId(leadId)).terminate("lead erased");
      return true;
    } catch (WorkflowNotFoundException e) {
      return false; // none, or not running
    } catch (WorkflowServiceException | StatusRuntimeException e) {
      Status.Code code = Status.fromThrowable(e).getCode();
      if (code == Status.Code.NOT_FOUND) {
        return false;
      }
      throw ProblemException.unavailable("Temporal did not answer (" + code + "); the lead is not erased yet, try again");
    }
  }
}
