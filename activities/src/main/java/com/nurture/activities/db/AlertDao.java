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

  @SqlQuery("SELECT id, lead_id, kind, message, detail, created_at FROM alerts WHERE resolved_at IS NULL ORDER BY id DESC LIMIT :limit")
  List<AlertRow> open(@Bind("limit") int limit);

  @SqlQuery("SELECT id, lead_id, kind, message, detail, created_at FROM alerts WHERE lead_id = :leadId ORDER BY id")
  List<AlertRow> forLead(@Bind("leadId") String leadId);
}
