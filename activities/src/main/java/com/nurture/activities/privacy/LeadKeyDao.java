package com.nurture.activities.privacy;

import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** {@code lead_keys}: data keys, wrapped by a master key; a destroyed key keeps its row without its bytes. */
@RegisterConstructorMapper(LeadKeyDao.Row.class)
public interface LeadKeyDao {
  /** A stored key; {@code wrappedKey} is null once destroyed. */
  record Row(String keyId, String masterKeyId, byte[] wrappedKey) {}

  @SqlUpdate("""
      INSERT INTO lead_keys (key_id, lead_id, master_key_id, wrapped_key) VALUES (:keyId, :leadId, :masterKeyId, :wrapped)
      ON CONFLICT (lead_id) WHERE destroyed_at IS NULL DO NOTHING""")
  int insertForLead(@Bind("keyId") String keyId, @Bind("leadId") String leadId, @Bind("masterKeyId") String masterKeyId,
      @Bind("wrapped") byte[] wrapped);

  @SqlUpdate("""
      INSERT INTO lead_keys (key_id, lead_id, master_key_id, wrapped_key) VALUES (:keyId, NULL, :masterKeyId, :wrapped)
      ON CONFLICT ((lead_id IS NULL)) WHERE lead_id IS NULL AND destroyed_at IS NULL DO NOTHING""")
  int insertShared(@Bind("keyId") String keyId, @Bind("masterKeyId") String masterKeyId, @Bind("wrapped") byte[] wrapped);

  /** A lead's live key (read by {@link StoredDataKeys} on JDBI's fluent API, as {@link #BY_ID}). */
  String LIVE_FOR_LEAD =
      "SELECT key_id, master_key_id, wrapped_key FROM lead_keys WHERE lead_id = :leadId AND destroyed_at IS NULL";

  @SqlQuery("SELECT key_id, master_key_id, wrapped_key FROM lead_keys WHERE lead_id IS NULL AND destroyed_at IS NULL")
  Optional<Row> liveShared();

  /** A key by its id, with its lead ({@code lead_id}: NULL for the shared key). */
  String BY_ID = "SELECT key_id, master_key_id, wrapped_key, lead_id FROM lead_keys WHERE key_id = :keyId";

  /** Crypto-shredding: the lead's live key loses its bytes. @return the ids of the keys destroyed */
  @SqlQuery("""
      UPDATE lead_keys SET wrapped_key = NULL, destroyed_at = now()
      WHERE lead_id = :leadId AND destroyed_at IS NULL RETURNING key_id""")
  java.util.List<String> destroy(@Bind("leadId") String leadId);
}
