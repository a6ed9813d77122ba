package com.nurture.api.console;

import com.nurture.activities.db.StatsDao;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;

/**
 * The few reads the console needs that no /v1 endpoint answers: sends per day and the delivery
 * health of a period (the overview), the lead search (id, email or company), and the send ledger,
 * email events and tracked hits of one lead (its emails' delivery, opens, clicks and replies).
 */
public final class ConsoleQueries {
  private final Jdbi jdbi;

  public ConsoleQueries(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /** Emails sent on a UTC day. */
  public record DailySends(LocalDate day, long sent) {}

  /** Emails sent per UTC day since {@code from}, days without sends included as 0, oldest first. */
  public List<DailySends> sendsPerDay(Instant from, Instant to) {
    List<DailySends> counted = jdbi.withHandle(h -> h.createQuery("""
            SELECT (date_trunc('day', coalesce(sent_at, created_at) AT TIME ZONE 'UTC'))::date AS day, count(*) AS sent
            FROM messages WHERE status = 'sent' AND coalesce(sent_at, created_at) >= :from AND coalesce(sent_at, created_at) < :to
            GROUP BY 1 ORDER BY 1""").bind("from", from).bind("to", to)
        .map((rs, ctx) -> new DailySends(rs.getObject("day", LocalDate.class), rs.getLong("sent"))).list());
    List<DailySends> days = new ArrayList<>();
    LocalDate last = to.atOffset(ZoneOffset.UTC).toLocalDate();
    for (LocalDate d = from.atOffset(ZoneOffset.UTC).toLocalDate(); !d.isAfter(last); d = d.plusDays(1)) {
      LocalDate day = d;
      days.add(counted.stream().filter(c -> c.day().equals(day)).findFirst().orElse(new DailySends(day, 0)));
    }
    return days;
  }

  /** Emails sent in the period, and the bounces and complaints received in it. */
  public DeliveryHealth deliveryHealth(Instant from, Instant to) {
    return jdbi.withHandle(h -> h.createQuery("""
            SELECT (SELECT count(*) FROM messages WHERE status = 'sent'
                      AND coalesce(sent_at, created_at) >= :from AND coalesce(sent_at, created_at) < :to) AS sent,
                   count(*) FILTER (WHERE type = 'bounced') AS bounced,
                   count(*) FILTER (WHERE type = 'complained') AS complaints
            FROM events WHERE type IN ('bounced', 'complained') AND occurred_at >= :from AND occurred_at < :to""")
        .bind("from", from).bind("to", to)
        .map((rs, ctx) -> DeliveryHealth.of(rs.getLong("sent"), rs.getLong("bounced"), rs.getLong("complaints"))).one());
  }

  /** What the lead search keeps: text matches the id or email exactly, or the company in part. */
  public record LeadFilter(Optional<String> text, Optional<String> status, Optional<String> program,
      Optional<Integer> scoreMin) {}

  /** A lead in the search's answer, with its journey when it has one. */
  public record LeadHit(String id, String email, String company, String status, String program, Integer programVersion,
      String step, Integer score, Instant updatedAt) {}

  /** Where the last page ended. */
  public record After(Instant updatedAt, String id) {}

  /** Leads, most recently changed first (keyset paged by their journey's or their own last change). */
  public List<LeadHit> leads(LeadFilter filter, Optional<After> after, int limit) {
    List<String> where = new ArrayList<>();
    filter.text().ifPresent(t -> where.add("(l.id = :text OR lower(l.email) = lower(:text)"
        + " OR lower(l.attributes ->> 'company') LIKE '%' || lower(:like) || '%' ESCAPE '\\')"));
    filter.status().ifPresent(v -> where.add("j.status = :status"));
    filter.program().ifPresent(v -> where.add("j.program_id = :program"));
    filter.scoreMin().ifPresent(v -> where.add("j.score >= :scoreMin"));
    after.ifPresent(a -> where.add("(greatest(l.updated_at, j.updated_at), l.id) < (:afterAt, :afterId)"));
    String sql = """
        SELECT l.id, l.email, nullif(l.attributes ->> 'company', '') AS company, j.status, j.program_id,
               j.program_version, nullif(j.current_step, '') AS step, j.score,
               greatest(l.updated_at, j.updated_at) AS changed
        FROM leads l LEFT JOIN journeys j ON j.lead_id = l.id
        """ + (where.isEmpty() ? "" : "WHERE " + String.join(" AND ", where) + "\n")
        + "ORDER BY changed DESC, l.id DESC LIMIT :limit";
    return jdbi.withHandle(h -> {
      Query q = h.createQuery(sql).bind("limit", limit);
      filter.text().ifPresent(t -> q.bind("text", t).bind("like", t.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")));
      filter.status().ifPresent(v -> q.bind("status", v));
      filter.program().ifPresent(v -> q.bind("program", v));
      filter.scoreMin().ifPresent(v -> q.bind("scoreMin", v.intValue()));
      after.ifPresent(a -> q.bind("afterAt", a.updatedAt()).bind("afterId", a.id()));
      return q.map((rs, ctx) -> new LeadHit(rs.getString("id"), rs.getString("email"), rs.getString("company"),
          rs.getString("status"), rs.getString("program_id"), (Integer) rs.getObject("program_version"),
          rs.getString("step"), (Integer) rs.getObject("score"),
          rs.getObject("changed", java.time.OffsetDateTime.class).toInstant())).list();
    });
  }

  /** The lead's send ledger, oldest first. */
  public List<EmailActivity.Sent> emails(String leadId) {
    return jdbi.withHandle(h -> h.createQuery("""
            SELECT id, idempotency_key, message_id, step_id, variant, subject, status, created_at, sent_at
            FROM messages WHERE lead_id = :lead ORDER BY created_at, id""").bind("lead", leadId)
        .map((rs, ctx) -> new EmailActivity.Sent(rs.getLong("id"), rs.getString("idempotency_key"),
            rs.getString("message_id"), rs.getString("step_id"), rs.getString("variant"), rs.getString("subject"),
            rs.getString("status"), rs.getObject("created_at", java.time.OffsetDateTime.class).toInstant(),
            Optional.ofNullable(rs.getObject("sent_at", java.time.OffsetDateTime.class)).map(java.time.OffsetDateTime::toInstant)))
        .list());
  }

  /** The lead's email events (those that count against an email). */
  public List<EmailActivity.Event> emailEvents(String leadId) {
    return jdbi.withHandle(h -> h.createQuery("SELECT type, occurred_at, coalesce(properties ->> 'message_id', '') AS mid,"
            + " coalesce(properties ->> 'machine', '') = 'true' AS machine FROM events WHERE lead_id = :lead AND type IN ("
            + StatsDao.EMAIL_EVENTS + ") ORDER BY occurred_at").bind("lead", leadId)
        .map((rs, ctx) -> new EmailActivity.Event(rs.getString("type"),
            rs.getObject("occurred_at", java.time.OffsetDateTime.class).toInstant(), rs.getString("mid"),
            rs.getBoolean("machine")))
        .list());
  }

  /** The lead's tracked opens and clicks. */
  public List<EmailActivity.Hit> hits(String leadId) {
    return jdbi.withHandle(h -> h.createQuery("SELECT idempotency_key, kind, human FROM tracking_hits WHERE lead_id = :lead")
        .bind("lead", leadId)
        .map((rs, ctx) -> new EmailActivity.Hit(rs.getString("idempotency_key"), rs.getString("kind"), rs.getBoolean("human")))
        .list());
  }
}
