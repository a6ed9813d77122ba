package com.nurture.api.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.nurture.activities.TestDatabase;
import com.nurture.activities.db.AlertDao;
import com.nurture.activities.db.AlertRow;
import com.nurture.activities.db.EventDao;
import com.nurture.activities.db.LeadDao;
import com.nurture.workflows.journey.IntakeLane;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/** An outbox entry that keeps failing (not an outage) raises one alert, resolved once it is delivered. */
class OutboxDispatcherTest {
  private final Jdbi jdbi = TestDatabase.jdbi();

  @Test
  void anEntryFailingOverAndOverAlertsOperatorsOnceAndTheAlertResolvesWhenItIsDelivered() {
    String lead = "outbox-alert-" + UUID.randomUUID();
    String event = "evt-" + UUID.randomUUID();
    jdbi.useTransaction(h -> {
      h.attach(LeadDao.class).upsert(lead, lead + "@example.test", "", "", Map.of());
      h.attach(EventDao.class).insert(lead, event, "page_visited", Instant.now(), Map.of());
      new EventOutbox(jdbi).enqueue(h, lead, event, IntakeLane.ONE_AT_A_TIME);
    });
    AtomicBoolean broken = new AtomicBoolean(true);
    AtomicInteger calls = new AtomicInteger();
    OutboxDispatcher dispatcher = new OutboxDispatcher(jdbi, (l, e, lane) -> {
      calls.incrementAndGet();
      assertThat(l.id()).isEqualTo(lead);
      if (broken.get()) {
        throw new IllegalStateException("the journey refused it");
      }
      return true;
    }, Duration.ofSeconds(1), 100);

    for (int attempt = 1; attempt <= OutboxDispatcher.ALERT_AFTER_ATTEMPTS + 2; attempt++) {
      dueNow(lead);
      dispatcher.round();
      List<AlertRow> alerts = alerts(lead);
      if (attempt < OutboxDispatcher.ALERT_AFTER_ATTEMPTS) {
        assertThat(alerts).as("after %d failures", attempt).isEmpty();
      } else {
        assertThat(alerts).as("after %d failures", attempt).singleElement().satisfies(a -> {
          assertThat(a.kind()).isEqualTo(OutboxDispatcher.ALERT_KIND);
          assertThat(a.message()).contains(event).doesNotContain("@");
          assertThat(a.detail()).containsEntry("event_id", event).containsEntry("error", "IllegalStateException");
        });
      }
    }
    assertThat(calls).hasValue(OutboxDispatcher.ALERT_AFTER_ATTEMPTS + 2);
    assertThat(new EventOutbox(jdbi).pending(lead, event)).as("still waiting").isTrue();
    assertThat(resolved(lead)).isFalse();

    broken.set(false);
    dueNow(lead);
    assertThat(dispatcher.round()).isGreaterThanOrEqualTo(1);
    assertThat(new EventOutbox(jdbi).pending(lead, event)).as("delivered").isFalse();
    assertThat(resolved(lead)).as("the alert resolves with its cause").isTrue();
  }

  /** An event a batch accepted starts its journey from the outbox in the bulk lane, as the batch would have. */
  @Test
  void anEntryKeepsTheLaneItWasAcceptedIn() {
    Map<String, IntakeLane> lanes = new java.util.concurrent.ConcurrentHashMap<>();
    List<String> leads = List.of("outbox-lane-one-" + UUID.randomUUID(), "outbox-lane-bulk-" + UUID.randomUUID());
    jdbi.useTransaction(h -> {
      for (String lead : leads) {
        h.attach(LeadDao.class).upsert(lead, lead + "@example.test", "", "", Map.of());
        h.attach(EventDao.class).insert(lead, "evt-1", "form_submitted", Instant.now(), Map.of());
        new EventOutbox(jdbi).enqueue(h, lead, "evt-1",
            lead.contains("bulk") ? IntakeLane.BULK : IntakeLane.ONE_AT_A_TIME);
      }
    });
    OutboxDispatcher dispatcher = new OutboxDispatcher(jdbi, (l, e, lane) -> {
      if (!leads.contains(l.id())) {
        throw new IllegalStateException("not this test's lead");
      }
      lanes.put(l.id(), lane);
      return false;
    }, Duration.ofSeconds(1), 100);
    leads.forEach(this::dueNow);
    dispatcher.round();
    assertThat(lanes).containsEntry(leads.get(0), IntakeLane.ONE_AT_A_TIME).containsEntry(leads.get(1), IntakeLane.BULK);
  }

  private void dueNow(String lead) {
    jdbi.useHandle(h -> h.createUpdate("UPDATE event_outbox SET next_attempt_at = now() WHERE lead_id = :lead")
        .bind("lead", lead).execute());
  }

  private List<AlertRow> alerts(String lead) {
    return jdbi.withExtension(AlertDao.class, dao -> dao.forLead(lead));
  }

  private boolean resolved(String lead) {
    return jdbi.withHandle(h -> h.createQuery("SELECT bool_and(resolved_at IS NOT NULL) FROM alerts WHERE lead_id = :lead")
        .bind("lead", lead).mapTo(Boolean.class).one());
  }
}
