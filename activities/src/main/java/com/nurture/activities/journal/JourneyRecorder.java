package com.nurture.activities.journal;

import com.nurture.activities.db.AlertDao;
import com.nurture.activities.db.JourneyStatements;
import com.nurture.activities.db.LeadDao;
import com.nurture.activities.db.SuppressionDao;
import com.nurture.workflows.activities.JourneyActivities;
import com.nurture.workflows.activities.JourneyTransition;
import com.nurture.workflows.activities.OperatorAlert;
import com.nurture.workflows.journey.JourneyStatus;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes the journey's business record: the mirror row, the timeline, suppressions and alerts. */
public final class JourneyRecorder implements JourneyActivities {
  private static final Logger log = LoggerFactory.getLogger(JourneyRecorder.class);
  private final Jdbi jdbi;

  public JourneyRecorder(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  @Override
  public void recordTransition(JourneyTransition t) {
    recordTransitions(List.of(t));
  }

  /**
   * The transitions in one transaction, in order. A run of transitions that leave the journey in the
   * same state (a send's {@code email_sent} and the journey's {@code completed}, written together
   * since change merged-records) writes the {@code journeys} row once, dated the latest of them, then
   * their timeline entries in one batch: each upsert after the first would have written the same row
   * again (a new row version) with only its date moved, in a round trip of its own.
   */
  @Override
  public void recordTransitions(List<JourneyTransition> transitions) {
    jdbi.useTransaction(h -> {
      int from = 0;
      while (from < transitions.size()) {
        JourneyTransition first = transitions.get(from);
        Mirror state = Mirror.of(first);
        Instant latest = first.at();
        int to = from + 1;
        for (; to < transitions.size() && Mirror.of(transitions.get(to)).equals(state); to++) {
          latest = transitions.get(to).at().isAfter(latest) ? transitions.get(to).at() : latest;
        }
        JourneyStatements.upsert(h, first.leadId(), first.workflowId(), first.runId(), first.programId(),
            first.programVersion(), first.status().name(), first.currentStep(), first.nextActionAt().orElse(null),
            first.enrolledAt(), first.score(), latest);
        JourneyStatements.append(h, transitions.subList(from, to).stream()
            .map(t -> new JourneyStatements.Entry(t.leadId(), t.at(), t.kind(), t.detail(), t.dedupeKey())).toList());
        from = to;
      }
    });
  }

  /** What a transition writes to the {@code journeys} row, apart from its date. */
  private record Mirror(String leadId, String workflowId, String runId, String programId, int programVersion,
      JourneyStatus status, String currentStep, Optional<Instant> nextActionAt, Instant enrolledAt, int score) {
    static Mirror of(JourneyTransition t) {
      return new Mirror(t.leadId(), t.workflowId(), t.runId(), t.programId(), t.programVersion(), t.status(),
          t.currentStep(), t.nextActionAt(), t.enrolledAt(), t.score());
    }
  }

  @Override
  public void suppress(String leadId, String reason) {
    jdbi.useTransaction(h -> h.attach(LeadDao.class).find(leadId).ifPresent(lead -> {
      if (h.attach(SuppressionDao.class).suppress(lead.email(), reason, leadId) == 1) {
        log.info("suppressed the address of lead {}: {}", leadId, reason);
      }
    }));
  }

  @Override
  public void raiseAlert(OperatorAlert alert) {
    int added = jdbi.withExtension(AlertDao.class,
        a -> a.raise(alert.leadId(), alert.kind(), alert.message(), alert.detail(), alert.dedupeKey()));
    if (added == 1) {
      log.warn("alert for lead {} ({}): {}", alert.leadId(), alert.kind(), alert.message());
    }
  }
}
