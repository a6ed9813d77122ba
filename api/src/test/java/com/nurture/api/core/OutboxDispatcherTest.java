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
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/** An outbox entry that keeps failing (not an outage) raises one alert, resolved once it is delivered. */
class OutboxDispatcherTest {
  private final Jdbi jdbi = TestDatabase.jdbi();
  /** For the tests whose leads queue no enrolment: another test's lead's enrolment fails, put off. */
  private static final OutboxDispatcher.Enrolling NO_ENROLMENTS = (l, program, lane) -> {
    throw new IllegalStateException("not this test's lead");
  };

  @Test
  void anEntryFailingOverAndOverAlertsOperatorsOnceAndTheAlertResolvesWhenItIsDelivered() throws Exception {
    String lead = "outbox-alert-" + UUID.randomUUID();
    String event = "evt-" + UUID.randomUUID();
    enqueue(lead, event);
    AtomicBoolean broken = new AtomicBoolean(true);
    AtomicInteger calls = new AtomicInteger();
    OutboxDispatcher dispatcher = new OutboxDispatcher(jdbi, eachAlone((l, e, lane) -> {
      if (!l.id().equals(lead)) {
        throw new IllegalStateException("not this test's lead");
      }
      calls.incrementAndGet();
      if (broken.get()) {
        throw new IllegalStateException("the journey refused it");
      }
      return true;
    }), NO_ENROLMENTS, Duration.ofSeconds(1), 100, 4);

    for (int attempt = 1; attempt <= EventOutbox.ALERT_AFTER_ATTEMPTS + 2; attempt++) {
      dueNow(lead);
      dispatcher.round(IntakeLane.ONE_AT_A_TIME);
      List<AlertRow> alerts = alerts(lead);
      if (attempt < EventOutbox.ALERT_AFTER_ATTEMPTS) {
        assertThat(alerts).as("after %d failures", attempt).isEmpty();
      } else {
        assertThat(alerts).as("after %d failures", attempt).singleElement().satisfies(a -> {
          assertThat(a.kind()).isEqualTo(EventOutbox.ALERT_KIND);
          assertThat(a.message()).contains(event).doesNotContain("@");
          assertThat(a.detail()).containsEntry("event_id", event).containsEntry("error", "IllegalStateException");
        });
      }
    }
    assertThat(calls).hasValue(EventOutbox.ALERT_AFTER_ATTEMPTS + 2);
    assertThat(new EventOutbox(jdbi).pending(lead, event)).as("still waiting").isTrue();
    assertThat(resolved(lead)).isFalse();

    broken.set(false);
    dueNow(lead);
    assertThat(dispatcher.round(IntakeLane.ONE_AT_A_TIME).delivered()).isGreaterThanOrEqualTo(1);
    assertThat(new EventOutbox(jdbi).pending(lead, event)).as("delivered").isFalse();
    assertThat(resolved(lead)).as("the alert resolves with its cause").isTrue();
  }

  /** An event a batch accepted starts its journey from the outbox in the bulk lane, as the batch would have. */
  @Test
  void anEntryKeepsTheLaneItWasAcceptedIn() throws Exception {
    Map<String, IntakeLane> lanes = new java.util.concurrent.ConcurrentHashMap<>();
    List<String> leads = List.of("outbox-lane-one-" + UUID.randomUUID(), "outbox-lane-bulk-" + UUID.randomUUID());
    jdbi.useTransaction(h -> {
      for (String lead : leads) {
        h.attach(LeadDao.class).upsert(lead, lead + "@example.test", "", "", Map.of());
        h.attach(EventDao.class).insert(lead, "evt-1", "form_submitted", Instant.now(), Map.of());
        new EventOutbox(jdbi).enqueue(h, List.of(new EventOutbox.Key(lead, "evt-1")),
            lead.contains("bulk") ? IntakeLane.BULK : IntakeLane.ONE_AT_A_TIME);
      }
    });
    OutboxDispatcher dispatcher = new OutboxDispatcher(jdbi, eachAlone((l, e, lane) -> {
      if (!leads.contains(l.id())) {
        throw new IllegalStateException("not this test's lead");
      }
      lanes.put(l.id(), lane);
      return false;
    }), NO_ENROLMENTS, Duration.ofSeconds(1), 100, 4);
    leads.forEach(this::dueNow);
    dispatcher.round(IntakeLane.ONE_AT_A_TIME);
    assertThat(lanes).as("a lane's round takes only its own entries").containsOnlyKeys(leads.get(0));
    dispatcher.round(IntakeLane.BULK);
    assertThat(lanes).containsEntry(leads.get(0), IntakeLane.ONE_AT_A_TIME).containsEntry(leads.get(1), IntakeLane.BULK);
  }

