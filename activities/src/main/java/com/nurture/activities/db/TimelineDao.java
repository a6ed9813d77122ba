package com.nurture.activities.db;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.json.Json;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindList;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

@RegisterConstructorMapper(TimelineEntry.class)
public interface TimelineDao {
  /** {@link #append}'s statement, for a batch of entries (the same parameter names). */
  String APPEND = """
      INSERT INTO timeline (lead_id, at, kind, detail, dedupe_key) VALUES (:leadId, :at, :kind, :detail, :dedupeKey)
      ON CONFLICT (dedupe_key) DO NOTHING""";

  /** @param dedupeKey makes a retried write a no-op */
  @SqlUpdate(APPEND)
  int append(@Bind("leadId") String leadId, @Bind("at") Instant at, @Bind("kind") String kind,
      @Bind("detail") @Json Map<String, Object> detail, @Bind("dedupeKey") String dedupeKey);

  /** The lead's latest entry of one of {@code kinds} at or after {@code since}, if any. */
  @SqlQuery("""
      SELECT id, lead_id, at, kind, detail FROM timeline
      WHERE lead_id = :leadId AND kind IN (<kinds>) AND at >= :since ORDER BY id DESC LIMIT 1""")
  java.util.Optional<TimelineEntry> latestOf(@Bind("leadId") String leadId, @BindList("kinds") java.util.Collection<String> kinds,
      @Bind("since") Instant since);

  /** The lead's entries of one kind (e.g. {@code scored}), oldest first, after the cursor (an entry id). */
  @SqlQuery("""
      SELECT id, lead_id, at, kind, detail FROM timeline WHERE lead_id = :leadId AND kind = :kind AND id > :after
      ORDER BY id LIMIT :limit""")
  List<TimelineEntry> ofKind(@Bind("leadId") String leadId, @Bind("kind") String kind, @Bind("after") long after,
      @Bind("limit") int limit);

  /** Oldest first, after the cursor (an entry id; 0 for the start). */
  @SqlQuery("SELECT id, lead_id, at, kind, detail FROM timeline WHERE lead_id = :leadId AND id > :after ORDER BY id LIMIT :limit")
  List<TimelineEntry> list(@Bind("leadId") String leadId, @Bind("after") long after, @Bind("limit") int limit);
}
