package com.nurture.api.core;

import com.nurture.activities.db.JsonObjectColumn;
import com.nurture.activities.db.AlertDao;
import com.nurture.activities.db.DatabaseOutage;
import com.nurture.workflows.journey.EventDeliveries;
import com.nurture.workflows.journey.IntakeLane;
import com.nurture.workflows.journey.EventType;
import com.nurture.workflows.journey.LeadEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleConsumer;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code event_outbox} table: events stored but not yet handed to their journey, and enrolments
 * Temporal could not take when they were asked for. An event's entry is written in the transaction
 * that stores the event, an enrolment's when its start fails for Temporal being away or late; each is
 * deleted in the transaction that settles its hand-over. Only a lead's <em>head</em> (its entry with
 * the lowest {@code seq}) may be handed over: the dispatcher and the intake claim it for {@link #CLAIM}
 * in a short transaction ({@code FOR UPDATE SKIP LOCKED}; no transaction held across the Temporal
 * call); so several API processes share the work and a lead's entries reach Temporal in the order
 * they were accepted, never a later one first: a queued enrolment starts its journey before the
 * events accepted after it are delivered to it.
 */
public final class EventOutbox {
  private static final Logger log = LoggerFactory.getLogger(EventOutbox.class);
  /** What an entry holds: a stored event, or an enrolment; how logs and alerts name it (ids only). */
  public sealed interface Queued permits QueuedEvent, QueuedEnrolment {
    /** For logs and alerts: "event evt-1" or "enrolment in onboarding". */
    String label();

    /** Its part of its alert's key: the event's id, or "enrolment" (one waits at most per lead). */
    String subject();

    /** What its alert's detail names it by: the event's id, or the enrolment's program ("track": none named). */
    Map<String, Object> ids();
  }

  /** A stored event; {@code event} is empty for a type this release does not know. */
  public record QueuedEvent(String eventId, Optional<LeadEvent> event) implements Queued {
    @Override
    public String label() {
      return "event " + eventId;
    }

    @Override
    public String subject() {
      return eventId;
    }

    @Override
    public Map<String, Object> ids() {
      return Map.of("event_id", eventId);
    }
  }

  /** An enrolment; {@code program} empty: the track of the lead's quadrant when it starts. */
  public record QueuedEnrolment(Optional<String> program) implements Queued {
    @Override
    public String label() {
      return "enrolment in " + program.orElse("its track");
    }

    @Override
    public String subject() {
      return "enrolment";
    }

    @Override
    public Map<String, Object> ids() {
      return Map.of("enrolment", program.orElse("track"));
    }
  }

  /**
   * An entry; {@code lane}, the intake lane a journey it starts goes in (a batch's event: bulk).
   */
  public record Entry(long seq, String leadId, int attempts, Queued queued, IntakeLane lane) {
    /** For logs and alerts (ids only): {@link Queued#label}. */
    public String label() {
      return queued.label();
    }
  }

  /** The longest wait between two attempts at an entry that failed for a reason other than an outage. */
  static final Duration MAX_BACKOFF = Duration.ofMinutes(5);

  private static final String ENTRY_COLUMNS =
      "o.seq, o.lead_id, o.attempts, o.bulk, o.enrol, o.program_id, e.id, e.type, e.occurred_at, e.properties";
  private static final String ENTRY_FROM = " FROM event_outbox o LEFT JOIN events e ON e.lead_id = o.lead_id AND e.id = o.event_id";
  private static final String ENTRY = "SELECT " + ENTRY_COLUMNS + ENTRY_FROM;
  private static final String IS_HEAD =
      "NOT EXISTS (SELECT 1 FROM event_outbox b WHERE b.lead_id = o.lead_id AND b.seq < o.seq)";

  private final Jdbi jdbi;

  public EventOutbox(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /** A stored event's key: its lead and its id. */
  public record Key(String leadId, String eventId) {}

  /**
   * Queues stored events, accepted in {@code lane}, in this order (a lead's events reach its journey
   * in the order queued); call in the transaction that stores them. One batched statement.
   */
  public void enqueue(Handle h, List<Key> events, IntakeLane lane) {
    PreparedBatch batch = h.prepareBatch("INSERT INTO event_outbox (lead_id, event_id, bulk) VALUES (:lead, :event, :bulk) "
        + "ON CONFLICT DO NOTHING");
    for (Key event : events) {
      batch.bind("lead", event.leadId()).bind("event", event.eventId()).bind("bulk", lane == IntakeLane.BULK).add();
    }
    batch.execute();
  }

  /**
   * Queues an enrolment of the lead (in {@code program}; empty: the track of its quadrant), behind its
   * entries waiting already and before any accepted later.
   * @return the new entry's seq; empty when one waits already (this is the same one)
   */
  public Optional<Long> enqueueEnrolment(Handle h, String leadId, Optional<String> program, IntakeLane lane) {
    return h.createQuery("INSERT INTO event_outbox (lead_id, enrol, program_id, bulk) VALUES (:lead, true, :program, :bulk) "
            + "ON CONFLICT DO NOTHING RETURNING seq")
        .bind("lead", leadId).bind("program", program.orElse(null)).bind("bulk", lane == IntakeLane.BULK)
        .mapTo(Long.class).findOne();
  }

  /** The ids of the lead's events waiting in the outbox: accepted after what is handed over now, or not yet handed over. */
  public Set<String> waitingEvents(Handle h, String leadId) {
    return new HashSet<>(h.createQuery("SELECT event_id FROM event_outbox WHERE lead_id = :lead AND event_id IS NOT NULL")
        .bind("lead", leadId).mapTo(String.class).list());
  }

  /** The lead's waiting enrolment, when one waits: its program (empty: its track) and since when. */
  public record WaitingEnrolment(Optional<String> program, Instant since) {}

  public Optional<WaitingEnrolment> waitingEnrolment(Handle h, String leadId) {
    return h.createQuery("SELECT program_id, queued_at FROM event_outbox WHERE lead_id = :lead AND enrol")
        .bind("lead", leadId)
        .map((rs, ctx) -> new WaitingEnrolment(Optional.ofNullable(rs.getString("program_id")),
            rs.getTimestamp("queued_at").toInstant()))
        .findOne();
  }

  /**
   * Deletes, in the transaction of {@code h}, the entries of {@code candidates} whose events need no
   * Temporal call: their lead runs no journey and they start none. It locks the candidates' leads'
   * entries first, in (lead, seq) order, so two processes doing this never wait for each other in a
   * cycle (the dispatcher and the intake's claims skip what is locked). Then {@code quietLeads}
   * answers which of those leads' events need no call; it reads their journeys after the lock, so
   * it sees a journey an earlier event of the lead started before that event's entry went. For each
   * such lead, its entries go in order while each is a candidate, is due, and never failed. The
   * first that is not stops that lead's, and the rest keep their place: an earlier event still
   * waiting, one a dispatcher or an intake has claimed, one put off after a failure.
   * @return the events whose entries were deleted: handed over
   */
  public Set<Key> settleQuiet(Handle h, Set<Key> candidates, UnaryOperator<Set<String>> quietLeads) {
    if (candidates.isEmpty()) {
      return Set.of();
    }
    Set<String> leads = new HashSet<>();
    candidates.forEach(k -> leads.add(k.leadId()));
    record Queued(long seq, Key key, boolean free) {}
    List<Queued> queued = h.createQuery("SELECT seq, lead_id, event_id, attempts = 0 AND next_attempt_at <= now() AS free "
            + "FROM event_outbox WHERE lead_id = ANY(:leads) ORDER BY lead_id, seq FOR UPDATE")
        .bind("leads", leads.toArray(String[]::new))
        .map((rs, ctx) -> new Queued(rs.getLong("seq"), new Key(rs.getString("lead_id"), rs.getString("event_id")),
            rs.getBoolean("free")))
        .list();
    Set<String> quiet = quietLeads.apply(leads);
    Set<Key> settled = new LinkedHashSet<>();
    Set<String> stopped = new HashSet<>();
    List<Long> seqs = new ArrayList<>();
    for (Queued q : queued) {
      if (stopped.contains(q.key().leadId())) {
        continue;
      }
      if (q.free() && quiet.contains(q.key().leadId()) && candidates.contains(q.key())) {
        settled.add(q.key());
        seqs.add(q.seq());
      } else {
        stopped.add(q.key().leadId());
      }
    }
    if (!seqs.isEmpty()) {
      h.createUpdate("DELETE FROM event_outbox WHERE seq = ANY(:seqs)").bind("seqs", seqs.toArray(Long[]::new)).execute();
    }
    return settled;
  }

  /** Whether this event still waits in the outbox. */
  public boolean pending(String leadId, String eventId) {
    return jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM event_outbox WHERE lead_id = :lead AND event_id = :event")
        .bind("lead", leadId).bind("event", eventId).mapTo(Integer.class).one() > 0);
  }

  /**
   * How long a claimed entry is left alone by everyone else, and how long a crash between its claim
   * and its hand-over delays it. Far longer than its holder takes: the intake's one call
   * (temporal.call_timeout, 1.5 s), a bulk round of the dispatcher (events.outbox_batch entries on
   * events.outbox_threads threads, one call each: 100 / 8 x 1.5 s, about 19 s), a one-at-a-time round
   * (no more entries than threads, one patient call each: at most half of this, {@link
   * TemporalConnection#PATIENT_AT_MOST}).
   */
  static final Duration CLAIM = Duration.ofSeconds(60);

  /**
   * The entry of {@code event}, queued in {@code lane} by the transaction of {@code h} (which stored the
   * event: no other session sees the entry, let alone holds it), claimed for {@link #CLAIM} in it (commit
   * it before calling Temporal) when it is its lead's head; empty when an earlier entry of the lead waits.
   * One statement.
   */
  public Optional<Entry> claimIfHead(Handle h, String leadId, LeadEvent event, IntakeLane lane) {
    return h.createQuery("UPDATE event_outbox o SET next_attempt_at = now() + make_interval(secs => :secs) "
            + "WHERE o.lead_id = :lead AND o.event_id = :event AND o.next_attempt_at <= now() AND " + IS_HEAD
            + " RETURNING o.seq, o.attempts")
        .bind("secs", CLAIM.toSeconds()).bind("lead", leadId).bind("event", event.id())
        .map((rs, ctx) -> new Entry(rs.getLong("seq"), leadId, rs.getInt("attempts"),
            new QueuedEvent(event.id(), Optional.of(event)), lane))
        .findOne();
  }

  /**
   * The entries of the lead's events {@code eventIds} (queued in this order, by one transaction: a
   * batch's events of one lead), claimed for {@link #CLAIM} in the transaction of {@code h} as far as
   * they run from the lead's head: the first is the head, each is due and held by no one else, and no
   * entry outside them comes between. The run ends at the first that is not; the rest keep their place
   * for the dispatcher (an earlier event waits, a dispatcher holds one, one waits for a retry). One
   * statement finds them, whatever their number.
   * @return the entries claimed, in order: a prefix of {@code eventIds}
   */
  public List<Entry> claimRun(Handle h, String leadId, List<String> eventIds) {
    if (eventIds.isEmpty()) {
      return List.of();
    }
    // Rows another session holds are skipped, and so are those not due: either makes the answer no
    // longer a prefix of eventIds, and the run ends there.
    List<Entry> found = h.createQuery(ENTRY + " WHERE o.lead_id = :lead AND o.event_id = ANY(:events) AND "
            + "o.next_attempt_at <= now() AND NOT EXISTS (SELECT 1 FROM event_outbox b WHERE b.lead_id = o.lead_id "
            + "AND b.seq < o.seq AND NOT (b.event_id IS NOT NULL AND b.event_id = ANY(:events))) "
            + "ORDER BY o.seq FOR UPDATE OF o SKIP LOCKED")
        .bind("lead", leadId).bind("events", eventIds.toArray(String[]::new))
        .map((rs, ctx) -> entry(rs, ctx)).list();
    List<Entry> run = new ArrayList<>();
    for (Entry e : found) {
      if (run.size() == eventIds.size() || !(e.queued() instanceof QueuedEvent q)
          || !q.eventId().equals(eventIds.get(run.size()))) {
        break;
      }
      run.add(e);
    }
    claim(h, run);
    return run;
  }

  /**
   * Up to {@code limit} due heads (one per lead) accepted in {@code lane}, oldest first, each with the
   * lead's entries that follow it as long as each is an event of a type this release knows, accepted
   * in the same lane, due, and held by no one else, up to what one signal may carry ({@code runMax}
   * events, {@link EventDeliveries#MAX_CHARS} of properties): a lead's run. A head that is an
   * enrolment, an event of an unknown type, or an entry that failed before goes alone (a failure is
   * then its own). All claimed for {@link #CLAIM} in the transaction of {@code h}: commit it, then hand
   * each run over without a transaction held ({@link #handOverRun}), each settled on its own ({@link
   * #release} what is not tried).
   * @return the runs, one per lead, their heads oldest first
   */
  public List<List<Entry>> claimDueRuns(Handle h, IntakeLane lane, int limit, int runMax) {
    List<Entry> heads = lockDueHeads(h, lane, limit);
    Map<String, List<Entry>> runs = new java.util.LinkedHashMap<>();
    heads.forEach(head -> runs.put(head.leadId(), new ArrayList<>(List.of(head))));
    List<Entry> extendable = heads.stream().filter(head -> knownEvent(head) && head.attempts() == 0).toList();
    if (runMax > 1 && !extendable.isEmpty()) {
      record Later(Entry entry, boolean due) {}
      // Each head's next entries (at most a run's worth), unlocked: what may extend its run. Then those
      // are locked (SKIP LOCKED), and a run ends at the first that is not (gone, claimed meanwhile, or
      // held by another session).
      List<Later> later = h.createQuery("SELECT " + ENTRY_COLUMNS + ", o.next_attempt_at <= now() AS due "
              + "FROM unnest(:leads, :seqs) AS hd(lead_id, seq) CROSS JOIN LATERAL (SELECT * FROM event_outbox x "
              + "WHERE x.lead_id = hd.lead_id AND x.seq > hd.seq ORDER BY x.seq LIMIT :more) o "
              + "LEFT JOIN events e ON e.lead_id = o.lead_id AND e.id = o.event_id ORDER BY o.lead_id, o.seq")
          .bind("leads", extendable.stream().map(Entry::leadId).toArray(String[]::new))
          .bind("seqs", seqs(extendable))
          .bind("more", runMax - 1)
          .map((rs, ctx) -> new Later(entry(rs, ctx), rs.getBoolean("due"))).list();
      // Each head with its next entries as long as each is a due event of the lane, then cut to what one
      // signal carries (EventDeliveries.signals, as a batch's events are): the candidates are the rest of
      // the first signal's worth.
      Map<String, List<Entry>> following = new java.util.HashMap<>();
      Set<String> ended = new HashSet<>();
      for (Later l : later) {
        String leadId = l.entry().leadId();
        if (ended.contains(leadId)) {
          continue;
        }
        if (l.due() && l.entry().lane() == lane && knownEvent(l.entry())) {
          following.computeIfAbsent(leadId, k -> new ArrayList<>(List.of(runs.get(k).get(0)))).add(l.entry());
        } else {
          ended.add(leadId);
        }
      }
      Map<String, List<Entry>> candidates = new java.util.HashMap<>();
      following.forEach((leadId, run) -> {
        List<Entry> first = EventDeliveries.signals(run, EventOutbox::event).get(0);
        candidates.put(leadId, first.subList(1, first.size()));
      });
      List<Entry> all = candidates.values().stream().flatMap(List::stream).toList();
      Set<Long> locked = all.isEmpty() ? Set.of() : new HashSet<>(h.createQuery("SELECT seq FROM event_outbox "
              + "WHERE seq = ANY(:seqs) AND next_attempt_at <= now() FOR UPDATE SKIP LOCKED")
          .bind("seqs", seqs(all)).mapTo(Long.class).list());
      candidates.forEach((leadId, more) -> {
        for (Entry e : more) {
          if (!locked.contains(e.seq())) {
            break;
          }
          runs.get(leadId).add(e);
        }
      });
    }
    List<List<Entry>> claimed = new ArrayList<>(runs.values());
    claim(h, claimed.stream().flatMap(List::stream).toList());
    return claimed;
  }

  /** The event of an entry of a type this release knows ({@link #knownEvent}). */
  static LeadEvent event(Entry entry) {
    return ((QueuedEvent) entry.queued()).event().orElseThrow();
  }

  private static Long[] seqs(List<Entry> entries) {
    return entries.stream().map(Entry::seq).toArray(Long[]::new);
  }

  /** For logs (ids only): the entry's label, or "N entries (the first's label first)". */
  static String label(List<Entry> entries) {
    return entries.size() == 1 ? entries.get(0).label()
        : entries.size() + " entries (" + entries.get(0).label() + " first)";
  }

  /** An event entry whose type this release knows (one it does not is dropped on its own). */
  private static boolean knownEvent(Entry entry) {
    return entry.queued() instanceof QueuedEvent e && e.event().isPresent();
  }

  private static void claim(Handle h, List<Entry> entries) {
    if (entries.isEmpty()) {
      return;
    }
    h.createUpdate("UPDATE event_outbox SET next_attempt_at = now() + make_interval(secs => :secs) "
            + "WHERE seq = ANY(:seqs)")
        .bind("secs", CLAIM.toSeconds())
        .bind("seqs", seqs(entries)).execute();
  }

  /** Claimed entries not tried (the round ended on an outage): due again now, their attempts unchanged. */
  public void release(Handle h, List<Entry> entries) {
    h.createUpdate("UPDATE event_outbox SET next_attempt_at = now() WHERE seq = ANY(:seqs)")
        .bind("seqs", seqs(entries)).execute();
  }

  /** Failures (other than an outage) of one entry after which operators are alerted: about 30 s of retries. */
  static final int ALERT_AFTER_ATTEMPTS = 5;
  static final String ALERT_KIND = "event_undeliverable";

  /** How the hand-over of a claimed entry ended. */
  public enum HandOver {
    /** Handed to the lead's running journey. */
    TO_JOURNEY,
    /** Handed to Temporal otherwise (a trigger, a re-entry, or nothing to start). */
    DELIVERED,
    /** Temporal or PostgreSQL was away: the entry is due again at once. */
    OUTAGE,
    /** Any other failure: the entry is put off ({@link #nextAttempt}), the lead's later events behind it. */
    FAILED;

    public boolean delivered() {
      return this == TO_JOURNEY || this == DELIVERED;
    }
  }

  /**
   * Hands claimed entries of one lead (a run, {@link #claimRun}, {@link #claimDueRuns}) over together
   * with {@code deliver} (for each, true: to a running journey), holding no connection across it, then
   * settles them in one transaction: deleted (resolving the alerts their failures raised), or the
   * failure noted on the run's head and the rest released behind it (due again, their attempts
   * unchanged; the head, having failed, goes alone next time). An outage leaves them due again at once;
   * any other failure puts the head off and, at its {@value #ALERT_AFTER_ATTEMPTS}th, raises an
   * {@value #ALERT_KIND} alert naming the lead and the event (ids only). When the database cannot
   * settle them, the claims expire and the dispatcher hands them over again, which the journey counts
   * once.
   * @return each entry's outcome, in order
   */
  public List<HandOver> handOverRun(List<Entry> entries, Supplier<List<Boolean>> deliver) {
    Entry head = entries.get(0);
    String leadId = head.leadId();
    String labels = label(entries);
    List<Boolean> toJourney;
    try {
      toJourney = deliver.get();
    } catch (RuntimeException e) {
      boolean outage = TemporalAvailability.isUnavailable(e) || DatabaseOutage.is(e);
      int attempts = head.attempts() + 1;
      Instant next = outage ? Instant.now() : nextAttempt(attempts, Instant.now());
      settle(labels, leadId, false, h -> {
        failed(h, head.seq(), e.toString(), next);
        if (entries.size() > 1) {
          release(h, entries.subList(1, entries.size()));
        }
        if (!outage && attempts == ALERT_AFTER_ATTEMPTS) {
          h.attach(AlertDao.class).raise(head.leadId(), ALERT_KIND,
              "The " + head.label() + " of lead " + head.leadId() + " failed " + attempts
                  + " times on its way to Temporal; it is retried every few minutes and the lead's later events wait behind it",
              alertDetail(head, attempts, e),
              alertKey(head));
        }
      });
      if (!outage) {
        log.error("event outbox: {} of lead {} failed (attempt {}); the lead's later events wait until {}",
            labels, leadId, attempts, next, e);
      }
      return java.util.Collections.nCopies(entries.size(), outage ? HandOver.OUTAGE : HandOver.FAILED);
    }
    List<Entry> alerted = entries.stream().filter(entry -> entry.attempts() >= ALERT_AFTER_ATTEMPTS).toList();
    // The usual hand-over resolves no alert: its delete is one statement, and needs no transaction.
    settle(labels, leadId, alerted.isEmpty(), h -> {
      delivered(h, entries);
      alerted.forEach(entry -> h.attach(AlertDao.class).resolve(alertKey(entry)));
    });
    return toJourney.stream().map(journey -> journey ? HandOver.TO_JOURNEY : HandOver.DELIVERED).toList();
  }

  /** {@code update} in a transaction, or as it is when it is one statement ({@code single}). */
  private void settle(String labels, String leadId, boolean single, HandleConsumer<RuntimeException> update) {
    try {
      if (single) {
        jdbi.useHandle(update);
      } else {
        jdbi.useTransaction(update);
      }
    } catch (RuntimeException e) {
      log.warn("{} of lead {}: left in the outbox until the claim expires: {}", labels, leadId, e.toString());
    }
  }

  private static Map<String, Object> alertDetail(Entry entry, int attempts, RuntimeException e) {
    Map<String, Object> detail = new java.util.LinkedHashMap<>(entry.queued().ids());
    detail.put("attempts", attempts);
    detail.put("error", e.getClass().getSimpleName());
    return detail;
  }

  private static String alertKey(Entry entry) {
    return "outbox:" + entry.leadId() + ":" + entry.queued().subject();
  }

  /**
   * Up to {@code limit} due heads (one per lead) accepted in {@code lane}, oldest first, locked for the
   * transaction of {@code h}. Each lane is claimed by its own rounds ({@link OutboxDispatcher}), so a
   * sign-up queued while Temporal was late (one at a time) is not left behind the thousands of events a
   * bulk batch left here at the same time (the intake lanes' rule; docs/architecture.md). The index on
   * {@code (bulk, seq)} (V31) serves it.
   */
  private List<Entry> lockDueHeads(Handle h, IntakeLane lane, int limit) {
    return h.createQuery(ENTRY + " WHERE o.bulk = :bulk AND o.next_attempt_at <= now() AND " + IS_HEAD
            + " ORDER BY o.seq LIMIT :limit FOR UPDATE OF o SKIP LOCKED")
        .bind("bulk", lane == IntakeLane.BULK).bind("limit", limit)
        .map((rs, ctx) -> entry(rs, ctx)).list();
  }

  /** The entries are delivered (or dropped): gone, so the lead's next one becomes its head when this commits. */
  public void delivered(Handle h, List<Entry> entries) {
    h.createUpdate("DELETE FROM event_outbox WHERE seq = ANY(:seqs)")
        .bind("seqs", seqs(entries)).execute();
  }

  /** An attempt failed: counted, with the error (no personal data: a class and a status) and the next try. */
  public void failed(Handle h, long seq, String error, Instant nextAttempt) {
    h.createUpdate("UPDATE event_outbox SET attempts = attempts + 1, last_error = :error, next_attempt_at = :next "
            + "WHERE seq = :seq")
        .bind("seq", seq).bind("error", error.length() > 500 ? error.substring(0, 500) : error)
        .bind("next", nextAttempt).execute();
  }

  /** How many entries wait, and since when the oldest has (empty when none). */
  public record Backlog(int pending, Optional<Instant> oldest) {}

  public Backlog backlog() {
    return jdbi.withHandle(h -> h.createQuery("SELECT count(*) AS n, min(queued_at) AS oldest FROM event_outbox")
        .map((rs, ctx) -> new Backlog(rs.getInt("n"), Optional.ofNullable(rs.getTimestamp("oldest")).map(
            java.sql.Timestamp::toInstant)))
        .one());
  }

  /**
   * When to try again an entry that failed {@code attempts} times (this one included) for a reason
   * other than Temporal or the database being away: 1 s, 2 s, 4 s, ... at most {@link #MAX_BACKOFF}.
   * Until it goes, the lead's later events wait behind it.
   */
  public static Instant nextAttempt(int attempts, Instant now) {
    long seconds = attempts >= 20 ? MAX_BACKOFF.toSeconds() : Math.min(1L << Math.max(0, attempts - 1), MAX_BACKOFF.toSeconds());
    return now.plusSeconds(seconds);
  }

  private static Entry entry(java.sql.ResultSet rs, org.jdbi.v3.core.statement.StatementContext ctx)
      throws java.sql.SQLException {
    IntakeLane lane = rs.getBoolean("bulk") ? IntakeLane.BULK : IntakeLane.ONE_AT_A_TIME;
    if (rs.getBoolean("enrol")) {
      return new Entry(rs.getLong("seq"), rs.getString("lead_id"), rs.getInt("attempts"),
          new QueuedEnrolment(Optional.ofNullable(rs.getString("program_id"))), lane);
    }
    String id = rs.getString("id");
    Optional<EventType> type = EventType.fromWire(rs.getString("type"));
    Optional<LeadEvent> event = type.map(t -> {
      try {
        Map<String, Object> properties = JsonObjectColumn.map(rs, "properties", ctx);
        return new LeadEvent(id, t, rs.getTimestamp("occurred_at").toInstant(), properties == null ? Map.of() : properties);
      } catch (java.sql.SQLException e) {
        throw new IllegalStateException(e);
      }
    });
    return new Entry(rs.getLong("seq"), rs.getString("lead_id"), rs.getInt("attempts"), new QueuedEvent(id, event), lane);
  }
}
