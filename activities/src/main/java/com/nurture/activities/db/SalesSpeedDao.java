package com.nurture.activities.db;

import java.time.Instant;
import java.util.List;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/**
 * Sales speed (docs/analytics.md): the hand-offs made in a period by owner, and for everyone, with
 * the time from hand-off to sales' first answer (accepted, rejected or not now) and to acceptance.
 * The owner is who the hand-off email went to, else the lead's {@code owner_email}, else
 * {@code defaultOwner} ("" when none is configured).
 */
public interface SalesSpeedDao {
  @SqlQuery("""
      WITH h AS (
        SELECT coalesce(o.owner_email, nullif(trim(l.attributes ->> 'owner_email'), ''), :defaultOwner) AS owner,
               h.created_at, h.sla_due_at, h.outcome, h.outcome_at
        FROM handoffs h LEFT JOIN owner_notifications o ON o.handoff_key = h.handoff_key
        LEFT JOIN leads l ON l.id = h.lead_id
        WHERE h.created_at >= :from AND h.created_at < :to)
      SELECT grouping(owner) = 1 AS total, coalesce(owner, '') AS owner, count(*) AS handoffs,
             count(outcome_at) AS answered, count(*) FILTER (WHERE outcome_at <= sla_due_at) AS answered_within_sla,
             count(*) FILTER (WHERE outcome = 'accepted') AS accepted,
             percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM outcome_at - created_at)) AS median_seconds_to_answer,
             percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM outcome_at - created_at)) AS p90_seconds_to_answer,
             percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM outcome_at - created_at))
               FILTER (WHERE outcome = 'accepted') AS median_seconds_to_acceptance
      FROM h GROUP BY GROUPING SETS ((owner), ())
      ORDER BY grouping(owner) DESC, count(*) DESC, owner""")
  @RegisterConstructorMapper(SalesSpeedRow.class)
  List<SalesSpeedRow> byOwner(@Bind("from") Instant from, @Bind("to") Instant to, @Bind("defaultOwner") String defaultOwner);
}
