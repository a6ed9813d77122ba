package com.nurture.activities.db;

import java.util.List;
import java.util.Map;
import org.jdbi.v3.json.Json;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

@RegisterConstructorMapper(AlertRow.class)
public interface AlertDao {
  @SqlUpdate("""
      INSERT INTO alerts (lead_id, kind, message, detail, dedupe_key) VALUES (:leadId, :kind, :message, :detail, :dedupeKey)
      ON CONFLICT (dedupe_key) DO NOTHING""")
  int raise(@Bind("leadId") String leadId, @Bind("kind") String kind, @Bind("message") String message,
      @Bind("detail") @Json Map<String, Object> detail, @Bind("dedupeKey") String dedupeKey);

  /** Open alerts (neither resolved nor acknowledged), newest first. */
  @SqlQuery("SELECT * FROM alerts WHERE resolved_at IS NULL AND acked_at IS NULL ORDER BY id DESC LIMIT :limit")
  List<AlertRow> open(@Bind("limit") int limit);

  /** Alerts by status ({@code open}, {@code acked} or {@code all}), newest first, with ids below {@code before}. */
  @SqlQuery("""
      SELECT * FROM alerts WHERE id < :before AND (:status = 'all'
        OR :status = 'open' AND resolved_at IS NULL AND acked_at IS NULL OR :status = 'acked' AND acked_at IS NOT NULL)
      ORDER BY id DESC LIMIT :limit""")
  List<AlertRow> list(@Bind("status") String status, @Bind("before") long before, @Bind("limit") int limit);

  @SqlQuery("SELECT * FROM alerts WHERE id = :id")
  java.util.Optional<AlertRow> find(@Bind("id") long id);

  /** Acknowledges the alert once: a second call changes nothing (the first who and when stay). */
  @SqlUpdate("UPDATE alerts SET acked_at = :at, acked_by = :by WHERE id = :id AND acked_at IS NULL")
  int ack(@Bind("id") long id, @Bind("by") String by, @Bind("at") java.time.Instant at);

  /** Resolves the open alert raised with this dedupe key (its cause has gone away); 0 when there is none. */
  @SqlUpdate("UPDATE alerts SET resolved_at = now() WHERE dedupe_key = :dedupeKey AND resolved_at IS NULL")
  int resolve(@Bind("dedupeKey") String dedupeKey);

  @SqlQuery("SELECT * FROM alerts WHERE lead_id = :leadId ORDER BY id")
  List<AlertRow> forLead(@Bind("leadId") String leadId);
}
