package com.nurture.api.core;

import com.nurture.activities.db.EventDao;
import com.nurture.activities.db.MessageDao;
import com.nurture.activities.db.MessageRow;
import com.nurture.activities.metrics.BusinessMetrics;
import com.nurture.workflows.journey.EventType;
import java.util.Optional;
import com.nurture.activities.db.LeadRecord;
import com.nurture.activities.db.SuppressionDao;
import com.nurture.activities.db.TimelineDao;
import com.nurture.api.representations.EventAccepted;
import com.nurture.workflows.journey.JourneyRules;
import com.nurture.workflows.journey.LeadEvent;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import com.nurture.workflows.program.Program;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes in a behaviour event: records it (once per id) on the lead's timeline, suppresses the
 * address at once for an unsubscribe, and delivers it to the running journey. Delivery is repeated
 * for a duplicate id too, and the workflow ignores ids it has seen: so a client that retries after
 * a crash between "recorded" and "delivered" still gets the event to the journey.
 */
public final class EventIntake {
  private static final Logger log = LoggerFactory.getLogger(EventIntake.class);
  private final Jdbi jdbi;
  private final JourneyService journeys;
  private final TriggerRouter triggers;
  private final BusinessMetrics metrics;

  public EventIntake(Jdbi jdbi, JourneyService journeys, TriggerRouter triggers, BusinessMetrics metrics) {
    this.jdbi = jdbi;
    this.journeys = journeys;
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
    return delivered(lead, event, jdbi.inTransaction(h -> record(h, lead, event)));
  }

  /** An event of a lead already read, as a batch holds it. */
  public record Arrival(LeadRecord lead, LeadEvent event) {}

  /**
   * Records a batch's events in one transaction (one commit, not one per event), in order; then
   * each goes on with {@link #delivered}. @return for each, whether it was new (false: a repeat)
   */
  public List<Boolean> record(List<Arrival> arrivals) {
    return arrivals.isEmpty() ? List.of()
        : jdbi.inTransaction(h -> arrivals.stream().map(a -> record(h, a.lead(), a.event())).toList());
  }

  /** Stores the event once (lead + event id) with its timeline entry, and suppresses at once when it says so. */
  private static boolean record(Handle h, LeadRecord lead, LeadEvent event) {
    int inserted = h.attach(EventDao.class).insert(lead.id(), event.id(), event.type().wireName(), event.occurredAt(),
        event.properties());
    if (inserted == 0) {
      return false;
    }
    Map<String, Object> detail = new LinkedHashMap<>();
    detail.put("event_id", event.id());
    detail.put("type", event.type().wireName());
    if (!event.properties().isEmpty()) {
      detail.put("properties", event.properties());
    }
    h.attach(TimelineDao.class).append(lead.id(), event.occurredAt(), "event", detail, "event/" + lead.id() + "/" + event.id());
    JourneyRules.Reaction reaction = JourneyRules.reactionTo(event);
    if (reaction == JourneyRules.Reaction.END_UNSUBSCRIBED || reaction == JourneyRules.Reaction.END_SUPPRESSED) {
      h.attach(SuppressionDao.class).suppress(lead.email(),
          event.type().wireName() + " (event " + event.id() + ")", lead.id());
    }
    return true;
  }

  /**
   * After the event is recorded ({@code fresh}: for the first time): counted, delivered to the
   * running journey, or routed to a trigger or a re-entry when none runs.
   */
  public EventAccepted delivered(LeadRecord lead, LeadEvent event, boolean fresh) {
    if (fresh) {
      try {
        count(event);
      } catch (RuntimeException e) { // counting never keeps an event from its journey
        log.warn("event {} of lead {} not counted: {}", event.id(), lead.id(), e.toString());
      }
    }
    // A repeat is delivered again only while the journey still remembers ids that recent (it keeps
    // the last 500): a client retrying after a crash between "recorded" and "delivered" does so
    // within minutes; an older repeat is refused here, so the journey's memory can stay bounded.
    // One signal to a running journey: the event and the programs it triggers; the journey decides.
    List<Program> triggered = fresh ? triggers.matching(event) : List.of();
    boolean delivered = (fresh || recentlyReceived(lead, event)) && journeys.deliver(lead.id(), event, triggered);
    // No running journey: a trigger may start one, or renewed interest may bring a recycled lead back.
    if (fresh && !delivered && !triggers.route(lead, event, triggered)) {
      journeys.reenterOnInterest(lead, event);
    }
    log.info("event {} {} for lead {}{}{}", event.type().wireName(), event.id(), lead.id(),
        fresh ? "" : " (duplicate)", delivered ? ", delivered to the journey" : "");
    return new EventAccepted(event.id(), !fresh, delivered);
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