  /**
   * A round hands different leads' runs over at once (a call waits on Temporal, not a core), and a
   * lead's second event only after its first is delivered (one run, in order).
   */
  @Test
  void differentLeadsGoInParallelAndEachLeadsEventsInOrder() throws Exception {
    List<String> leads = java.util.stream.IntStream.range(0, 4)
        .mapToObj(i -> "outbox-parallel-" + i + "-" + UUID.randomUUID()).toList();
    leads.forEach(lead -> enqueue(lead, "evt-1", "evt-2"));
    java.util.concurrent.CountDownLatch allFirstsIn = new java.util.concurrent.CountDownLatch(leads.size());
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger mostAtOnce = new AtomicInteger();
    Map<String, List<String>> order = new java.util.concurrent.ConcurrentHashMap<>();
    OutboxDispatcher dispatcher = new OutboxDispatcher(jdbi, eachAlone((l, e, lane) -> {
      if (!leads.contains(l.id())) {
        throw new IllegalStateException("not this test's lead");
      }
      mostAtOnce.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
      try {
        if (e.id().equals("evt-1")) { // held until every lead's first is in flight, or 10 s
          allFirstsIn.countDown();
          allFirstsIn.await(10, java.util.concurrent.TimeUnit.SECONDS);
        }
        order.computeIfAbsent(l.id(), k -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(e.id());
      } catch (InterruptedException interrupted) {
        throw new IllegalStateException(interrupted);
      } finally {
        inFlight.decrementAndGet();
      }
      return true;
    }), NO_ENROLMENTS, Duration.ofSeconds(1), 100, 4);
    leads.forEach(this::dueNow);

    dispatcher.round(IntakeLane.ONE_AT_A_TIME);
    assertThat(mostAtOnce).as("the four leads' runs in flight at once").hasValue(4);
    assertThat(leads).allSatisfy(l -> assertThat(order.get(l)).as("lead %s, one round", l).containsExactly("evt-1", "evt-2"));
    assertThat(leads).allSatisfy(l -> assertThat(new EventOutbox(jdbi).pending(l, "evt-2")).isFalse());
  }

  /**
   * A lead's queued events go to Temporal in one hand-over (one signal to a running journey), up to a
   * signal's worth; an enrolment queued among them goes on its own, in its place.
   */
  @Test
  void aLeadsQueuedEventsGoTogetherAndAnEnrolmentAmongThemAlone() throws Exception {
    String lead = "outbox-run-" + UUID.randomUUID();
    enqueue(lead, "evt-1", "evt-2");
    jdbi.useTransaction(h -> new EventOutbox(jdbi).enqueueEnrolment(h, lead, Optional.of("onboarding"), IntakeLane.ONE_AT_A_TIME));
    enqueue(lead, "evt-3");
    List<String> handOvers = new java.util.concurrent.CopyOnWriteArrayList<>();
    OutboxDispatcher dispatcher = new OutboxDispatcher(jdbi, (l, events, lane) -> {
      if (!l.id().equals(lead)) {
        throw new IllegalStateException("not this test's lead");
      }
      handOvers.add(String.join("+", events.stream().map(com.nurture.workflows.journey.LeadEvent::id).toList()));
      return java.util.Collections.nCopies(events.size(), true);
    }, (l, program, lane) -> {
      if (!l.id().equals(lead)) {
        throw new IllegalStateException("not this test's lead");
      }
      handOvers.add("enrolment");
    }, Duration.ofSeconds(1), 100, 4);
    for (int round = 0; round < 3; round++) {
      dueNow(lead);
      dispatcher.round(IntakeLane.ONE_AT_A_TIME);
    }
    assertThat(handOvers).containsExactly("evt-1+evt-2", "enrolment", "evt-3");
    int left = jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM event_outbox WHERE lead_id = :lead")
        .bind("lead", lead).mapTo(Integer.class).one());
    assertThat(left).isZero();
  }

