package com.nurture.workflows.journey;

import com.nurture.workflows.activities.HandOff;
import com.nurture.workflows.activities.OperatorAlert;
import com.nurture.workflows.activities.SendRequest;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the journey core decides the outside world must do. The workflow shell turns each into an
 * activity, a timer or a Temporal command; the preview answers them with in-memory fakes. Effects
 * are carried out in the order the core returns them. The last effect of a turn may be a
 * {@link Block}: the core cannot go on until the shell answers it (or the time comes).
 */
public sealed interface Effect {

  /** A timeline entry made by the core, in order. */
  record Note(String kind, Map<String, Object> detail, Instant at, long seq) {}

  /** The journey as the mirror row shows it, when a batch of notes is written. */
  record Snapshot(JourneyStatus status, String programId, int programVersion, String step,
      Optional<Instant> nextActionAt, Instant enrolledAt, int score) {}

  /** Write these timeline entries (and the mirror row, as of {@code snapshot}). */
  record RecordTransitions(List<Note> notes, Snapshot snapshot) implements Effect {}

  /** An alert on the operators' list. */
  record RaiseAlert(OperatorAlert alert) implements Effect {}

  /** An alert a person must act on: on the list, and a lead.task_created webhook to sales. */
  record CreateTask(OperatorAlert alert) implements Effect {}

  /** Put the lead's address on the global suppression list. */
  record Suppress(String reason) implements Effect {}

  /** Record the hand-off, then notify sales (signed webhook) and the owner, each retried until delivered. */
  record HandOffToSales(HandOff handOff) implements Effect {}

  /** Record what sales said about a hand-off. */
  record RecordSalesOutcome(String handOffKey, String outcome) implements Effect {}

  /** Mark a send the journey gave up on as failed in the ledger. */
  record RecordSendFailed(String idempotencyKey, String reason) implements Effect {}

  /** Email the lead the double opt-in confirmation link (retried until sent, like a notification). */
  record RequestConfirmation(com.nurture.workflows.activities.ConfirmationRequest request) implements Effect {}

  /** Effects the core waits on: nothing more happens until the shell answers. */
  sealed interface Block extends Effect {}

  /**
   * Send this email; answer with {@code Journey.sent} or {@code Journey.sendFailed}.
   *
   * @param immediate the step is marked {@code immediate} (a welcome, a trigger's first mail): the
   *     shell sends it in the priority lane, ahead of scheduled sends waiting for a worker
   */
  record Send(SendRequest request, boolean immediate) implements Block {
    public Send(SendRequest request) {
      this(request, false);
    }
  }

  /** Load the latest published version of a program; answer with {@code Journey.loaded}. */
  record LoadProgram(String programId) implements Block {}

  /**
   * Nothing to do until an input arrives or, when present, until {@code until}: then call
   * {@code Journey.next} again with the time.
   */
  record Sleep(Optional<Instant> until) implements Block {}

  /** The journey ended: complete the workflow with this result. */
  record End(JourneyResult result) implements Block {}
}
