package com.nurture.api.core;

import com.nurture.activities.db.EventDao;
import com.nurture.activities.db.JourneyDao;
import com.nurture.activities.db.JourneyStatements;
import com.nurture.activities.db.LeadReads;
import com.nurture.activities.db.JourneyRow;
import com.nurture.activities.db.JsonObjectColumn;
import com.nurture.activities.db.MessageDao;
import com.nurture.activities.db.MessageRow;
import com.nurture.activities.metrics.BusinessMetrics;
import com.nurture.workflows.journey.EventDelivery;
import com.nurture.workflows.journey.EventType;
import java.util.Optional;
import com.nurture.activities.db.LeadRecord;
import com.nurture.activities.db.SuppressionDao;
import com.nurture.api.representations.EventAccepted;
import com.nurture.workflows.journey.IntakeLane;
import com.nurture.workflows.journey.JourneyRules;
import com.nurture.workflows.journey.LeadEvent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import com.nurture.workflows.program.Program;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes in a behaviour event: records it (once per id) on the lead's timeline, suppresses the
 * address at once for an unsubscribe, queues it in the {@link EventOutbox} in the same
 * transaction, and then hands it to Temporal ({@link #dispatchAll}: the running journey's signal, or
 * the start a trigger asks for). When Temporal does not answer within its deadline, or an earlier
 * event of the lead still waits, the event stays queued and the answer says {@code delivered:
 * false}; the {@link OutboxDispatcher} delivers it when Temporal is back. The journey ignores ids it
 * has seen, so an event handed over twice (a crash between delivery and the outbox's delete) counts
 * once.
 */
public final class EventIntake {
  private static final Logger log = LoggerFactory.getLogger(EventIntake.class);
  private final Jdbi jdbi;
  private final JourneyService journeys;
  private final JourneyCommands commands;
  private final TriggerRouter triggers;
  private final BusinessMetrics metrics;
  private final TemporalConnection temporal;
  private final EventOutbox outbox;

  public EventIntake(Jdbi jdbi, JourneyService journeys, JourneyCommands commands, TriggerRouter triggers,
      BusinessMetrics metrics, TemporalConnection temporal) {
    this.jdbi = jdbi;
    this.temporal = temporal;
    this.outbox = new EventOutbox(jdbi);
    this.journeys = journeys;
    this.commands = commands;
    this.triggers = triggers;
    this.metrics = metrics;
  }

  /** How long after its first arrival a repeated event is still delivered to the journey. */
  static final java.time.Duration REDELIVERY_WINDOW = java.time.Duration.ofDays(1);

  private boolean recentlyReceived(LeadRecord lead, LeadEvent event) {
    return jdbi.onDemand(EventDao.class).receivedAt(lead.id(), event.id())
        .map(at -> at.isAfter(java.time.Instant.now().minus(REDELIVERY_WINDOW))).orElse(false);
  }

  public EventAccepted accept(LeadRecord lead, LeadEvent event) {
    return accept(lead, event, true, IntakeLane.ONE_AT_A_TIME);
  }

  /**
   * {@link #accept}; with {@code temporalNow} false, left to the outbox as when Temporal is away; a
   * journey the event starts goes in {@code lane} (a batch's: {@link IntakeLane#BULK}).
   */
  public EventAccepted accept(LeadRecord lead, LeadEvent event, boolean temporalNow, IntakeLane lane) {
    boolean tryNow = temporalNow && !away(lane);
    Arrival arrival = new Arrival(lead, event);
    // Before the transaction: the catalog's refresh reads on a connection of its own.
    boolean triggers = triggersAny(event);
    // One transaction stores the event; one that needs no Temporal call is handed over in it (its
    // outbox entry deleted), and one that does, when it goes to Temporal now, has its outbox entry
    // claimed (EventOutbox.CLAIM): no second transaction.
    Recorded recorded = jdbi.inTransaction(h -> {
      if (!record(h, List.of(arrival), lane).get(0)) {
        return new Recorded(false, false, Optional.empty(), Optional.empty());
      }
      // A running journey (the usual case) is read once, cheaply, and signalled without a second read;
      // otherwise settleQuiet reads it again under its lock.
      Optional<JourneyRow> journey = triggers ? Optional.empty() : LeadReads.journey(h, lead.id());
      Optional<JourneyRow> running = JourneyService.runs(journey) ? journey : Optional.empty();
      if (!triggers && running.isEmpty()
          && !outbox.settleQuiet(h, Set.of(arrival.key()), leads -> quietLeads(h, List.of(arrival), leads)).isEmpty()) {
        return new Recorded(true, true, Optional.empty(), Optional.empty());
      }
      return new Recorded(true, false, tryNow ? outbox.claimIfHead(h, lead.id(), event, lane) : Optional.empty(), running);
    });
    if (!recorded.fresh()) {
      return repeat(lead, event, temporalNow);
    }
    countOnce(lead, event, true);
    if (recorded.settled()) {
      return answer(lead, event, Optional.of(false));
    }
    Optional<Boolean> toJourney = recorded.claim().isEmpty() ? Optional.empty()
        : handOver(lead, List.of(event), lane, List.of(recorded.claim().get()), recorded.running()).get(0);
    return answer(lead, event, toJourney);
  }

  /**
   * A stored event: new (false: a repeat); handed over already, needing no Temporal call; its outbox
   * entry when it was claimed to hand over now; the lead's journey row when it was read running in the
   * same transaction (its signal needs no second read).
   */
  private record Recorded(boolean fresh, boolean settled, Optional<EventOutbox.Entry> claim, Optional<JourneyRow> running) {}

  /**
   * Whether a program's trigger matches the event: handing it over may start or offer a program.
   * When the catalog cannot say (it could not be read), it may: the event goes the ordinary way,
   * whose failures the outbox retries.
   */
  private boolean triggersAny(LeadEvent event) {
    try {
      return !triggers.matching(event).isEmpty();
    } catch (RuntimeException e) {
      log.warn("event {}: the programs' triggers could not be read; it goes to Temporal: {}", event.id(), e.toString());
      return true;
    }
  }

  /**
   * Of {@code leads}, those whose {@code events} need no Temporal call ({@link #dispatchAll} would find
   * nothing to do): the lead's journey does not run, and no event is renewed interest of a recycled
   * lead (triggers are checked before). The journeys are read on {@code h} after the leads' outbox
   * entries are locked ({@link EventOutbox#settleQuiet}), so a journey an earlier event started
   * before its entry went is seen.
   */
  private Set<String> quietLeads(Handle h, List<Arrival> events, Set<String> leads) {
    Map<String, JourneyRow> rows = new HashMap<>();
    h.attach(JourneyDao.class).findAll(leads.toArray(String[]::new)).forEach(r -> rows.put(r.leadId(), r));
    Set<String> quiet = new HashSet<>(leads);
    for (Arrival a : events) {
      Optional<JourneyRow> row = Optional.ofNullable(rows.get(a.lead().id()));
      if (JourneyService.runs(row) || journeys.mayReenter(row, a.event())) {
        quiet.remove(a.lead().id());
      }
    }
    return quiet;
  }

  /**
   * A batch's fresh events ({@code fresh}, by index) that need no Temporal call, handed over at
   * once: one transaction for them all ({@link EventOutbox#settleQuiet}, with {@link #quietLeads}),
   * where each event otherwise took a claim, a read and a settle of its own. A lead with one event
   * that needs a call keeps all its events on the ordinary way, in order; so does an event whose lead
   * has an earlier one still queued.
   * @return the answer of each event handed over so, by its index in {@code arrivals}
   */
  public Map<Integer, EventAccepted> handOverQuiet(List<Arrival> arrivals, List<Boolean> fresh) {
    Set<String> triggering = new HashSet<>();
    for (int k = 0; k < fresh.size(); k++) {
      if (fresh.get(k) && triggersAny(arrivals.get(k).event())) {
        triggering.add(arrivals.get(k).lead().id());
      }
    }
    List<Arrival> candidates = new ArrayList<>();
    for (int k = 0; k < fresh.size(); k++) {
      if (fresh.get(k) && !triggering.contains(arrivals.get(k).lead().id())) {
        candidates.add(arrivals.get(k));
      }
    }
    if (candidates.isEmpty()) {
      return Map.of();
    }
    Set<EventOutbox.Key> keys = new HashSet<>();
    candidates.forEach(a -> keys.add(a.key()));
    Set<EventOutbox.Key> settled = jdbi.inTransaction(h -> outbox.settleQuiet(h, keys,
        leads -> quietLeads(h, candidates, leads)));
    Map<Integer, EventAccepted> answers = new HashMap<>();
    for (int k = 0; k < fresh.size(); k++) {
      Arrival a = arrivals.get(k);
      if (fresh.get(k) && settled.contains(a.key())) {
        countOnce(a.lead(), a.event(), true);
        answers.put(k, answer(a.lead(), a.event(), Optional.of(false)));
      }
    }
    return answers;
  }

  /** Whether Temporal is presumed unable to take {@code lane}'s work now (batches: busy; one at a time: down). */
  private boolean away(IntakeLane lane) {
    return lane == IntakeLane.BULK ? temporal.presumedBusy() : temporal.presumedDown();
  }

  /** An event of a lead already read, as a batch holds it. */
  public record Arrival(LeadRecord lead, LeadEvent event) {
    EventOutbox.Key key() {
      return new EventOutbox.Key(lead.id(), event.id());
    }
  }

  /**
   * Records a batch's events in one transaction (one commit, not one per event), in order; then
   * each goes on with {@link #deliveredTogether} (a repeat with {@link #repeat}). @return for each, whether it was new (false: a repeat)
   */
  public List<Boolean> record(List<Arrival> arrivals, IntakeLane lane) {
    return arrivals.isEmpty() ? List.of() : jdbi.inTransaction(h -> record(h, arrivals, lane));
  }

  /**
   * Stores each event once (lead + event id; a repeat, in the batch or before it, is not new) with
   * its timeline entry, suppresses at once where one says so, and queues the new ones in the
   * outbox, in order: three batched statements whatever the number of events.
   * @return for each, whether it was new
   */
  private List<Boolean> record(Handle h, List<Arrival> arrivals, IntakeLane lane) {
    PreparedBatch inserts = h.prepareBatch(EventDao.INSERT);
    for (Arrival a : arrivals) {
      LeadEvent e = a.event();
      inserts.bind("leadId", a.lead().id()).bind("id", e.id()).bind("type", e.type().wireName())
          .bind("occurredAt", e.occurredAt()).bindByType("properties", e.properties(), JsonObjectColumn.TYPE).add();
    }
    int[] inserted = inserts.execute();
    if (Arrays.stream(inserted).anyMatch(n -> n < 0)) { // the driver's reWriteBatchedInserts answers no counts
      throw new IllegalStateException("the JDBC driver reported no row counts for the events' batch: "
          + "remove reWriteBatchedInserts from the database URL");
    }
    List<Boolean> fresh = new ArrayList<>(arrivals.size());
    List<Arrival> stored = new ArrayList<>();
    for (int k = 0; k < arrivals.size(); k++) {
      fresh.add(inserted[k] > 0);
      if (inserted[k] > 0) {
        stored.add(arrivals.get(k));
      }
    }
    if (stored.isEmpty()) {
      return fresh;
    }
    List<JourneyStatements.Entry> timeline = new ArrayList<>(stored.size());
    for (Arrival a : stored) {
      LeadEvent e = a.event();
      Map<String, Object> detail = new LinkedHashMap<>();
      detail.put("event_id", e.id());
      detail.put("type", e.type().wireName());
      if (!e.properties().isEmpty()) {
        detail.put("properties", e.properties());
      }
      timeline.add(new JourneyStatements.Entry(a.lead().id(), e.occurredAt(), "event", detail,
          "event/" + a.lead().id() + "/" + e.id()));
    }
    JourneyStatements.append(h, timeline);
    for (Arrival a : stored) {
      JourneyRules.Reaction reaction = JourneyRules.reactionTo(a.event());
      if (reaction == JourneyRules.Reaction.END_UNSUBSCRIBED || reaction == JourneyRules.Reaction.END_SUPPRESSED) {
        h.attach(SuppressionDao.class).suppress(a.lead().email(),
            a.event().type().wireName() + " (event " + a.event().id() + ")", a.lead().id());
      }
    }
    // In the same transaction: an accepted event is delivered even if Temporal is away right now.
    outbox.enqueue(h, stored.stream().map(a -> new EventOutbox.Key(a.lead().id(), a.event().id())).toList(), lane);
    return fresh;
  }

  /**
   * After several fresh events of one lead are recorded together (a batch's, in its order): counted,
   * then (unless {@code temporalNow} is false, a batch past intake.batch_deadline, or Temporal is away:
   * they stay in the outbox for the dispatcher, answered {@code delivered: false}) handed to Temporal together as far as they run from the head of the lead's
   * outbox entries ({@link EventOutbox#claimRun}): one signal to a running journey for them all
   * ({@link JourneyCommands#deliverAll}), where each took a claim, a signal and a settle of its own.
   * @return each event's answer, in order
   */
  public List<EventAccepted> deliveredTogether(LeadRecord lead, List<LeadEvent> events, boolean temporalNow,
      IntakeLane lane) {
    events.forEach(event -> countOnce(lead, event, true));
    List<Optional<Boolean>> toJourney = !temporalNow || away(lane)
        ? java.util.Collections.nCopies(events.size(), Optional.empty()) : deliverNow(lead, events, lane);
    List<EventAccepted> answers = new ArrayList<>(events.size());
    for (int k = 0; k < events.size(); k++) {
      answers.add(answer(lead, events.get(k), toJourney.get(k)));
    }
    return answers;
  }

  /** Counted on its first arrival only; counting never keeps an event from its journey. */
  private void countOnce(LeadRecord lead, LeadEvent event, boolean fresh) {
    if (fresh) {
      try {
        count(event);
      } catch (RuntimeException e) {
        log.warn("event {} of lead {} not counted: {}", event.id(), lead.id(), e.toString());
      }
    }
  }

  /** The answer to a new event: handed to a running journey, to a trigger, or queued (empty). */
  private EventAccepted answer(LeadRecord lead, LeadEvent event, Optional<Boolean> toJourney) {
    log.info("event {} {} for lead {}{}", event.type().wireName(), event.id(), lead.id(),
        toJourney.isEmpty() ? ", queued in the outbox" : toJourney.get() ? ", delivered to the journey" : "");
    return new EventAccepted(event.id(), false, toJourney.orElse(false), toJourney.isPresent());
  }

  /**
   * A repeated id. Still queued: it will be delivered. Handed over already: delivered again while the
   * journey still remembers ids that recent (it keeps the last 500; a client retrying after a crash
   * does so within minutes), in case the journey lost it; an older repeat is not, so the journey's
   * memory can stay bounded. With {@code temporalNow} false (a batch past intake.batch_deadline) it is
   * not handed to Temporal again.
   */
  public EventAccepted repeat(LeadRecord lead, LeadEvent event, boolean temporalNow) {
    if (outbox.pending(lead.id(), event.id())) {
      log.info("event {} {} for lead {} (duplicate), still queued in the outbox", event.type().wireName(), event.id(), lead.id());
      return new EventAccepted(event.id(), true, false, false);
    }
    boolean toJourney = false;
    if (temporalNow && !temporal.presumedDown() && recentlyReceived(lead, event)) {
      try {
        toJourney = commands.deliver(lead.id(), event, List.of());
      } catch (RuntimeException e) {
        if (!TemporalAvailability.isUnavailable(e)) {
          throw e;
        }
      }
    }
    log.info("event {} {} for lead {} (duplicate){}", event.type().wireName(), event.id(), lead.id(),
        toJourney ? ", delivered to the journey again" : "");
    return new EventAccepted(event.id(), true, toJourney, true);
  }

  /**
   * The events' outbox entries (queued in this order) handed to Temporal now, as far as they run from
   * the lead's head and are free: for each, whether a running journey got it, or empty when it stays
   * queued (an earlier event waits, a dispatcher holds it, or the attempt failed: noted on the entry
   * for the dispatcher).
   *
   * <p>No pooled connection is held while Temporal is called: the entries are claimed for {@link
   * EventOutbox#CLAIM} in one short transaction (a single event's in the one that stores it: {@link
   * #accept}; a batch's here, after the batch is stored) (the dispatcher leaves a claimed entry alone, and
   * the lead's later events wait behind it), then deleted, or their failure noted, in another. Holding
   * the transaction across the call (and a trigger's own reads, on a second connection) ran the
   * pool dry under a batch: items answered 503 "the database did not answer". A crash between the
   * two leaves the claims to expire and the dispatcher to hand the events over again, which the
   * journey counts once.
   */
  private List<Optional<Boolean>> deliverNow(LeadRecord lead, List<LeadEvent> events, IntakeLane lane) {
    List<EventOutbox.Entry> claimed;
    try {
      List<String> ids = events.stream().map(LeadEvent::id).toList();
      claimed = jdbi.inTransaction(h -> outbox.claimRun(h, lead.id(), ids));
    } catch (RuntimeException e) { // stored already: the dispatcher hands them over (202, delivered: false)
      log.warn("{} event(s) of lead {} stay in the outbox: their claim failed: {}", events.size(), lead.id(), e.toString());
      return java.util.Collections.nCopies(events.size(), Optional.empty());
    }
    List<Optional<Boolean>> toJourney = new ArrayList<>(claimed.isEmpty() ? List.of()
        : handOver(lead, events.subList(0, claimed.size()), lane, claimed, Optional.empty()));
    while (toJourney.size() < events.size()) {
      toJourney.add(Optional.empty());
    }
    return toJourney;
  }

  /**
   * Hands claimed entries of the lead's {@code events} (one each, in order) to Temporal ({@link
   * EventOutbox#handOverRun}: no connection held, then settled); {@code running}, the lead's journey
   * row when it was just read running ({@link #dispatchAll}).
   * @return for each, whether a running journey got it; empty: it stays queued for the dispatcher
   */
  private List<Optional<Boolean>> handOver(LeadRecord lead, List<LeadEvent> events, IntakeLane lane,
      List<EventOutbox.Entry> entries, Optional<JourneyRow> running) {
    List<EventOutbox.HandOver> outcomes = outbox.handOverRun(entries, () -> dispatchAll(lead, events, lane, running));
    List<Optional<Boolean>> toJourney = new ArrayList<>(outcomes.size());
    for (int k = 0; k < outcomes.size(); k++) {
      EventOutbox.HandOver outcome = outcomes.get(k);
      if (!outcome.delivered()) {
        log.warn("event {} of lead {} stays in the outbox ({})", events.get(k).id(), lead.id(), outcome);
      }
      toJourney.add(outcome.delivered() ? Optional.of(outcome == EventOutbox.HandOver.TO_JOURNEY) : Optional.empty());
    }
    return toJourney;
  }

  /**
   * Hands stored, fresh events of the lead to Temporal, in order: one signal to its running journey
   * (each event with the programs it triggers; the journey decides). Otherwise the first goes to its
   * trigger (which may start a journey, in {@code lane}) or renewed interest may bring a recycled lead
   * back, and the rest are
   * offered again in one signal (to the journey it may have started), and so on: a lead's events take
   * a signal and a start at most each, not a call each. Safe to repeat.
   * @return for each, whether a running journey got it
   */
  List<Boolean> dispatchAll(LeadRecord lead, List<LeadEvent> events, IntakeLane lane) {
    return dispatchAll(lead, events, lane, Optional.empty());
  }

  /**
   * {@link #dispatchAll}; the first signal goes to the journey of {@code running} when it was just read
   * running (a journey that ended since answers not found, as it would a read before the signal), the
   * rest after a fresh read.
   */
  private List<Boolean> dispatchAll(LeadRecord lead, List<LeadEvent> events, IntakeLane lane, Optional<JourneyRow> running) {
    List<EventDelivery> deliveries = events.stream().map(e -> new EventDelivery(e, triggers.matching(e))).toList();
    List<Boolean> toJourney = new ArrayList<>(events.size());
    while (toJourney.size() < deliveries.size()) {
      List<EventDelivery> rest = deliveries.subList(toJourney.size(), deliveries.size());
      Optional<JourneyRow> known = toJourney.isEmpty() ? running : Optional.empty();
      if (known.isPresent() ? commands.deliverAll(known.get(), rest) : commands.deliverAll(lead.id(), rest)) {
        rest.forEach(d -> toJourney.add(true));
        break;
      }
      EventDelivery first = rest.get(0);
      if (!triggers.route(lead, first.event(), first.triggered(), lane)) {
        journeys.reenterOnInterest(lead, first.event(), lane);
      }
      toJourney.add(false);
    }
    return toJourney;
  }

  /**
   * Counts an event on its first arrival; a bounce or complaint also by the program and step of the
   * message it reports (found by its message_id in the send ledger; "unknown" when it names none).
   */
  private void count(LeadEvent event) {
    metrics.event(event.type().wireName());
    if (event.type() != EventType.BOUNCED && event.type() != EventType.COMPLAINED) {
      return;
    }
    Object messageId = event.properties().get("message_id");
    Optional<MessageRow> message = messageId == null ? Optional.empty()
        : jdbi.onDemand(MessageDao.class).byMessageId(messageId.toString());
    String program = message.map(MessageRow::programId).orElse(BusinessMetrics.UNKNOWN);
    String step = message.map(MessageRow::stepId).orElse(BusinessMetrics.UNKNOWN);
    if (event.type() == EventType.BOUNCED) {
      metrics.emailBounced(program, step, JourneyRules.isHardBounce(event));
    } else {
      metrics.emailComplained(program, step);
    }
  }
}
