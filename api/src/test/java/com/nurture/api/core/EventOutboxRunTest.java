package com.nurture.api.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.nurture.activities.TestDatabase;
import com.nurture.activities.db.EventDao;
import com.nurture.activities.db.LeadDao;
import com.nurture.workflows.journey.IntakeLane;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * {@link EventOutbox#claimRun}: a batch's events of one lead are claimed together only as far as they
 * run from the lead's head, due and held by no one else; {@link EventOutbox#handOverRun} settles them
 * together.
 */
class EventOutboxRunTest {
  private final Jdbi jdbi = TestDatabase.jdbi();
  private final EventOutbox outbox = new EventOutbox(jdbi);

  private String lead(String... events) {
    String lead = "outbox-run-" + UUID.randomUUID();
    jdbi.useTransaction(h -> {
      h.attach(LeadDao.class).upsert(lead, lead + "@example.test", "", "", Map.of());
      for (String event : events) {
        h.attach(EventDao.class).insert(lead, event, "page_visited", Instant.now(), Map.of());
      }
      outbox.enqueue(h, java.util.Arrays.stream(events).map(e -> new EventOutbox.Key(lead, e)).toList(), IntakeLane.BULK);
    });
    return lead;
  }

  private List<String> claim(String lead, String... events) {
    return jdbi.inTransaction(h -> outbox.claimRun(h, lead, List.of(events))).stream()
        .map(e -> ((EventOutbox.QueuedEvent) e.queued()).eventId()).toList();
  }

  /** The entries still due now (not claimed, not put off), in order; an enrolment as "enrolment". */
  private List<String> due(String lead) {
    return jdbi.withHandle(h -> h.createQuery("SELECT coalesce(event_id, 'enrolment') FROM event_outbox WHERE lead_id = :lead "
        + "AND next_attempt_at <= now() ORDER BY seq").bind("lead", lead).mapTo(String.class).list());
  }

  private List<String> queued(String lead) {
    return jdbi.withHandle(h -> h.createQuery("SELECT event_id FROM event_outbox WHERE lead_id = :lead ORDER BY seq")
        .bind("lead", lead).mapTo(String.class).list());
  }

  @Test
  void aRunFromTheHeadIsClaimedWholeAndSettledInOneGo() {
    String lead = lead("e1", "e2", "e3");
    List<EventOutbox.Entry> run = jdbi.inTransaction(h -> outbox.claimRun(h, lead, List.of("e1", "e2", "e3")));
    assertThat(run).extracting(e -> ((EventOutbox.QueuedEvent) e.queued()).eventId()).containsExactly("e1", "e2", "e3");
    assertThat(due(lead)).as("claimed: left alone by the dispatcher").isEmpty();
    assertThat(claim(lead, "e1", "e2", "e3")).as("claimed already").isEmpty();

    assertThat(outbox.handOverRun(run, () -> List.of(true, true, false)))
        .containsExactly(EventOutbox.HandOver.TO_JOURNEY, EventOutbox.HandOver.TO_JOURNEY, EventOutbox.HandOver.DELIVERED);
    assertThat(queued(lead)).isEmpty();
  }

  @Test
  void anEarlierEntryOutsideTheRunKeepsItWaiting() {
    String lead = lead("e0", "e1", "e2");
    assertThat(claim(lead, "e1", "e2")).isEmpty();
    assertThat(due(lead)).containsExactly("e0", "e1", "e2");
  }

  @Test
  void theRunEndsAtAnEntryPutOffForARetry() {
    String lead = lead("e1", "e2", "e3");
    jdbi.useHandle(h -> h.createUpdate("UPDATE event_outbox SET attempts = 1, next_attempt_at = now() + interval '1 hour' "
        + "WHERE lead_id = :lead AND event_id = 'e2'").bind("lead", lead).execute());
    assertThat(claim(lead, "e1", "e2", "e3")).containsExactly("e1");
    assertThat(due(lead)).as("e3 stays behind e2").containsExactly("e3");
  }

  @Test
  void theRunEndsAtAnEntryAnotherSessionHolds() throws Exception {
    for (String held : List.of("e1", "e2")) {
      String lead = lead("e1", "e2", "e3");
      CountDownLatch locked = new CountDownLatch(1);
      CountDownLatch done = new CountDownLatch(1);
      CompletableFuture<Void> other = CompletableFuture.runAsync(() -> jdbi.useTransaction(h -> {
        h.createQuery("SELECT seq FROM event_outbox WHERE lead_id = :lead AND event_id = :event FOR UPDATE")
            .bind("lead", lead).bind("event", held).mapTo(Long.class).one();
        locked.countDown();
        try {
          done.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          throw new IllegalStateException(e);
        }
      }));
      try {
        assertThat(locked.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(claim(lead, "e1", "e2", "e3")).as("%s held elsewhere", held)
            .containsExactlyElementsOf(held.equals("e1") ? List.of() : List.of("e1"));
      } finally {
        done.countDown();
        other.get(10, TimeUnit.SECONDS);
      }
      assertThat(due(lead)).as("%s held elsewhere: what follows stays queued", held)
          .containsExactlyElementsOf(held.equals("e1") ? List.of("e1", "e2", "e3") : List.of("e2", "e3"));
    }
  }

  @Test
  void aFailedHandOverIsTheHeadsAndTheRestWaitBehindItUntouched() {
    String lead = lead("e1", "e2", "e3");
    List<EventOutbox.Entry> run = jdbi.inTransaction(h -> outbox.claimRun(h, lead, List.of("e1", "e2", "e3")));
    assertThat(outbox.handOverRun(run, () -> {
      throw new IllegalStateException("the journey refused them");
    })).containsExactly(EventOutbox.HandOver.FAILED, EventOutbox.HandOver.FAILED, EventOutbox.HandOver.FAILED);
    List<String> attempts = jdbi.withHandle(h -> h.createQuery("SELECT event_id || ':' || attempts || ':' || "
        + "(next_attempt_at <= now()) FROM event_outbox WHERE lead_id = :lead ORDER BY seq").bind("lead", lead)
        .mapTo(String.class).list());
    assertThat(attempts).as("the head put off with one attempt; the rest due again, no attempt counted")
        .containsExactly("e1:1:false", "e2:0:true", "e3:0:true");
    List<EventOutbox.Entry> behind = jdbi.inTransaction(h -> outbox.claimRun(h, lead, List.of("e2", "e3")));
    assertThat(behind).as("still behind e1").isEmpty();
  }

  @Test
  void aRoundsRunsTakeEachHeadsFollowingEventsOfItsLaneUpToTheLimit() {
    String three = lead("a1", "a2", "a3");
    String putOff = lead("b1", "b2", "b3");
    jdbi.useHandle(h -> h.createUpdate("UPDATE event_outbox SET next_attempt_at = now() + interval '1 hour' "
        + "WHERE lead_id = :lead AND event_id = 'b2'").bind("lead", putOff).execute());
    String enrolment = lead("c1");
    jdbi.useTransaction(h -> outbox.enqueueEnrolment(h, enrolment, java.util.Optional.empty(), IntakeLane.BULK));
    jdbi.useTransaction(h -> {
      h.attach(EventDao.class).insert(enrolment, "c2", "page_visited", Instant.now(), Map.of());
      outbox.enqueue(h, List.of(new EventOutbox.Key(enrolment, "c2")), IntakeLane.BULK);
    });
    String failedBefore = lead("f1", "f2");
    jdbi.useHandle(h -> h.createUpdate("UPDATE event_outbox SET attempts = 2 WHERE lead_id = :lead AND event_id = 'f1'")
        .bind("lead", failedBefore).execute());
    String otherLane = lead("d1");
    jdbi.useTransaction(h -> {
      h.attach(EventDao.class).insert(otherLane, "d2", "page_visited", Instant.now(), Map.of());
      outbox.enqueue(h, List.of(new EventOutbox.Key(otherLane, "d2")), IntakeLane.ONE_AT_A_TIME);
    });
    List<String> mine = List.of(three, putOff, enrolment, failedBefore, otherLane);

    Map<String, List<String>> runs = new java.util.HashMap<>();
    jdbi.inTransaction(h -> outbox.claimDueRuns(h, IntakeLane.BULK, 10_000, 2)).stream()
        .filter(run -> mine.contains(run.get(0).leadId()))
        .forEach(run -> runs.put(run.get(0).leadId(), run.stream().map(e -> e.queued().subject()).toList()));

    assertThat(runs).containsOnlyKeys(mine);
    assertThat(runs.get(three)).as("two at most").containsExactly("a1", "a2");
    assertThat(runs.get(putOff)).as("ends at an entry put off").containsExactly("b1");
    assertThat(runs.get(enrolment)).as("ends at an enrolment").containsExactly("c1");
    assertThat(runs.get(otherLane)).as("ends at an entry of the other lane").containsExactly("d1");
    assertThat(runs.get(failedBefore)).as("a head that failed before goes alone").containsExactly("f1");
    assertThat(due(three)).containsExactly("a3");
    assertThat(due(enrolment)).as("the enrolment and what follows wait for a later round").containsExactly("enrolment", "c2");
  }

  /** A round's run holds what one signal may carry: it ends before the event that would pass its size. */
  @Test
  void aRoundsRunEndsWhereOneSignalWouldGrowPastItsSize() {
    String lead = "outbox-run-" + UUID.randomUUID();
    String half = "x".repeat(com.nurture.workflows.journey.EventDeliveries.MAX_CHARS / 2 - 100);
    jdbi.useTransaction(h -> {
      h.attach(LeadDao.class).upsert(lead, lead + "@example.test", "", "", Map.of());
      for (String event : List.of("s1", "s2", "s3", "s4")) {
        h.attach(EventDao.class).insert(lead, event, "page_visited", Instant.now(), Map.of("note", event.equals("s4") ? "" : half));
      }
      outbox.enqueue(h, List.of("s1", "s2", "s3", "s4").stream().map(e -> new EventOutbox.Key(lead, e)).toList(), IntakeLane.BULK);
    });

    List<String> run = jdbi.inTransaction(h -> outbox.claimDueRuns(h, IntakeLane.BULK, 10_000, 50)).stream()
        .filter(r -> r.get(0).leadId().equals(lead)).findFirst().orElseThrow().stream()
        .map(e -> e.queued().subject()).toList();

    assertThat(run).as("two halves fit, a third does not").containsExactly("s1", "s2");
    assertThat(due(lead)).containsExactly("s3", "s4");
  }
}
