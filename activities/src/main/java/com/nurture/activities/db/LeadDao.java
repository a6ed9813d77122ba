package com.nurture.activities.db;

import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.json.Json;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

@RegisterConstructorMapper(LeadRecord.class)
public interface LeadDao {
  String COLUMNS = "id, email, coalesce(timezone, '') AS timezone, coalesce(consent, '') AS consent, attributes, created_at, updated_at";

  String FIND = "SELECT " + COLUMNS + " FROM leads WHERE id = :id AND erased_at IS NULL";

  /** The lead, unless it was erased (docs/privacy.md). */
  @SqlQuery(FIND)
  Optional<LeadRecord> find(@Bind("id") String id);

  /** @return true when the lead is new */
  @SqlQuery("""
      INSERT INTO leads (id, email, timezone, consent, attributes)
      VALUES (:id, :email, nullif(:timezone, ''), nullif(:consent, ''), :attributes)
      ON CONFLICT (id) DO UPDATE SET email = excluded.email, timezone = excluded.timezone,
        consent = excluded.consent, attributes = excluded.attributes, updated_at = now(), erased_at = NULL
      RETURNING (xmax = 0)""")
  boolean upsert(@Bind("id") String id, @Bind("email") String email, @Bind("timezone") String timezone,
      @Bind("consent") String consent, @Bind("attributes") @Json Map<String, Object> attributes);

  /** The lead with this address (compared lower-cased), the most recently updated when several share it. */
  @SqlQuery("SELECT " + COLUMNS + " FROM leads WHERE lower(email) = lower(:email) AND erased_at IS NULL ORDER BY updated_at DESC LIMIT 1")
  Optional<LeadRecord> findByEmail(@Bind("email") String email);
}
