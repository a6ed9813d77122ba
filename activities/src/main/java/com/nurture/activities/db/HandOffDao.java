package com.nurture.activities.db;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.json.Json;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

public interface HandOffDao {
  /**
   * The lead's latest hand-off made at or after {@code since}, with the owner it was emailed to
   * (when owner emails are on and it went out).
   */
  @SqlQuery("""
      SELECT h.handoff_key, h.lead_id, h.reason, h.score, h.priority, h.sla_due_at, h.created_at, h.outcome, h.outcome_at,
             o.owner_email
      FROM handoffs h LEFT JOIN owner_notifications o ON o.handoff_key = h.handoff_key
      WHERE h.lead_id = :leadId AND h.created_at >= :since ORDER BY h.id DESC LIMIT 1""")
  @RegisterConstructorMapper(HandOffRow.class)
  java.util.Optional<HandOffRow> latest(@Bind("leadId") String leadId, @Bind("since") Instant since);

  /**
   * The sales queue by SLA due time (then id), after the cursor ({@code afterDue}, {@code afterId};
   * the epoch and 0 for the start). {@code status}: open, closed or all (see {@link HandOffQueueRow}).
   */
  @SqlQuery("""
      SELECT * FROM (
        SELECT h.id, h.lead_id, h.reason, h.priority, h.score, h.sla_due_at, h.created_at, h.outcome, h.outcome_at,
               coalesce(o.owner_email, nullif(trim(l.attributes ->> 'owner_email'), '')) AS owner_email,
               coalesce(h.outcome IS NULL AND j.status = 'HANDED_OFF'
                AND NOT EXISTS (SELECT 1 FROM handoffs n WHERE n.lead_id = h.lead_id AND n.id > h.id), false) AS open
        FROM handoffs h
        LEFT JOIN owner_notifications o ON o.handoff_key = h.handoff_key
        LEFT JOIN leads l ON l.id = h.lead_id
        LEFT JOIN journeys j ON j.lead_id = h.lead_id
        WHERE (h.sla_due_at, h.id) > (:afterDue, :afterId)) q
      WHERE :status = 'all' OR (:status = 'open') = q.open
      ORDER BY sla_due_at, id LIMIT :limit""")
  @RegisterConstructorMapper(HandOffQueueRow.class)
  List<HandOffQueueRow> queue(@Bind("status") String status, @Bind("afterDue") Instant afterDue,
      @Bind("afterId") long afterId, @Bind("limit") int limit);

  @SqlUpdate("""
      INSERT INTO handoffs (handoff_key, lead_id, reason, score, priority, events, sla_due_at, created_at)
      VALUES (:key, :leadId, :reason, :score, :priority, :events, :slaDueAt, :at)
      ON CONFLICT (handoff_key) DO NOTHING""")
  int insert(@Bind("key") String key, @Bind("leadId") String leadId, @Bind("reason") String reason,
      @Bind("score") int score, @Bind("priority") String priority, @Bind("events") @Json List<Map<String, Object>> events,
      @Bind("slaDueAt") Instant slaDueAt, @Bind("at") Instant at);

  @SqlUpdate("UPDATE handoffs SET outcome = :outcome, outcome_at = now() WHERE handoff_key = :key AND outcome IS NULL")
  int outcome(@Bind("key") String key, @Bind("outcome") String outcome);

  @SqlUpdate("INSERT INTO webhook_deliveries (handoff_key, attempt, status_code, error) VALUES (:key, :attempt, :status, :error)")
  void delivery(@Bind("key") String key, @Bind("attempt") int attempt, @Bind("status") Integer status,
      @Bind("error") String error);

  @SqlQuery("SELECT count(*) > 0 FROM owner_notifications WHERE handoff_key = :key")
  boolean ownerNotified(@Bind("key") String key);

  @SqlUpdate("""
      INSERT INTO owner_notifications (handoff_key, owner_email, message_id, sent_at) VALUES (:key, :owner, :messageId, :at)
      ON CONFLICT (handoff_key) DO NOTHING""")
  void ownerNotifiedNow(@Bind("key") String key, @Bind("owner") String owner, @Bind("messageId") String messageId,
      @Bind("at") Instant at);
}
