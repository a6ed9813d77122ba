package com.nurture.api.core;

import com.nurture.workflows.journey.IntakeLane;
import com.nurture.activities.db.DatabaseOutage;
import com.nurture.activities.db.LeadDao;
import com.nurture.activities.db.LeadRecord;
import com.codahale.metrics.CachedGauge;
import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import io.dropwizard.lifecycle.Managed;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import com.nurture.workflows.journey.LeadEvent;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers what waits in the {@link EventOutbox} (server role; any number of API processes may run
 * one): events to their journeys or triggers, and enrolments queued while Temporal was away to their
 * start ({@link JourneyService#enrolQueued}). Every {@code events.outbox_interval} it claims up to {@code events.outbox_batch} due heads
 * (one per lead, locked with SKIP LOCKED and claimed for {@link EventOutbox#CLAIM} in one short
 * transaction, so processes never take the same entry and a lead's next event waits until its
 * earlier one is delivered), hands them to Temporal as the request would have ({@link
 * EventIntake#dispatch}) on up to {@code events.outbox_threads} threads at once, different leads in
 * parallel and no connection held across a call, and deletes each once handed over; then goes again
 * at once while there was work and Temporal answered every call in time. Temporal or PostgreSQL away
 * or late ends the round and the drain: the entries keep their place and the next scheduled round, an
 * interval later, tries again, so a swamped Temporal server is not handed the next round of bulk work
 * while the calls that wait on it (a sign-up's start) time out. Any other failure puts that entry off ({@link
 * EventOutbox#nextAttempt}) and holds the lead's later events behind it; at its {@value
 * EventOutbox#ALERT_AFTER_ATTEMPTS}th such failure an {@code event_undeliverable} alert names the lead and the
 * event (ids only), and it is resolved when the entry is delivered after all. A crash between a
 * hand-over and its delete leaves the claim to expire and the event to be handed over again, which
 * the journey counts once.
 */
public final class OutboxDispatcher implements Managed {
  private static final Logger log = LoggerFactory.getLogger(OutboxDispatcher.class);

  private final Jdbi jdbi;
  private final EventOutbox outbox;

  /**
   * Hands a stored event to its lead's journey or trigger ({@link EventIntake#dispatch}), a journey
   * it starts in the lane the event was accepted in; true when to a journey.
   */
  @FunctionalInterface
  interface Delivery {
    boolean dispatch(LeadRecord lead, LeadEvent event, IntakeLane lane);
  }

  /**
   * Starts a queued enrolment's journey ({@link JourneyService#enrolQueued}), in the lane it was asked
   * in; throws when Temporal is away or late (it waits on), and settles a refusal itself.
   */
  @FunctionalInterface
  interface Enrolling {
    void enrol(LeadRecord lead, Optional<String> program, IntakeLane lane);
  }

  private final Delivery intake;
  private final Enrolling enrolments;
  private final Duration interval;
  private final int batch;
  /** Hands a round's entries over, one lead each, up to {@code events.outbox_threads} at once. */
  private final ExecutorService hands;
  private ScheduledExecutorService runner;

  public OutboxDispatcher(Jdbi jdbi, EventIntake intake, JourneyService journeys, Duration interval, int batch,
      int threads) {
    this(jdbi, intake::dispatch, journeys::enrolQueued, interval, batch, threads);
  }

  OutboxDispatcher(Jdbi jdbi, Delivery intake, Enrolling enrolments, Duration interval, int batch, int threads) {
    this.jdbi = jdbi;
    this.outbox = new EventOutbox(jdbi);
    this.intake = intake;
    this.enrolments = enrolments;
    this.interval = interval;
    this.batch = batch;
    AtomicInteger named = new AtomicInteger();
    this.hands = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "event-outbox-" + named.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * {@code nurture.outbox.pending} (entries waiting) and {@code nurture.outbox.oldest_seconds} (how
   * long the oldest has waited; 0 when none), read at most every 10 s.
   */
  public void registerGauges(MetricRegistry metrics) {
    CachedGauge<EventOutbox.Backlog> backlog = new CachedGauge<>(10, TimeUnit.SECONDS) {
      @Override
      protected EventOutbox.Backlog loadValue() {
        return outbox.backlog();
      }
    };
    metrics.register("nurture.outbox.pending", (Gauge<Integer>) () -> backlog.getValue().pending());
    metrics.register("nurture.outbox.oldest_seconds", (Gauge<Long>) () -> backlog.getValue().oldest()
        .map(at -> Math.max(0, Duration.between(at, Instant.now()).toSeconds())).orElse(0L));
  }

  @Override
  public void start() {
    runner = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "event-outbox");
      t.setDaemon(true);
      return t;
    });
    runner.scheduleWithFixedDelay(this::drain, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void stop() throws InterruptedException {
    runner.shutdown();
    runner.awaitTermination(10, TimeUnit.SECONDS);
    hands.shutdown();
    hands.awaitTermination(10, TimeUnit.SECONDS);
  }

  /**
   * Rounds until one delivers nothing or finds Temporal away or late (then the schedule's next run,
   * an interval later, goes on); never throws (a thrown error would end the schedule).
   */
  void drain() {
    try {
      Round last;
      do {
        last = round();
      } while (last.delivered() > 0 && !last.temporalAway() && !stopped());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      if (DatabaseOutage.is(e)) {
        log.warn("event outbox: the database did not answer; trying again in {} ms", interval.toMillis());
      } else {
        log.error("event outbox: round failed", e);
      }
    }
  }

  /** Whether {@link #stop} has begun (never, for a dispatcher whose rounds a test runs without {@link #start}). */
  private boolean stopped() {
    return runner != null && runner.isShutdown();
  }

  private record Claimed(EventOutbox.Entry entry, Optional<LeadRecord> lead) {}

  /**
   * What a round did: how many entries it delivered, and whether Temporal (or PostgreSQL) failed to
   * answer one of its calls in time, which ends the drain until the next scheduled run.
   */
  record Round(int delivered, boolean temporalAway) {}

  /**
   * One round: the due heads claimed in one short transaction, then each handed over on its own
   * thread and settled in its own transaction; returns when all are.
   */
  Round round() throws InterruptedException {
    List<Claimed> heads = jdbi.inTransaction(h -> {
      LeadDao leads = h.attach(LeadDao.class);
      return outbox.claimDueHeads(h, batch).stream().map(entry -> new Claimed(entry, leads.find(entry.leadId()))).toList();
    });
    AtomicBoolean away = new AtomicBoolean();
    List<Future<Boolean>> handed = new ArrayList<>();
    for (Claimed head : heads) {
      handed.add(hands.submit(() -> handOver(head, away, heads.size())));
    }
    int delivered = 0;
    for (Future<Boolean> one : handed) {
      try {
        delivered += one.get() ? 1 : 0;
      } catch (ExecutionException e) { // the database failed settling it: its claim expires, it goes again
        log.warn("event outbox: an entry is left until its claim expires: {}", e.getCause().toString());
      }
    }
    return new Round(delivered, away.get());
  }

  /**
   * Hands one claimed head over and settles it: deleted, noted as failed, or released untried when
   * Temporal or PostgreSQL was found away earlier in the round. @return whether it was delivered
   */
  private boolean handOver(Claimed head, AtomicBoolean away, int due) {
    EventOutbox.Entry entry = head.entry();
    boolean unknownType = entry.queued() instanceof EventOutbox.QueuedEvent e && e.event().isEmpty();
    if (head.lead().isEmpty() || unknownType) {
      log.warn("event outbox: dropping the {} of lead {}: {}", entry.label(), entry.leadId(),
          head.lead().isEmpty() ? "the lead is gone" : "its type is unknown to this release");
      jdbi.useHandle(h -> outbox.delivered(h, entry.seq()));
      return false;
    }
    if (away.get()) {
      jdbi.useHandle(h -> outbox.release(h, entry.seq()));
      return false;
    }
    LeadRecord lead = head.lead().get();
    EventOutbox.HandOver outcome = outbox.handOver(entry, () -> {
      if (entry.queued() instanceof EventOutbox.QueuedEnrolment enrolment) {
        enrolments.enrol(lead, enrolment.program(), entry.lane());
        return false;
      }
      return intake.dispatch(lead, ((EventOutbox.QueuedEvent) entry.queued()).event().orElseThrow(), entry.lane());
    });
    if (outcome == EventOutbox.HandOver.OUTAGE && !away.getAndSet(true)) {
      log.warn("event outbox: Temporal did not answer in time ({} entries due); the round's entries not yet handed over wait; trying again in {} ms",
          due, interval.toMillis());
    }
    if (outcome.delivered()) { // the first try is the common case (a batch's items): one line each only at debug
      String to = outcome == EventOutbox.HandOver.TO_JOURNEY ? ", to the journey" : "";
      if (entry.attempts() > 0) {
        log.info("event outbox: the {} of lead {} handed over after {} failed attempts{}", entry.label(),
            entry.leadId(), entry.attempts(), to);
      } else {
        log.debug("event outbox: the {} of lead {} handed over{}", entry.label(), entry.leadId(), to);
      }
    }
    return outcome.delivered();
  }
}
