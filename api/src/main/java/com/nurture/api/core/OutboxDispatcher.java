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
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import com.nurture.workflows.journey.EventDeliveries;
import com.nurture.workflows.journey.LeadEvent;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers what waits in the {@link EventOutbox} (server role; any number of API processes may run
 * one): events to their journeys or triggers, and enrolments queued while Temporal was away to their
 * start ({@link JourneyService#enrolQueued}). It runs two lanes side by side, one per {@link
 * IntakeLane} an entry was accepted in, each on its own schedule and threads, so a sign-up's queued
 * enrolment is not left waiting behind a round of a batch's events (which under a burst takes
 * seconds). Every {@code events.outbox_interval} a lane claims up to {@code events.outbox_batch} of
 * its due heads, the one-at-a-time lane no more than it has threads ({@link #round}): one per lead
 * (an entry is its lead's oldest, so a lead's entries go in order whichever lane each came in), each
 * with the lead's events queued after it in the same lane (a run, {@link EventOutbox#claimDueRuns}),
 * locked with SKIP LOCKED and claimed for {@link EventOutbox#CLAIM} in one short transaction, so
 * processes never take the same entry. It hands each run to Temporal as a batch would have ({@link
 * EventIntake#dispatchAll}: one signal to a running journey) on up to {@code events.outbox_threads} threads
 * of its own at once, different leads in parallel and no connection held across a call, and
 * deletes each run once handed over; then goes again at once while there was work and Temporal answered
 * every call in time. The one-at-a-time lane's calls wait on Temporal up to {@code
 * temporal.update_timeout} ({@link TemporalConnection#patiently}: no request waits on them, and a
 * late start beats one asked again and again); the bulk lane's up to {@code temporal.call_timeout}.
 * Temporal or PostgreSQL away or late ends the lane's round and drain: the entries keep their place
 * and the lane's next scheduled round, an interval later, tries again, so a swamped Temporal server
 * is not handed the next round of bulk work while the calls that wait on it (a sign-up's start)
 * time out. Any other failure puts that entry off ({@link EventOutbox#nextAttempt}) and holds the
 * lead's later events behind it; at its {@value EventOutbox#ALERT_AFTER_ATTEMPTS}th such failure an
 * {@code event_undeliverable} alert names the lead and the event (ids only), and it is resolved when
 * the entry is delivered after all. A crash between a hand-over and its delete leaves the claim to
 * expire and the event to be handed over again, which the journey counts once.
 */
public final class OutboxDispatcher implements Managed {
  private static final Logger log = LoggerFactory.getLogger(OutboxDispatcher.class);

  private final Jdbi jdbi;
  private final EventOutbox outbox;

  /**
   * Hands stored events of one lead, in order, to its journey or trigger ({@link EventIntake#dispatchAll}:
   * one signal to a running journey), a journey they start in the lane they were accepted in; for each,
   * true when to a journey.
   */
  @FunctionalInterface
  interface Delivery {
    List<Boolean> dispatchAll(LeadRecord lead, List<LeadEvent> events, IntakeLane lane);
  }

  /**
   * Starts a queued enrolment's journey ({@link JourneyService#enrolQueued}), in the lane it was asked
   * in; throws when Temporal is away or late (it waits on), and settles a refusal itself.
   */
  @FunctionalInterface
  public interface Enrolling {
    void enrol(LeadRecord lead, Optional<String> program, IntakeLane lane);
  }

  /**
   * Runs one hand-over of the one-at-a-time lane: with the patient deadline ({@link
   * TemporalConnection#patiently}) in production, as it is in tests of one class.
   */
  @FunctionalInterface
  interface Patience {
    List<Boolean> run(Supplier<List<Boolean>> handOver);
  }

  private final Delivery intake;
  private final Enrolling enrolments;
  private final Patience patience;
  private final Duration interval;
  /**
   * One intake lane's part of the dispatcher: its name (logs, threads), its hands (a round's entries,
   * one lead each, up to {@code events.outbox_threads} at once) and how many entries a round claims
   * ({@link #round}).
   */
  private record Lane(String name, ExecutorService hands, int claim) {}

  private final Map<IntakeLane, Lane> lanes = new EnumMap<>(IntakeLane.class);
  private ScheduledExecutorService runner;

  /**
   * @param enrolments {@link JourneyService#enrolQueued}
   * @param temporal whose {@link TemporalConnection#patiently} runs the one-at-a-time lane's hand-overs
   */
  public OutboxDispatcher(Jdbi jdbi, EventIntake intake, Enrolling enrolments, TemporalConnection temporal,
      Duration interval, int batch, int threads) {
    this(jdbi, intake::dispatchAll, enrolments, temporal::patiently, interval, batch, threads);
  }

  /** @param patience how the one-at-a-time lane's hand-overs run ({@link TemporalConnection#patiently}) */
  OutboxDispatcher(Jdbi jdbi, Delivery intake, Enrolling enrolments, Patience patience, Duration interval,
      int batch, int threads) {
    this.jdbi = jdbi;
    this.outbox = new EventOutbox(jdbi);
    this.intake = intake;
    this.enrolments = enrolments;
    this.patience = patience;
    this.interval = interval;
    for (IntakeLane lane : IntakeLane.values()) {
      boolean bulk = lane == IntakeLane.BULK;
      String name = bulk ? "bulk" : "one";
      AtomicInteger named = new AtomicInteger();
      ExecutorService hands = Executors.newFixedThreadPool(threads, r -> {
        Thread t = new Thread(r, "event-outbox-" + name + "-" + named.incrementAndGet());
        t.setDaemon(true);
        return t;
      });
      lanes.put(lane, new Lane(name, hands, bulk ? batch : Math.min(batch, threads)));
    }
  }

  /** Tests of one class: the one-at-a-time lane's hand-overs run as they are. */
  OutboxDispatcher(Jdbi jdbi, Delivery intake, Enrolling enrolments, Duration interval, int batch, int threads) {
    this(jdbi, intake, enrolments, Supplier::get, interval, batch, threads);
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

  /** Each lane on its own schedule (one runner thread each), so neither waits on the other's round. */
  @Override
  public void start() {
    AtomicInteger named = new AtomicInteger();
    runner = Executors.newScheduledThreadPool(IntakeLane.values().length, r -> {
      Thread t = new Thread(r, "event-outbox-" + named.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    for (IntakeLane lane : IntakeLane.values()) {
      runner.scheduleWithFixedDelay(() -> drain(lane), interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /**
   * Stops both lanes: no new round, and the hand-overs in flight given 10 s in all to finish before
   * they are interrupted (an entry not settled keeps its claim until it expires, then goes again).
   */
  @Override
  public void stop() throws InterruptedException {
    List<ExecutorService> all = new ArrayList<>(lanes.values().stream().map(Lane::hands).toList());
    if (runner != null) {
      all.add(0, runner);
    }
    all.forEach(ExecutorService::shutdown);
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    for (ExecutorService executor : all) {
      if (!executor.awaitTermination(Math.max(0, until - System.nanoTime()), TimeUnit.NANOSECONDS)) {
        executor.shutdownNow();
      }
    }
  }

  /**
   * {@code lane}'s rounds until one delivers nothing or finds Temporal away or late (then the lane's
   * next scheduled run, an interval later, goes on); never throws (a thrown error would end the schedule).
   */
  void drain(IntakeLane lane) {
    try {
      Round last;
      do {
        last = round(lane);
      } while (last.delivered() > 0 && !last.temporalAway() && !stopped());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      if (DatabaseOutage.is(e)) {
        log.warn("event outbox, {} lane: the database did not answer; trying again in {} ms", lanes.get(lane).name(),
            interval.toMillis());
      } else {
        log.error("event outbox, {} lane: round failed", lanes.get(lane).name(), e);
      }
    }
  }

  /** Whether {@link #stop} has begun (never, for a dispatcher whose rounds a test runs without {@link #start}). */
  private boolean stopped() {
    return runner != null && runner.isShutdown();
  }

  /** A lead's run of claimed entries ({@link EventOutbox#claimDueRuns}) and the lead, when it still exists. */
  private record Claimed(List<EventOutbox.Entry> run, Optional<LeadRecord> lead) {
    EventOutbox.Entry head() {
      return run.get(0);
    }
  }

  /**
   * What a round did: how many entries it delivered, and whether Temporal (or PostgreSQL) failed to
   * answer one of its calls in time, which ends the drain until the next scheduled run.
   */
  record Round(int delivered, boolean temporalAway) {}

  /**
   * One round of {@code lane}: its due heads claimed in one short transaction, each with the lead's
   * events that follow it (a run, at most {@link EventDeliveries#MAX}: one signal to a running
   * journey), then each run handed over on its own thread and settled in its own transaction; returns
   * when all are. The bulk lane claims up to {@code events.outbox_batch} heads; the one-at-a-time lane
   * no more than it has threads, so all its runs are in flight at once, its round ends within one
   * patient call (well inside {@link EventOutbox#CLAIM}), and a sign-up queued meanwhile waits for no
   * more than that.
   */
  Round round(IntakeLane lane) throws InterruptedException {
    Lane of = lanes.get(lane);
    List<Claimed> runs = jdbi.inTransaction(h -> {
      LeadDao leads = h.attach(LeadDao.class);
      return outbox.claimDueRuns(h, lane, of.claim(), EventDeliveries.MAX).stream()
          .map(run -> new Claimed(run, leads.find(run.get(0).leadId()))).toList();
    });
    AtomicBoolean away = new AtomicBoolean();
    List<Future<Integer>> handed = new ArrayList<>();
    for (Claimed run : runs) {
      try {
        handed.add(of.hands().submit(() -> handOver(run, away, runs.size())));
      } catch (RejectedExecutionException stopping) { // stop() began: due again at once, for the next process
        jdbi.useHandle(h -> outbox.release(h, run.run()));
      }
    }
    int delivered = 0;
    for (Future<Integer> one : handed) {
      try {
        delivered += one.get();
      } catch (ExecutionException e) { // the database failed settling it: its claim expires, it goes again
        log.warn("event outbox, {} lane: entries are left until their claim expires: {}", of.name(),
            e.getCause().toString());
      }
    }
    return new Round(delivered, away.get());
  }

  /**
   * Hands one claimed run over and settles it: deleted, noted as failed, or released untried when
   * Temporal or PostgreSQL was found away earlier in the round. @return how many entries were delivered
   */
  private int handOver(Claimed claimed, AtomicBoolean away, int due) {
    EventOutbox.Entry head = claimed.head();
    boolean unknownType = head.queued() instanceof EventOutbox.QueuedEvent e && e.event().isEmpty();
    if (claimed.lead().isEmpty() || unknownType) { // an unknown type is never part of a longer run
      log.warn("event outbox: dropping the {} of lead {}: {}", EventOutbox.label(claimed.run()), head.leadId(),
          claimed.lead().isEmpty() ? "the lead is gone" : "its type is unknown to this release");
      jdbi.useHandle(h -> outbox.delivered(h, claimed.run()));
      return 0;
    }
    if (away.get()) {
      jdbi.useHandle(h -> outbox.release(h, claimed.run()));
      return 0;
    }
    LeadRecord lead = claimed.lead().get();
    Supplier<List<Boolean>> deliver = () -> {
      if (head.queued() instanceof EventOutbox.QueuedEnrolment enrolment) { // an enrolment goes alone
        enrolments.enrol(lead, enrolment.program(), head.lane());
        return List.of(false);
      }
      List<LeadEvent> events = claimed.run().stream().map(EventOutbox::event).toList();
      return intake.dispatchAll(lead, events, head.lane());
    };
    List<EventOutbox.HandOver> outcomes = outbox.handOverRun(claimed.run(),
        head.lane() == IntakeLane.BULK ? deliver : () -> patience.run(deliver));
    EventOutbox.HandOver outcome = outcomes.get(0); // a run's entries share their outcome, but for to-journey
    if (outcome == EventOutbox.HandOver.OUTAGE && !away.getAndSet(true)) {
      log.warn("event outbox, {} lane: Temporal did not answer in time ({} runs due); the round's entries not yet handed over wait; trying again in {} ms",
          lanes.get(head.lane()).name(), due, interval.toMillis());
    }
    if (outcome.delivered()) { // the first try is the common case (a batch's items): one line each only at debug
      String to = outcomes.contains(EventOutbox.HandOver.TO_JOURNEY) ? ", to the journey" : "";
      String what = EventOutbox.label(claimed.run());
      if (head.attempts() > 0) {
        log.info("event outbox: the {} of lead {} handed over after {} failed attempts{}", what, head.leadId(),
            head.attempts(), to);
      } else {
        log.debug("event outbox: the {} of lead {} handed over{}", what, head.leadId(), to);
      }
    }
    return outcome.delivered() ? claimed.run().size() : 0;
  }
}
