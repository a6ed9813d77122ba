package com.nurture.activities.db;

import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.GetGeneratedKeys;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** The global suppression list, keyed by lower-cased address, and the audit of operators' changes to it. */
@RegisterConstructorMapper(SuppressionRow.class)
@RegisterConstructorMapper(SuppressionEntry.class)
@RegisterConstructorMapper(SuppressionAuditRow.class)
public interface SuppressionDao {
  String ENTRY = "id, email, reason, source, lead_id, added_by, at";
  /** The form an erased lead's address is kept in. */
  String HASHED = "'sha256:' || encode(sha256(convert_to(lower(:email), 'UTF8')), 'hex')";

  /**
   * The suppression of this address, by the address or by its hash (an erased lead's suppression
   * keeps only {@code sha256:<hex>}: docs/privacy.md), so an erased address is never mailed again.
   */
  @SqlQuery("SELECT email, reason, coalesce(lead_id, '') AS lead_id, at FROM suppressions WHERE email IN (lower(:email), "
      + HASHED + ") ORDER BY email LIKE 'sha256:%' LIMIT 1")
  Optional<SuppressionRow> find(@Bind("email") String email);

  /** @return 1 when newly suppressed; the first reason is kept */
  @SqlUpdate("""
      INSERT INTO suppressions (email, reason, lead_id) VALUES (lower(:email), :reason, nullif(:leadId, ''))
      ON CONFLICT (email) DO NOTHING""")
  int suppress(@Bind("email") String email, @Bind("reason") String reason, @Bind("leadId") String leadId);

  /** An operator's suppression. @return 1 when newly suppressed, 0 when it already was (the first reason is kept) */
  @SqlUpdate("""
      INSERT INTO suppressions (email, reason, source, added_by) VALUES (lower(:email), :reason, :source, :addedBy)
      ON CONFLICT (email) DO NOTHING""")
  int add(@Bind("email") String email, @Bind("reason") String reason, @Bind("source") String source,
      @Bind("addedBy") String addedBy);

  /** The suppression of this address, or of its hash when it was erased (the address itself first). */
  @SqlQuery("SELECT " + ENTRY + " FROM suppressions WHERE email IN (lower(:email), " + HASHED
      + ") ORDER BY email LIKE 'sha256:%' LIMIT 1")
  Optional<SuppressionEntry> entry(@Bind("email") String email);

  /** Newest first, before the cursor (an id; {@link Long#MAX_VALUE} for the start). */
  @SqlQuery("SELECT " + ENTRY + " FROM suppressions WHERE id < :before ORDER BY id DESC LIMIT :limit")
  List<SuppressionEntry> page(@Bind("before") long before, @Bind("limit") int limit);

  /** Deletes the suppression, answering what it was (empty when there was none). */
  @SqlQuery("DELETE FROM suppressions WHERE email = lower(:email) RETURNING " + ENTRY)
  Optional<SuppressionEntry> remove(@Bind("email") String email);

  @SqlUpdate("""
      INSERT INTO suppression_audit (email, action, reason, source, actor, suppressed_reason, suppressed_at)
      VALUES (lower(:email), :action, :reason, :source, :actor, :suppressedReason, :suppressedAt)""")
  @GetGeneratedKeys("id")
  long audit(@Bind("email") String email, @Bind("action") String action, @Bind("reason") String reason,
      @Bind("source") String source, @Bind("actor") String actor, @Bind("suppressedReason") String suppressedReason,
      @Bind("suppressedAt") java.time.Instant suppressedAt);

  /** Oldest first. */
  @SqlQuery("""
      SELECT id, email, action, reason, source, actor, suppressed_reason, suppressed_at, at
      FROM suppression_audit WHERE email = lower(:email) ORDER BY id""")
  List<SuppressionAuditRow> auditOf(@Bind("email") String email);
}
