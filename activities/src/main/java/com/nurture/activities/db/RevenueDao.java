package com.nurture.activities.db;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.SqlObject;

/**
 * The conversions of a period and the touches before each (docs/analytics.md, "Revenue
 * attribution"): the lead's sent emails, and its first human open and first click of each email,
 * within the lookback before the conversion. Events naming no email of ours are no touch.
 */
public interface RevenueDao extends SqlObject {
  /**
   * Conversions dated in [from, to), of the leads that were sent an email of {@code program} (every
   * lead when empty), oldest first, each with all its touches (of every program: credit is split
   * over them all).
   */
  default List<ConversionTouchRow> conversions(Optional<String> program, Instant from, Instant to, Duration lookback) {
    String sql = """
        WITH conv AS (
          SELECT e.lead_id, e.id, e.occurred_at, e.properties ->> 'amount' AS amount,
                 e.properties ->> 'currency' AS currency
          FROM events e
          WHERE e.type = 'converted_to_customer' AND e.occurred_at >= :from AND e.occurred_at < :to %s)
        SELECT c.lead_id, c.id AS event_id, c.occurred_at AS converted_at, c.amount, c.currency,
               t.program_id, t.step_id, t.variant, t.at, t.kind
        FROM conv c LEFT JOIN LATERAL (
          SELECT x.program_id, x.step_id, x.variant, coalesce(x.sent_at, x.created_at) AS at, 'sent' AS kind
          FROM messages x
          WHERE x.lead_id = c.lead_id AND x.status = 'sent' AND coalesce(x.sent_at, x.created_at) <= c.occurred_at
            AND coalesce(x.sent_at, x.created_at) > c.occurred_at - :lookback * interval '1 second'
          UNION ALL
          SELECT program_id, step_id, variant, at, kind FROM (
            SELECT DISTINCT ON (x.id, e.type) x.program_id, x.step_id, x.variant, e.occurred_at AS at,
                   CASE e.type WHEN 'email_opened' THEN 'opened' ELSE 'clicked' END AS kind
            FROM events e JOIN messages x ON x.lead_id = e.lead_id AND x.status = 'sent'
              AND btrim(x.message_id, '<>') = btrim(e.properties ->> 'message_id', '<>')
            WHERE e.lead_id = c.lead_id AND e.type IN ('email_opened', 'email_clicked')
              AND coalesce(e.properties ->> 'machine', '') <> 'true' AND e.occurred_at <= c.occurred_at
              AND e.occurred_at > c.occurred_at - :lookback * interval '1 second'
            ORDER BY x.id, e.type, e.occurred_at) first_answers) t ON true
        ORDER BY c.occurred_at, c.lead_id, c.id, t.at, t.kind""".formatted(program.isPresent()
        ? "AND EXISTS (SELECT 1 FROM messages m WHERE m.lead_id = e.lead_id AND m.program_id = :program)" : "");
    var query = getHandle().createQuery(sql).bind("from", from).bind("to", to).bind("lookback", lookback.toSeconds());
    program.ifPresent(p -> query.bind("program", p));
    return query.map((rs, ctx) -> new ConversionTouchRow(rs.getString("lead_id"), rs.getString("event_id"),
        rs.getTimestamp("converted_at").toInstant(), Optional.ofNullable(rs.getString("amount")),
        Optional.ofNullable(rs.getString("currency")),
        rs.getString("program_id") == null ? Optional.empty()
            : Optional.of(new ConversionTouchRow.Touch(rs.getString("program_id"), rs.getString("step_id"),
                rs.getString("variant"), rs.getTimestamp("at").toInstant(), rs.getString("kind"))))).list();
  }
}
