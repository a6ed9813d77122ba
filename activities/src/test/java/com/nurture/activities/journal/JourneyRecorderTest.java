package com.nurture.activities.journal;

import static org.assertj.core.api.Assertions.assertThat;

import com.nurture.activities.TestDatabase;
import com.nurture.activities.db.AlertDao;
import com.nurture.activities.db.JourneyDao;
import com.nurture.activities.db.JourneyRow;
import com.nurture.activities.db.LeadDao;
import com.nurture.activities.db.SuppressionDao;
import com.nurture.activities.db.TimelineDao;
import com.nurture.workflows.activities.JourneyTransition;
import com.nurture.workflows.activities.OperatorAlert;
import com.nurture.workflows.journey.JourneyStatus;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

class JourneyRecorderTest {
  private final Jdbi jdbi = TestDatabase.jdbi();
  private final JourneyRecorder recorder = new JourneyRecorder(jdbi);
  private final String leadId = "lead-" + UUID.randomUUID();

  private JourneyTransition transition(JourneyStatus status, String kind, Instant at, String key) {
    return new JourneyTransition(leadId, "lead-" + leadId, "run", "onboarding", 1, status, "after-welcome",
        Optional.of(at.plusSeconds(3600)), at, 42, kind, Map.of("step", "welcome"), at, key);
  }

  @Test
  void mirrorsTheJourneyAndAppendsTheTimelineOnceEvenWhenRetried() {
    jdbi.onDemand(LeadDao.class).upsert(leadId, "x@example.com", "", "", Map.of());
    Instant t0 = Instant.parse("2026-01-05T10:00:00Z");
    recorder.recordTransition(transition(JourneyStatus.ACTIVE, "enrolled", t0, leadId + "/0"));
    recorder.recordTransition(transition(JourneyStatus.ACTIVE, "enrolled", t0, leadId + "/0"));
    recorder.recordTransition(transition(JourneyStatus.PAUSED, "paused", t0.plusSeconds(60), leadId + "/1"));

    JourneyRow row = jdbi.onDemand(JourneyDao.class).find(leadId).orElseThrow();
    assertThat(row.status()).isEqualTo("PAUSED");
    assertThat(row.nextActionAt()).contains(t0.plusSeconds(3660));
    assertThat(row.score()).isEqualTo(42);
    assertThat(jdbi.onDemand(TimelineDao.class).list(leadId, 0, 100))
        .extracting(e -> e.kind()).containsExactly("enrolled", "paused");

    recorder.recordTransition(transition(JourneyStatus.ACTIVE, "late-retry", t0.plusSeconds(30), leadId + "/9"));
    assertThat(jdbi.onDemand(JourneyDao.class).find(leadId).orElseThrow().status())
        .as("an older transition does not overwrite a newer mirror").isEqualTo("PAUSED");
  }

  @Test
  void aBatchIsWrittenInOrderOnceEvenWhenRetried() {
    jdbi.onDemand(LeadDao.class).upsert(leadId, "y@example.com", "", "", Map.of());
    Instant t0 = Instant.parse("2026-01-05T10:00:00Z");
    java.util.List<JourneyTransition> batch = java.util.List.of(
        transition(JourneyStatus.ACTIVE, "enrolled", t0, leadId + "/0"),
        transition(JourneyStatus.ACTIVE, "scored", t0, leadId + "/1"),
        transition(JourneyStatus.HANDED_OFF, "handed_off", t0, leadId + "/2"));
    recorder.recordTransitions(batch);
    recorder.recordTransitions(batch);
    assertThat(jdbi.onDemand(TimelineDao.class).list(leadId, 0, 100)).extracting(e -> e.kind())
        .containsExactly("enrolled", "scored", "handed_off");
    assertThat(jdbi.onDemand(JourneyDao.class).find(leadId).orElseThrow().status()).isEqualTo("HANDED_OFF");
  }

  @Test
  void suppressesTheLeadsAddressAndDeduplicatesAlerts() {
    jdbi.onDemand(LeadDao.class).upsert(leadId, "Mixed.Case@Example.com", "", "", Map.of());
    recorder.suppress(leadId, "unsubscribed");
    assertThat(jdbi.onDemand(SuppressionDao.class).find("mixed.case@example.com")).isPresent();

    OperatorAlert alert = new OperatorAlert(leadId, "reply", "The lead replied", Map.of("channel", "email"), "reply/" + leadId);
    recorder.raiseAlert(alert);
    recorder.raiseAlert(alert);
    assertThat(jdbi.onDemand(AlertDao.class).forLead(leadId)).hasSize(1);
  }
}
