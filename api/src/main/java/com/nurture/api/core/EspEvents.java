package com.nurture.api.core;

import com.nurture.activities.db.EventDao;
import com.nurture.activities.db.LeadDao;
import com.nurture.activities.db.LeadRecord;
import com.nurture.activities.db.MessageDao;
import com.nurture.activities.db.SuppressionDao;
import com.nurture.activities.db.TimelineDao;
import com.nurture.api.esp.EspEvent;
import com.nurture.api.representations.EventAccepted;
import com.nurture.workflows.journey.EventType;
import com.nurture.workflows.journey.LeadEvent;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A provider's delivery event, verified and read: matched to its lead by our Message-ID (else by
 * the recipient's address for a known lead) and handed to the same intake as API events. A bounce
 * becomes {@code bounced} ({hard, diagnostic, provider}: a hard one suppresses and ends the journey),
 * a complaint {@code complained}, an open or click {@code email_opened} / {@code email_clicked};
 * delivered and deferred have no event type, so they go on the timeline only ({@code email_delivered},
 * {@code email_deferred}). The event id is {@code esp/{provider}/{provider's event id}}, so a
 * redelivery is a no-op. Three soft bounces in a row (no delivery between) suppress the address.
 * An open or click our own tracking already reported is a duplicate ({@link EngagementDuplicates}):
 * on the timeline only.
 */
public final class EspEvents {
  private static final Logger log = LoggerFactory.getLogger(EspEvents.class);
  /** Consecutive soft bounces that suppress the address. */
  public static final int SOFT_BOUNCE_LIMIT = 3;

  /** What became of a delivery event. */
  public record Outcome(String outcome, Optional<String> leadId, String eventId, boolean duplicate,
      Optional<String> duplicateOf) {
    public Outcome(String outcome, Optional<String> leadId, String eventId, boolean duplicate) {
      this(outcome, leadId, eventId, duplicate, Optional.empty());
    }
  }

  private final Jdbi jdbi;
  private final EventIntake intake;
  private final EngagementDuplicates duplicates;

  public EspEvents(Jdbi jdbi, EventIntake intake) {
    this.jdbi = jdbi;
    this.intake = intake;
    this.duplicates = new EngagementDuplicates(jdbi);
  }

  public Outcome receive(EspEvent e) {
    String eventId = "esp/" + e.provider() + "/" + e.id();
    Optional<LeadRecord> found = lead(e);
    if (found.isEmpty()) {
      log.info("{} event {} ({}) matches no lead; ignored", e.provider(), e.id(), e.kind());
      return new Outcome("unmatched", Optional.empty(), eventId, false);
    }
    LeadRecord lead = found.get();
    if (e.kind() == EspEvent.Kind.DELIVERED || e.kind() == EspEvent.Kind.DEFERRED) {
      String kind = e.kind() == EspEvent.Kind.DELIVERED ? "email_delivered" : "email_deferred";
      Map<String, Object> detail = new LinkedHashMap<>();
      detail.put("event_id", eventId);
      detail.put("provider", e.provider());
      detail.put("message_id", e.messageId());
      if (!e.diagnostic().isEmpty()) {
        detail.put("diagnostic", e.diagnostic());
      }
      boolean fresh = jdbi.inTransaction(h -> {
        int added = h.attach(TimelineDao.class).append(lead.id(), e.occurredAt(), kind, detail, eventId);
        if (added == 1 && e.kind() == EspEvent.Kind.DELIVERED) {
          h.attach(BounceStreaks.class).reset(lead.id());
        }
        return added == 1;
      });
      return new Outcome(kind, Optional.of(lead.id()), eventId, !fresh);
    }
    Map<String, Object> properties = new LinkedHashMap<>();
    properties.put("provider", e.provider());
    if (!e.messageId().isEmpty()) {
      properties.put("message_id", e.messageId());
    }
    EventType type = switch (e.kind()) {
      case BOUNCED -> {
        properties.put("hard", e.hard());
        properties.put("diagnostic", e.diagnostic());
        yield EventType.BOUNCED;
      }
      case COMPLAINED -> EventType.COMPLAINED;
      case OPENED -> EventType.EMAIL_OPENED;
      case CLICKED -> {
        if (!e.url().isEmpty()) {
          properties.put("url", e.url());
        }
        yield EventType.EMAIL_CLICKED;
      }
      default -> throw new IllegalStateException(e.kind().name());
    };
    if (type == EventType.EMAIL_OPENED || type == EventType.EMAIL_CLICKED) {
      Optional<Outcome> duplicate = duplicateOfTracking(e, type, lead, eventId, properties);
      if (duplicate.isPresent()) {
        return duplicate.get();
      }
    }
    EventAccepted accepted = intake.accept(lead, new LeadEvent(eventId, type, e.occurredAt(), properties));
    if (type == EventType.BOUNCED && !e.hard() && !accepted.duplicate()) {
      int streak = jdbi.onDemand(BounceStreaks.class).softBounce(lead.id());
      if (streak >= SOFT_BOUNCE_LIMIT) {
        int added = jdbi.onDemand(SuppressionDao.class).suppress(lead.email(),
            streak + " soft bounces in a row (event " + eventId + ")", lead.id());
        if (added == 1) {
          jdbi.onDemand(TimelineDao.class).append(lead.id(), e.occurredAt(), "suppressed_soft_bounces",
              Map.of("soft_bounces", streak, "event_id", eventId, "email", lead.email()), "soft_bounces/" + eventId);
        }
        log.info("lead {}: {} soft bounces in a row; address suppressed", lead.id(), streak);
      }
    }
    return new Outcome(type.wireName(), Optional.of(lead.id()), eventId, accepted.duplicate());
  }

  /**
   * An open or click our own tracking reported already (EngagementDuplicates): on the timeline only,
   * as {@code email_opened_duplicate} / {@code email_clicked_duplicate} with {@code duplicate_of}. A
   * click on one of our tracked links is reported with that link's original URL and message.
   */
  private Optional<Outcome> duplicateOfTracking(EspEvent e, EventType type, LeadRecord lead, String eventId,
      Map<String, Object> properties) {
    String messageId = e.messageId();
    String url = "";
    if (type == EventType.EMAIL_CLICKED) {
      Optional<EngagementDuplicates.TrackedUrl> tracked = duplicates.trackedUrl(e.url());
      if (tracked.isPresent()) {
        messageId = tracked.get().messageId();
        url = tracked.get().url();
        properties.put("url", url);
        properties.put("message_id", messageId);
        properties.put("tracked_link", e.url());
      } else {
        url = e.url();
      }
    }
    if (jdbi.onDemand(EventDao.class).receivedAt(lead.id(), eventId).isPresent()) {
      return Optional.empty(); // delivered before: the intake answers the redelivery
    }
    var engagement = new EngagementDuplicates.Engagement(lead.id(), type, messageId, url, e.occurredAt());
    Optional<String> of = duplicates.duplicateOf(EngagementDuplicates.Source.PROVIDER, engagement);
    if (of.isEmpty()) {
      return Optional.empty();
    }
    Map<String, Object> detail = new LinkedHashMap<>(properties);
    detail.put("event_id", eventId);
    boolean fresh = duplicates.record(engagement, of.get(), detail, eventId);
    log.info("{} event {} for lead {} duplicates {}; not delivered", e.provider(), eventId, lead.id(), of.get());
    return Optional.of(new Outcome(type.wireName(), Optional.of(lead.id()), eventId, !fresh, of));
  }

  private Optional<LeadRecord> lead(EspEvent e) {
    LeadDao leads = jdbi.onDemand(LeadDao.class);
    if (!e.messageId().isEmpty()) {
      Optional<LeadRecord> byMessage = jdbi.onDemand(MessageDao.class).leadOfMessage(e.messageId()).flatMap(leads::find);
      if (byMessage.isPresent()) {
        return byMessage;
      }
    }
    return e.email().isEmpty() ? Optional.empty() : leads.findByEmail(e.email());
  }

  /** Consecutive soft bounces per lead (esp_bounce_streaks). */
  public interface BounceStreaks {
    /** @return the count after this bounce */
    @org.jdbi.v3.sqlobject.statement.SqlQuery("""
        INSERT INTO esp_bounce_streaks (lead_id, soft_bounces) VALUES (:leadId, 1)
        ON CONFLICT (lead_id) DO UPDATE SET soft_bounces = esp_bounce_streaks.soft_bounces + 1, updated_at = now()
        RETURNING soft_bounces""")
    int softBounce(@org.jdbi.v3.sqlobject.customizer.Bind("leadId") String leadId);

    @org.jdbi.v3.sqlobject.statement.SqlUpdate("DELETE FROM esp_bounce_streaks WHERE lead_id = :leadId")
    void reset(@org.jdbi.v3.sqlobject.customizer.Bind("leadId") String leadId);
  }
}
