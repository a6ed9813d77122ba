package com.nurture.activities.journal;

import com.nurture.activities.db.AlertDao;
import com.nurture.activities.db.JourneyDao;
import com.nurture.activities.db.LeadDao;
import com.nurture.activities.db.SuppressionDao;
import com.nurture.activities.db.TimelineDao;
import com.nurture.workflows.activities.JourneyActivities;
import com.nurture.workflows.activities.JourneyTransition;
import com.nurture.workflows.activities.OperatorAlert;
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
    jdbi.useTransaction(h -> {
      h.attach(JourneyDao.class).upsert(t.leadId(), t.workflowId(), t.runId(), t.programId(), t.programVersion(),
          t.status().name(), t.currentStep(), t.nextActionAt().orElse(null), t.enrolledAt(), t.score(), t.at());
      h.attach(TimelineDao.class).append(t.leadId(), t.at(), t.kind(), t.detail(), t.dedupeKey());
    });
  }

  @Override
  public void recordTransitions(java.util.List<JourneyTransition> transitions) {
    jdbi.useTransaction(h -> {
      JourneyDao journeys = h.attach(JourneyDao.class);
      TimelineDao timeline = h.attach(TimelineDao.class);
      for (JourneyTransition t : transitions) {
        journeys.upsert(t.leadId(), t.workflowId(), t.runId(), t.programId(), t.programVersion(), t.status().name(),
            t.currentStep(), t.nextActionAt().orElse(null), t.enrolledAt(), t.score(), t.at());
        timeline.append(t.leadId(), t.at(), t.kind(), t.detail(), t.dedupeKey());
      }
    });
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
