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
import java.util.List;
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

  /**
   * A send's {@code email_sent} and the journey's end in one call (the row written once for the run
   * of same-state transitions) leave the mirror, the program's entrant rows and the timeline as the
   * same transitions written one call each, with every trigger firing, do.
   */
  @Test
  void aRunOfSameStateTransitionsLeavesWhatOneCallEachLeaves() {
    Instant t0 = Instant.parse("2026-01-05T10:00:00Z");
    Instant sent = t0.plusSeconds(86_400);
    String oneByOne = "lead-" + UUID.randomUUID();
    String together = "lead-" + UUID.randomUUID();
    for (String lead : List.of(oneByOne, together)) {
      jdbi.onDemand(LeadDao.class).upsert(lead, lead + "@example.com", "", "", Map.of());
      recorder.recordTransitions(List.of(step(lead, JourneyStatus.ACTIVE, "news", "enrolled", t0, 0)));
    }
    List<JourneyTransition> end = List.of(
        step(together, JourneyStatus.COMPLETED, "", "email_sent", sent, 1),
        step(together, JourneyStatus.COMPLETED, "", "completed", sent.plusMillis(5), 2),
        // Dated before the run's latest: the row takes the latest date, not the last's.
        step(together, JourneyStatus.COMPLETED, "", "note", sent.plusMillis(1), 3));
    recorder.recordTransitions(end);
    recorder.recordTransitions(end); // a retried local activity
    for (JourneyTransition t : end) {
      recorder.recordTransition(step(oneByOne, t.status(), t.currentStep(), t.kind(), t.at(), Integer.parseInt(
          t.dedupeKey().substring(t.dedupeKey().lastIndexOf('/') + 1))));
    }

    JourneyRow a = jdbi.onDemand(JourneyDao.class).find(oneByOne).orElseThrow();
    JourneyRow b = jdbi.onDemand(JourneyDao.class).find(together).orElseThrow();
    assertThat(b.status()).isEqualTo("COMPLETED");
    assertThat(b.updatedAt()).isEqualTo(sent.plusMillis(5));
    assertThat(b).usingRecursiveComparison().ignoringFields("leadId", "workflowId").isEqualTo(a);
    assertThat(entrants(together)).isEqualTo(entrants(oneByOne)).contains("onboarding@1 COMPLETED completed");
    assertThat(jdbi.onDemand(TimelineDao.class).list(together, 0, 100)).extracting(e -> e.kind())
        .containsExactly("enrolled", "email_sent", "completed", "note");
  }

  private JourneyTransition step(String lead, JourneyStatus status, String step, String kind, Instant at, int seq) {
    return new JourneyTransition(lead, "wf-" + lead, "run", "onboarding", 1, status, step,
        status == JourneyStatus.ACTIVE ? Optional.of(at.plusSeconds(86_400)) : Optional.empty(), Instant.parse(
            "2026-01-05T10:00:00Z"), 7, kind, Map.of("step", "news"), at, "wf-" + lead + "/k/" + seq);
  }

  /** The lead's program entrant rows, as {@code program@version exit_status exit_reason}. */
  private List<String> entrants(String lead) {
    return jdbi.withHandle(h -> h.createQuery("""
            SELECT program_id || '@' || program_version || ' ' || coalesce(exit_status, '-') || ' '
                   || coalesce(exit_reason, '-') FROM program_entrants WHERE lead_id = :lead
            ORDER BY program_id, program_version""").bind("lead", lead).mapTo(String.class).list());
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
