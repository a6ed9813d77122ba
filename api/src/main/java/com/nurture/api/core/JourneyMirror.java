package com.nurture.api.core;

import com.nurture.activities.db.HandOffDao;
import com.nurture.activities.db.JourneyRow;
import com.nurture.activities.db.LeadDao;
import com.nurture.activities.db.LeadReads;
import com.nurture.activities.db.MessageDao;
import com.nurture.activities.db.TimelineDao;
import com.nurture.api.representations.JourneyResponse;
import com.nurture.workflows.journey.JourneyStatus;
import com.nurture.workflows.journey.LeadJourneyWorkflow;
import io.temporal.client.WorkflowException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A journey as the API answers it: live from Temporal's {@code view} query when it can answer, else
 * from PostgreSQL (the mirror row, the send ledger, the timeline's exit); with Temporal's status of
 * the workflow and the latest hand-off. Enrolment ({@link JourneyService}) and the running journey's
 * reads and commands ({@link JourneyCommands}) both answer with it.
 */
public final class JourneyMirror {
  private static final Logger log = LoggerFactory.getLogger(JourneyMirror.class);

  private final TemporalConnection temporal;
  private final Jdbi jdbi;
  private final JourneyExecutions executions;

  /** The owner of a lead without an owner_email attribute (sales.default_owner; "" for none). */
  private final String defaultOwner;

  public JourneyMirror(TemporalConnection temporal, Jdbi jdbi, String defaultOwner) {
    this.temporal = temporal;
    this.jdbi = jdbi;
    this.executions = new JourneyExecutions(temporal, jdbi);
    this.defaultOwner = defaultOwner == null ? "" : defaultOwner.trim();
  }

  /** The lead's journey row, running or ended (one statement on a pooled connection: LeadReads). */
  Optional<JourneyRow> row(String leadId) {
    return jdbi.withHandle(h -> LeadReads.journey(h, leadId));
  }

  /** The journey workflow {@code workflowId}, to query, update or signal. */
  LeadJourneyWorkflow stub(String workflowId) {
    return temporal.client().newWorkflowStub(LeadJourneyWorkflow.class, workflowId);
  }

  /** What Temporal says of the workflow {@code workflowId} (its status; UNKNOWN when it did not answer). */
  JourneyExecutions.Execution describe(String workflowId) {
    return executions.describe(workflowId);
  }

  /**
   * {@code signal} to the running journey of {@code row}, within {@code temporal.call_timeout}.
   * @return false when the workflow has ended meanwhile (Temporal found no running execution)
   */
  boolean signal(JourneyRow row, java.util.function.Consumer<LeadJourneyWorkflow> signal) {
    LeadJourneyWorkflow running = stub(row.workflowId());
    try {
      temporal.call(() -> {
        signal.accept(running);
        return null;
      });
      return true;
    } catch (io.temporal.client.WorkflowNotFoundException e) {
      return false;
    }
  }

  /** The journey of this row, Temporal asked first ({@link JourneyCommands#view} says how). */
  JourneyResponse view(JourneyRow row) {
    JourneyExecutions.Execution execution = execution(row);
    JourneyResponse answer = null;
    if (execution.known()) {
      try {
        answer = JourneyResponse.live(row, temporal.slow(
            () -> stub(row.workflowId()).view()));
      } catch (WorkflowException e) {
        log.warn("journey of lead {} ({} {}) did not answer the view query; answering from PostgreSQL: {}", row.leadId(),
            row.workflowId(), execution.status(), e.getMessage());
      }
    }
    if (answer == null) {
      answer = mirror(row);
    }
    answer = answer.with(execution.status(), handOff(row));
    if (execution.closed()) {
      // Ended, whatever the journey's last status says: never a null exit reason once it is not live.
      answer = answer.orExitReason("the journey's workflow " + execution.status().toLowerCase(Locale.ROOT)
          .replace('_', ' ') + (execution.closedAt() == null ? "" : " at " + execution.closedAt()));
    }
    return answer;
  }

  /** Temporal's status of the journey's latest run; a run closed from outside raises its alert (once a run). */
  JourneyExecutions.Execution execution(JourneyRow row) {
    JourneyExecutions.Execution execution = executions.describe(row.workflowId());
    if (execution.closedAbnormally()) {
      executions.alertClosed(row, execution);
    }
    return execution;
  }

  /** The timeline kinds that end a journey, and the exit reason each records. */
  private static final Map<String, Function<Map<String, Object>, String>> ENDINGS = Map.of(
      "exited", d -> text(d, "reason").orElse("exited by operator"),
      "recycled", d -> text(d, "reason").orElse("program complete; recycled for later re-engagement"),
      "completed", d -> "program complete",
      "unsubscribed", d -> "unsubscribed",
      "suppressed", d -> text(d, "reason").map(r -> r + "; the address is suppressed").orElse("the address is suppressed"),
      "email_suppressed", d -> "address is on the suppression list",
      "disqualified", d -> text(d, "reason").orElse("disqualified"),
      "sales_accepted", d -> "accepted by sales");

  /** The send ledger counts a journey's sends from this long before its enrolment (clocks differ a little). */
  private static final Duration LEDGER_SLACK = Duration.ofMinutes(1);

  /** The journey from PostgreSQL: the mirror row, its sends from the ledger, its exit from the timeline. */
  JourneyResponse mirror(JourneyRow row) {
    Instant since = row.enrolledAt().minus(LEDGER_SLACK);
    MessageDao ledger = jdbi.onDemand(MessageDao.class);
    int sent = ledger.sentSince(row.leadId(), since);
    List<JourneyResponse.TouchResponse> touches = new ArrayList<>(ledger.latestSince(row.leadId(), since, 10).stream()
        .map(JourneyResponse.TouchResponse::of).toList());
    Collections.reverse(touches); // oldest first, as the workflow keeps them
    String exitReason = null;
    if (JourneyStatus.valueOf(row.status()).isTerminal()) {
      exitReason = jdbi.onDemand(TimelineDao.class)
          .latestOf(row.leadId(), ENDINGS.keySet(), row.enrolledAt())
          .map(e -> ENDINGS.get(e.kind()).apply(e.detail() == null ? Map.of() : e.detail()))
          .orElse("ended " + row.status());
    }
    return JourneyResponse.mirror(row, exitReason, sent, touches);
  }

  private static Optional<String> text(Map<String, Object> detail, String key) {
    Object v = detail.get(key);
    return v == null || String.valueOf(v).isBlank() ? Optional.empty() : Optional.of(String.valueOf(v));
  }

  /** The journey's latest hand-off, with the lead's owner, or null when it has none. */
  JourneyResponse.HandOffResponse handOff(JourneyRow row) {
    return jdbi.onDemand(HandOffDao.class).latest(row.leadId(), row.enrolledAt())
        .map(h -> JourneyResponse.HandOffResponse.of(h, h.ownerEmail().orElseGet(() -> owner(row.leadId()))))
        .orElse(null);
  }

  /** The owner the hand-off email goes to: the lead's owner_email attribute, else the default owner. */
  private String owner(String leadId) {
    String own = jdbi.onDemand(LeadDao.class).find(leadId).map(l -> l.attribute("owner_email")).orElse("");
    String owner = own == null || own.isBlank() ? defaultOwner : own.trim();
    return owner.isEmpty() ? null : owner;
  }
}
