package com.nurture.api.core;

import com.nurture.activities.db.TimelineDao;
import com.nurture.workflows.journey.EventType;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Jdbi;

/**
 * One open or click, reported twice: by our own tracking ({@code /t/o}, {@code /t/c}) and by an
 * email service provider's webhook. The second report of the pair is a duplicate and never reaches
 * the journey (docs/api.md, "Delivery events"): the same lead, message (our Message-ID) and event
 * type, for a click the same link (or a report without a URL), within {@link #WINDOW} of each
 * other. A provider's report is also a duplicate of a request our tracking recorded as a bot's or a
 * mail-privacy proxy's: the provider saw the same request (its tracked link leads to ours), and our
 * classification stands. Duplicates go on the timeline only, naming what they duplicate.
 */
public final class EngagementDuplicates {
  /** How far apart the two reports of one open or click may be. */
  public static final Duration WINDOW = Duration.ofMinutes(5);
  /** The ids our tracking gives the events it delivers (TrackingResource). */
  private static final String TRACKING_IDS = "^(click|open)-[0-9a-f]{16}-[0-9]+$";
  private static final Pattern TRACKED_LINK = Pattern.compile("/t/c/([A-Za-z0-9_-]{22})(?:[?#].*)?$");

  /** Who reported it. */
  public enum Source { TRACKING, PROVIDER }

  /** An open or click as reported: {@code url} "" for an open, or a click reported without one. */
  public record Engagement(String leadId, EventType type, String messageId, String url, Instant at) {}

  /** The original URL and message of one of our tracked links. */
  public record TrackedUrl(String messageId, String url) {}

  private final Jdbi jdbi;

  public EngagementDuplicates(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /**
   * A provider that tracks clicks wraps the links it sends, which are already ours: the URL it
   * reports may be our {@code /t/c/{token}}. That token names the message and the original URL.
   */
  public Optional<TrackedUrl> trackedUrl(String url) {
    if (url == null || url.isEmpty()) {
      return Optional.empty();
    }
    Matcher m = TRACKED_LINK.matcher(url);
    if (!m.find()) {
      return Optional.empty();
    }
    return jdbi.withHandle(h -> h.createQuery(
            "SELECT message_id, url FROM tracked_links WHERE token = :token AND kind = 'click'")
        .bind("token", m.group(1))
        .map((rs, ctx) -> new TrackedUrl(rs.getString("message_id"), rs.getString("url")))
        .findOne());
  }

  /**
   * What {@code e}, reported by {@code source}, duplicates: the id of the other source's event for the
   * same open or click (the nearest in time), or for a provider's report {@code tracking_hit/{id}} of
   * a request our tracking recorded as not a person's; empty when it is the first report.
   */
  public Optional<String> duplicateOf(Source source, Engagement e) {
    if (e.messageId() == null || e.messageId().isEmpty()) {
      return Optional.empty(); // no message to compare (a provider's event matched by the recipient only)
    }
    Instant from = e.at().minus(WINDOW);
    Instant to = e.at().plus(WINDOW);
    boolean click = e.type() == EventType.EMAIL_CLICKED;
    String url = click ? e.url() : "";
    Optional<String> event = jdbi.withHandle(h -> h.createQuery("""
            SELECT id FROM events
            WHERE lead_id = :leadId AND type = :type AND properties->>'message_id' = :messageId
              AND (:url = '' OR coalesce(properties->>'url', '') IN ('', :url))
              AND occurred_at BETWEEN :from AND :to
              AND (CASE WHEN :provider THEN id LIKE 'esp/%' AND properties->>'provider' IS NOT NULL ELSE id ~ :trackingIds END)
            ORDER BY abs(extract(epoch FROM occurred_at - CAST(:at AS timestamptz))), id LIMIT 1""")
        .bind("leadId", e.leadId()).bind("type", e.type().wireName()).bind("messageId", e.messageId())
        .bind("url", url).bind("from", from).bind("to", to).bind("at", e.at())
        .bind("provider", source == Source.TRACKING).bind("trackingIds", TRACKING_IDS)
        .mapTo(String.class).findOne());
    if (event.isPresent() || source == Source.TRACKING) {
      return event;
    }
    return jdbi.withHandle(h -> h.createQuery("""
            SELECT h.id FROM tracking_hits h JOIN tracked_links l ON l.token = h.token
            WHERE h.lead_id = :leadId AND l.message_id = :messageId AND h.kind = :kind AND NOT h.human
              AND (:url = '' OR l.url = :url) AND h.at BETWEEN :from AND :to
            ORDER BY abs(extract(epoch FROM h.at - CAST(:at AS timestamptz))), h.id LIMIT 1""")
        .bind("leadId", e.leadId()).bind("messageId", e.messageId()).bind("kind", click ? "click" : "open")
        .bind("url", url).bind("from", from).bind("to", to).bind("at", e.at())
        .mapTo(Long.class).findOne().map(id -> "tracking_hit/" + id));
  }

  /**
   * Puts a duplicate on the timeline ({@code email_opened_duplicate} / {@code email_clicked_duplicate}),
   * once per {@code dedupeKey}; @return whether it was new.
   */
  public boolean record(Engagement e, String duplicateOf, Map<String, Object> detail, String dedupeKey) {
    detail.put("duplicate_of", duplicateOf);
    String kind = e.type().wireName() + "_duplicate";
    return jdbi.onDemand(TimelineDao.class).append(e.leadId(), e.at(), kind, detail, dedupeKey) == 1;
  }
}
