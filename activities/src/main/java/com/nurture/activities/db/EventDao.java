package com.nurture.activities.db;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.json.Json;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

@RegisterConstructorMapper(EventRow.class)
public interface EventDao {
  String RECENT = """
      SELECT id, type, occurred_at, properties FROM (
        SELECT id, type, occurred_at, properties, received_at FROM events WHERE lead_id = :leadId
        ORDER BY received_at DESC LIMIT :limit) recent
      ORDER BY received_at""";

  /** The lead's most recent events, oldest first. */
  @SqlQuery(RECENT)
  List<EventRow> recent(@Bind("leadId") String leadId, @Bind("limit") int limit);

  /** {@link #insert}'s statement, for a batch of events (the same parameter names). */
  String INSERT = """
      INSERT INTO events (lead_id, id, type, occurred_at, properties) VALUES (:leadId, :id, :type, :occurredAt, :properties)
      ON CONFLICT (lead_id, id) DO NOTHING""";

  /** @return 1 for a new event, 0 for an id this lead has sent before */
  @SqlUpdate(INSERT)
  int insert(@Bind("leadId") String leadId, @Bind("id") String id, @Bind("type") String type,
      @Bind("occurredAt") Instant occurredAt, @Bind("properties") @Json Map<String, Object> properties);

  /** When the event with this id first arrived (empty when it never did). */
  @SqlQuery("SELECT received_at FROM events WHERE lead_id = :leadId AND id = :id")
  java.util.Optional<Instant> receivedAt(@Bind("leadId") String leadId, @Bind("id") String id);
}
