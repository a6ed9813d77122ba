package com.nurture.activities.db;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.GetGeneratedKeys;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** Tracked links (written with the message, in its claim transaction) and the hits on them. */
@RegisterConstructorMapper(TrackedLink.class)
@RegisterConstructorMapper(TrackingHit.class)
public interface TrackingDao {
  String LINK_COLUMNS = "token, idempotency_key, message_id, lead_id, program_id, program_version, step_id, template, "
      + "variant, kind, url, created_at";

  /**
   * Records each of a message's links (three arrays: token, kind, URL) unless one is recorded for its
   * (message, kind, url) already, and answers each link's kind, URL and recorded token, in one round
   * trip ({@link SendStatements#issueLinks}): a retried send keeps the tokens of its first attempt.
   */
  String ISSUE_OR_FIND_ALL = """
      INSERT INTO tracked_links (token, idempotency_key, message_id, lead_id, program_id, program_version, step_id,
                                 template, variant, kind, url)
      SELECT l.token, :key, :messageId, :leadId, :programId, :programVersion, :stepId, :template, :variant, l.kind, l.url
      FROM unnest(CAST(:tokens AS text[]), CAST(:kinds AS text[]), CAST(:urls AS text[])) AS l(token, kind, url)
      ON CONFLICT (idempotency_key, kind, url) DO UPDATE SET kind = tracked_links.kind
      RETURNING token, kind, url""";

  @SqlQuery("SELECT " + LINK_COLUMNS + " FROM tracked_links WHERE token = :token")
  Optional<TrackedLink> find(@Bind("token") String token);

  @SqlQuery("SELECT " + LINK_COLUMNS + " FROM tracked_links WHERE idempotency_key = :key ORDER BY created_at, token")
  List<TrackedLink> forMessage(@Bind("key") String key);

  /** When the message was handed to SMTP, if it was. */
  @SqlQuery("SELECT sent_at FROM messages WHERE idempotency_key = :key")
  Optional<Instant> sentAt(@Bind("key") String key);

  @SqlUpdate("""
      INSERT INTO tracking_hits (token, idempotency_key, lead_id, kind, at, method, ip, user_agent, human, reason)
      VALUES (:token, :key, :leadId, :kind, :at, :method, :ip, :userAgent, :human, :reason)""")
  @GetGeneratedKeys("id")
  long hit(@Bind("token") String token, @Bind("key") String key, @Bind("leadId") String leadId, @Bind("kind") String kind,
      @Bind("at") Instant at, @Bind("method") String method, @Bind("ip") String ip, @Bind("userAgent") String userAgent,
      @Bind("human") boolean human, @Bind("reason") String reason);

  /** The message's click hits in [from, to], oldest first, with the kind of link each was on. */
  @SqlQuery("""
      SELECT h.id, h.token, l.kind, h.at, h.human, h.reason FROM tracking_hits h JOIN tracked_links l ON l.token = h.token
      WHERE h.idempotency_key = :key AND h.kind = 'click' AND h.at BETWEEN :from AND :to ORDER BY h.at, h.id""")
  List<TrackingHit> clicksBetween(@Bind("key") String key, @Bind("from") Instant from, @Bind("to") Instant to);

  /** Marks earlier human clicks as bot (a honeypot click near them): @return how many changed. */
  @SqlUpdate("""
      UPDATE tracking_hits SET human = false, reason = :reason
      WHERE idempotency_key = :key AND kind = 'click' AND human AND at BETWEEN :from AND :to""")
  int markBot(@Bind("key") String key, @Bind("from") Instant from, @Bind("to") Instant to, @Bind("reason") String reason);

  @SqlQuery("SELECT count(*) FROM tracking_hits WHERE lead_id = :leadId AND kind = :kind AND human = :human")
  int count(@Bind("leadId") String leadId, @Bind("kind") String kind, @Bind("human") boolean human);
}
