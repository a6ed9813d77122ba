package com.nurture.activities.db;

import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** Double opt-in confirmations (V13), found by the SHA-256 of their token. */
@RegisterConstructorMapper(ConfirmationRow.class)
public interface ConfirmationDao {
  String COLUMNS = "token_sha256, lead_id, journey_key, requested_at, expires_at, sent_at, confirmed_at";

  /** Once per journey: a retry finds the row already there. */
  @SqlUpdate("""
      INSERT INTO confirmations (token_sha256, lead_id, journey_key, requested_at, expires_at)
      VALUES (:hash, :leadId, :journeyKey, :at, :expiresAt) ON CONFLICT DO NOTHING""")
  void request(@Bind("hash") String tokenSha256, @Bind("leadId") String leadId, @Bind("journeyKey") String journeyKey,
      @Bind("at") Instant at, @Bind("expiresAt") Instant expiresAt);

  @SqlQuery("SELECT " + COLUMNS + " FROM confirmations WHERE token_sha256 = :hash")
  Optional<ConfirmationRow> find(@Bind("hash") String tokenSha256);

  @SqlUpdate("UPDATE confirmations SET sent_at = :at, message_id = :messageId WHERE token_sha256 = :hash AND sent_at IS NULL")
  void sent(@Bind("hash") String tokenSha256, @Bind("messageId") String messageId, @Bind("at") Instant at);

  /** @return true when this call confirmed it (false: it was confirmed before) */
  @SqlUpdate("UPDATE confirmations SET confirmed_at = :at WHERE token_sha256 = :hash AND confirmed_at IS NULL")
  boolean confirm(@Bind("hash") String tokenSha256, @Bind("at") Instant at);

  /** The lead's consent becomes double_opt_in: it confirmed its address itself. */
  @SqlUpdate("UPDATE leads SET consent = 'double_opt_in', updated_at = now() WHERE id = :leadId")
  void markDoubleOptIn(@Bind("leadId") String leadId);
}