  /**
   * A late answer from Temporal ends the drain even when the round delivered others: the next round
   * waits for the schedule's next run instead of handing a swamped server more work at once.
   */
  @Test
  void aLateAnswerEndsTheDrainUntilTheNextScheduledRound() throws Exception {
    String quick = "outbox-late-quick-" + UUID.randomUUID();
    String late = "outbox-late-late-" + UUID.randomUUID();
    enqueue(quick, "evt-1");
    // Behind the quick lead's event, an enrolment: not part of its run, it waits for a second round.
    jdbi.useTransaction(h -> new EventOutbox(jdbi).enqueueEnrolment(h, quick, Optional.of("onboarding"), IntakeLane.ONE_AT_A_TIME));
    enqueue(late, "evt-1", "evt-2");
    java.util.concurrent.CountDownLatch quickDelivered = new java.util.concurrent.CountDownLatch(1);
    Map<String, List<String>> calls = new java.util.concurrent.ConcurrentHashMap<>();
    OutboxDispatcher dispatcher = new OutboxDispatcher(jdbi, eachAlone((l, e, lane) -> {
      if (!l.id().equals(quick) && !l.id().equals(late)) {
        throw new IllegalStateException("not this test's lead");
      }
      calls.computeIfAbsent(l.id(), k -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(e.id());
      if (l.id().equals(quick)) {
        quickDelivered.countDown();
        return true;
      }
      try { // answered late only once the other lead's head is in, so the round delivers one and meets one late answer
        quickDelivered.await(10, java.util.concurrent.TimeUnit.SECONDS);
      } catch (InterruptedException interrupted) {
        throw new IllegalStateException(interrupted);
      }
      throw new io.grpc.StatusRuntimeException(io.grpc.Status.DEADLINE_EXCEEDED);
    }), (l, program, lane) -> {
      if (!l.id().equals(quick)) {
        throw new IllegalStateException("not this test's lead");
      }
      calls.computeIfAbsent(l.id(), k -> new java.util.concurrent.CopyOnWriteArrayList<>()).add("enrolment");
    }, Duration.ofSeconds(1), 100, 4);
    dueNow(quick);
    dueNow(late);

    dispatcher.drain(IntakeLane.ONE_AT_A_TIME);

    assertThat(calls.get(quick)).as("only the first round ran: the quick lead's enrolment waits").containsExactly("evt-1");
    assertThat(calls.get(late)).as("the late lead's run was tried once, and stopped at its head").containsExactly("evt-1");
    Optional<EventOutbox.WaitingEnrolment> waiting = jdbi.withHandle(h -> new EventOutbox(jdbi).waitingEnrolment(h, quick));
    assertThat(waiting).isPresent();
    assertThat(new EventOutbox(jdbi).pending(late, "evt-1")).as("kept in its place").isTrue();
  }

  /**
   * An enrolment Temporal could not take waits in the lead's order: the lead's events accepted after it
   * wait behind it and reach the journey only once it has started; an event accepted before it goes
   * first. A repeat of the enrolment is the same entry; one that fails (not an outage) is put off and
   * holds the events behind it.
   */
  @Test
  void aQueuedEnrolmentStartsBeforeTheEventsAcceptedAfterItAndAfterThoseBefore() throws Exception {
    String lead = "outbox-enrol-" + UUID.randomUUID();
    EventOutbox outbox = new EventOutbox(jdbi);
    enqueue(lead, "evt-before");
    Optional<Long> queued = jdbi.inTransaction(h -> outbox.enqueueEnrolment(h, lead, Optional.of("onboarding"),
        IntakeLane.ONE_AT_A_TIME));
    assertThat(queued).isPresent();
    Optional<Long> repeat = jdbi.inTransaction(h -> outbox.enqueueEnrolment(h, lead, Optional.of("onboarding"),
        IntakeLane.ONE_AT_A_TIME));
    assertThat(repeat).as("a repeat is the same entry").isEmpty();
    enqueue(lead, "evt-after-1", "evt-after-2");
    Optional<EventOutbox.WaitingEnrolment> waiting = jdbi.withHandle(h -> outbox.waitingEnrolment(h, lead));
    assertThat(waiting.orElseThrow().program()).contains("onboarding");
    List<String> order = new java.util.concurrent.CopyOnWriteArrayList<>();
    AtomicBoolean startFails = new AtomicBoolean(true);
    OutboxDispatcher dispatcher = new OutboxDispatcher(jdbi, eachAlone((l, e, lane) -> {
      if (!l.id().equals(lead)) {
        throw new IllegalStateException("not this test's lead");
      }
      order.add(e.id());
      return true;
    }), (l, program, lane) -> {
      if (!l.id().equals(lead)) {
        throw new IllegalStateException("not this test's lead");
      }
      order.add("enrol " + program.orElse("track") + " " + lane);
      if (startFails.get()) {
        throw new IllegalStateException("the start failed");
      }
    }, Duration.ofSeconds(1), 100, 4);

    dueNow(lead);
    dispatcher.round(IntakeLane.ONE_AT_A_TIME);
    dispatcher.round(IntakeLane.ONE_AT_A_TIME);
    assertThat(order).as("the event before goes, then the enrolment fails and holds the rest")
        .containsExactly("evt-before", "enrol onboarding ONE_AT_A_TIME");
    assertThat(outbox.pending(lead, "evt-after-1")).isTrue();

    startFails.set(false);
    for (int round = 0; round < 5 && outbox.pending(lead, "evt-after-2"); round++) {
      dueNow(lead);
      dispatcher.round(IntakeLane.ONE_AT_A_TIME);
    }
    assertThat(order).containsExactly("evt-before", "enrol onboarding ONE_AT_A_TIME", "enrol onboarding ONE_AT_A_TIME",
        "evt-after-1", "evt-after-2");
    Optional<EventOutbox.WaitingEnrolment> after = jdbi.withHandle(h -> outbox.waitingEnrolment(h, lead));
    assertThat(after).as("handed over: gone").isEmpty();
  }

  /**
   * The lanes run on their own schedules and threads: a sign-up's queued enrolment is started while a
   * round of the bulk lane still waits on Temporal, and only its hand-over runs patiently (the longer
   * deadline), the batch's not.
   */
  @Test
  void aQueuedSignUpIsNotHeldBehindABulkRoundStillWaitingOnTemporal() throws Exception {
    String bulk = "outbox-lanes-bulk-" + UUID.randomUUID();
    String signUp = "outbox-lanes-signup-" + UUID.randomUUID();
    jdbi.useTransaction(h -> {
      h.attach(LeadDao.class).upsert(bulk, bulk + "@example.test", "", "", Map.of());
      h.attach(EventDao.class).insert(bulk, "evt-1", "form_submitted", Instant.now(), Map.of());
      new EventOutbox(jdbi).enqueue(h, List.of(new EventOutbox.Key(bulk, "evt-1")), IntakeLane.BULK);
    });
    java.util.concurrent.CountDownLatch bulkInFlight = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch signUpStarted = new java.util.concurrent.CountDownLatch(1);
    AtomicBoolean startedWhileBulkWaited = new AtomicBoolean();
    AtomicBoolean bulkDone = new AtomicBoolean();
    List<String> patient = new java.util.concurrent.CopyOnWriteArrayList<>();
    ThreadLocal<Boolean> patiently = ThreadLocal.withInitial(() -> false);
    OutboxDispatcher dispatcher = new OutboxDispatcher(jdbi, eachAlone((l, e, lane) -> {
      if (!l.id().equals(bulk)) {
        throw new IllegalStateException("not this test's lead");
      }
      if (patiently.get()) {
        patient.add(bulk);
      }
      bulkInFlight.countDown();
      try { // Temporal slow to answer the batch's event: held until the sign-up has started, or 15 s
        signUpStarted.await(15, java.util.concurrent.TimeUnit.SECONDS);
      } catch (InterruptedException interrupted) {
        throw new IllegalStateException(interrupted);
      }
      bulkDone.set(true);
      return false;
    }), (l, program, lane) -> {
      if (!l.id().equals(signUp)) {
        throw new IllegalStateException("not this test's lead");
      }
      if (patiently.get()) {
        patient.add(signUp);
      }
      startedWhileBulkWaited.set(!bulkDone.get());
      signUpStarted.countDown();
    }, handOver -> {
      patiently.set(true);
      try {
        return handOver.get();
      } finally {
        patiently.set(false);
      }
    }, Duration.ofMillis(50), 100, 1);
    dueNow(bulk);
    dispatcher.start();
    try {
      assertThat(bulkInFlight.await(15, java.util.concurrent.TimeUnit.SECONDS)).as("the bulk lane took its entry").isTrue();
      jdbi.useTransaction(h -> {
        h.attach(LeadDao.class).upsert(signUp, signUp + "@example.test", "", "", Map.of());
        new EventOutbox(jdbi).enqueueEnrolment(h, signUp, Optional.of("onboarding"), IntakeLane.ONE_AT_A_TIME);
      });
      assertThat(signUpStarted.await(10, java.util.concurrent.TimeUnit.SECONDS)).as("the sign-up started").isTrue();
      assertThat(startedWhileBulkWaited).as("while the bulk round still waited on Temporal").isTrue();
      assertThat(patient).as("only the one-at-a-time lane's hand-over ran patiently").containsExactly(signUp);
    } finally {
      dispatcher.stop();
    }
  }

  /**
   * A lead's entries go in order across the lanes: its newer one-at-a-time event waits while its older
   * bulk one is undelivered, and goes once it is.
   */
  @Test
  void aLeadsEntriesGoInOrderWhicheverLaneEachCameIn() throws Exception {
    String lead = "outbox-cross-lane-" + UUID.randomUUID();
    jdbi.useTransaction(h -> {
      h.attach(LeadDao.class).upsert(lead, lead + "@example.test", "", "", Map.of());
      h.attach(EventDao.class).insert(lead, "evt-bulk", "form_submitted", Instant.now(), Map.of());
      h.attach(EventDao.class).insert(lead, "evt-single", "page_visited", Instant.now(), Map.of());
      new EventOutbox(jdbi).enqueue(h, List.of(new EventOutbox.Key(lead, "evt-bulk")), IntakeLane.BULK);
      new EventOutbox(jdbi).enqueue(h, List.of(new EventOutbox.Key(lead, "evt-single")), IntakeLane.ONE_AT_A_TIME);
    });
    List<String> order = new java.util.concurrent.CopyOnWriteArrayList<>();
    OutboxDispatcher dispatcher = new OutboxDispatcher(jdbi, eachAlone((l, e, lane) -> {
      if (!l.id().equals(lead)) {
        throw new IllegalStateException("not this test's lead");
      }
      order.add(e.id() + " " + lane);
      return true;
    }), NO_ENROLMENTS, Duration.ofSeconds(1), 100, 4);
    dueNow(lead);

    dispatcher.round(IntakeLane.ONE_AT_A_TIME);
    assertThat(order).as("the newer entry waits behind the older, bulk one").isEmpty();
    dispatcher.round(IntakeLane.BULK);
    dispatcher.round(IntakeLane.ONE_AT_A_TIME);
    assertThat(order).containsExactly("evt-bulk BULK", "evt-single ONE_AT_A_TIME");
  }

  /**
   * The one-at-a-time lane claims no more entries a round than it has threads, so each round is one
   * wave of patient calls, over long before its claims expire; the bulk lane claims its batch.
   */
  @Test
  void aOneAtATimeRoundClaimsNoMoreThanItHasThreads() throws Exception {
    List<String> leads = java.util.stream.IntStream.range(0, 5)
        .mapToObj(i -> "outbox-wave-" + i + "-" + UUID.randomUUID()).toList();
    leads.forEach(lead -> enqueue(lead, "evt-1"));
    Map<String, Integer> handed = new java.util.concurrent.ConcurrentHashMap<>();
    OutboxDispatcher dispatcher = new OutboxDispatcher(jdbi, eachAlone((l, e, lane) -> {
      if (!leads.contains(l.id())) {
        throw new IllegalStateException("not this test's lead");
      }
      handed.merge(l.id(), 1, Integer::sum);
      return true;
    }), NO_ENROLMENTS, Duration.ofSeconds(1), 100, 2);
    leads.forEach(this::dueNow);

    dispatcher.round(IntakeLane.ONE_AT_A_TIME);
    // At most two: other tests' leftovers in the shared database may take a slot.
    assertThat(handed.size()).as("one wave: two threads, at most two entries").isBetween(0, 2);
    for (int round = 0; round < 10 && handed.size() < leads.size(); round++) {
      dispatcher.round(IntakeLane.ONE_AT_A_TIME);
    }
    assertThat(handed).as("every lead once").hasSize(5).allSatisfy((lead, times) -> assertThat(times).isEqualTo(1));
  }

  /** A lead with {@code events} (page visits) stored and waiting in the outbox, in that order. */
  /** One event's hand-over, as a test writes it. */
  @FunctionalInterface
  private interface OneEvent {
    boolean dispatch(com.nurture.activities.db.LeadRecord lead, com.nurture.workflows.journey.LeadEvent event,
        IntakeLane lane);
  }

  /** A delivery that hands a run's events over one at a time with {@code one}, in order. */
  private static OutboxDispatcher.Delivery eachAlone(OneEvent one) {
    return (lead, events, lane) -> {
      List<Boolean> toJourney = new java.util.ArrayList<>();
      events.forEach(e -> toJourney.add(one.dispatch(lead, e, lane)));
      return toJourney;
    };
  }

  private void enqueue(String lead, String... events) {
    jdbi.useTransaction(h -> {
      h.attach(LeadDao.class).upsert(lead, lead + "@example.test", "", "", Map.of());
      for (String event : events) {
        h.attach(EventDao.class).insert(lead, event, "page_visited", Instant.now(), Map.of());
        new EventOutbox(jdbi).enqueue(h, List.of(new EventOutbox.Key(lead, event)), IntakeLane.ONE_AT_A_TIME);
      }
    });
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
