package com.nurture.activities.db;

import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/**
 * What a lead chose on the unsubscribe page short of leaving, and the consent evidence of every
 * choice made there. The send path reads {@link #find} on every send.
 */
@RegisterConstructorMapper(LeadPreference.class)
@RegisterConstructorMapper(ConsentEvidence.class)
public interface PreferenceDao {
  String FIND = "SELECT lead_id, mode, paused_until, updated_at FROM lead_preferences WHERE lead_id = :leadId";

  @SqlQuery(FIND)
  Optional<LeadPreference> find(@Bind("leadId") String leadId);

  /** The latest choice replaces the earlier one. */
  @SqlUpdate("""
      INSERT INTO lead_preferences (lead_id, mode, paused_until, updated_at) VALUES (:leadId, :mode, :pausedUntil, :at)
      ON CONFLICT (lead_id) DO UPDATE SET mode = excluded.mode, paused_until = excluded.paused_until,
        updated_at = excluded.updated_at""")
  void set(@Bind("leadId") String leadId, @Bind("mode") String mode, @Bind("pausedUntil") Instant pausedUntil,
      @Bind("at") Instant at);

  @SqlUpdate("""
      INSERT INTO consent_evidence (lead_id, choice, token, user_agent, ip_hash, at)
      VALUES (:leadId, :choice, :token, :userAgent, :ipHash, :at)""")
  void evidence(@Bind("leadId") String leadId, @Bind("choice") String choice, @Bind("token") String token,
      @Bind("userAgent") String userAgent, @Bind("ipHash") String ipHash, @Bind("at") Instant at);

  /** Oldest first. */
  @SqlQuery("SELECT id, lead_id, choice, token, user_agent, ip_hash, at FROM consent_evidence WHERE lead_id = :leadId ORDER BY id")
  java.util.List<ConsentEvidence> evidenceOf(@Bind("leadId") String leadId);

  /** Whether the lead was sent an email at or after {@code since}. */
  @SqlQuery("SELECT EXISTS (SELECT 1 FROM messages WHERE lead_id = :leadId AND status = 'sent' AND sent_at >= :since)")
  boolean sentSince(@Bind("leadId") String leadId, @Bind("since") Instant since);
}
