package com.nurture.activities.db;

import static com.nurture.activities.db.FluentStatement.instant;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;

/**
 * The statements every email's send runs (its claim, its tracked links, its outcome; the lead and its
 * suppression through {@link LeadReads}), on JDBI's fluent API with row mappers written out: the SQL
 * is the DAO methods' own (the constants named on each), the answers the same records.
 *
 * <p>Why not the DAOs on this path: through an SQL object, each {@code attach} builds a handler for
 * every method of the DAO, and each call resolves its binders and a reflective constructor mapper
 * again in a fresh copy of the handle's config. A send attached five DAOs (52 methods) and ran
 * eight statements that way; in the SMTP stage's profile that machinery was most of the send
 * activity's CPU, the statements themselves a tenth of it (docs/benchmarks.md, "2026-12-03
 * 06:45-07:50"). The retry, failure and unknown-outcome paths, and a "fewer emails" lead's check of
 * its last send, keep their DAOs.
 */
public final class SendStatements {
  private static final RowMapper<MessageRow> MESSAGE = (rs, ctx) -> new MessageRow(rs.getLong("id"),
      rs.getString("idempotency_key"), rs.getString("lead_id"), rs.getString("email"), rs.getString("program_id"),
      rs.getInt("program_version"), rs.getString("step_id"), rs.getString("template"), rs.getString("variant"),
      rs.getString("subject"), rs.getString("status"), rs.getString("message_id"), rs.getInt("attempts"),
      instant(rs, "created_at"), Optional.ofNullable(instant(rs, "sent_at")));

  /**
   * The lead of a send (as {@link LeadDao#find}), whether its address is suppressed (as
   * {@link LeadReads#suppressed}) and its email preference (as {@link PreferenceDao#find}): three reads
   * of the claim in one statement, one round trip to the database instead of three.
   */
  private static final String RECIPIENT = "SELECT r.*, " + LeadReads.suppressedSql("r.email") + " AS suppressed,"
      + " p.mode AS preference_mode, p.paused_until AS preference_paused_until, p.updated_at AS preference_updated_at"
      + " FROM (" + LeadDao.FIND + ") r LEFT JOIN lead_preferences p ON p.lead_id = r.id";

  /** A send's lead, whether its address is suppressed, and its email preference if it stated one. */
  public record Recipient(LeadRecord lead, boolean suppressed, Optional<LeadPreference> preference) {}

  private SendStatements() {}

  /** The lead of a send with its suppression and preference ({@link #RECIPIENT}); empty when there is no such lead. */
  public static Optional<Recipient> recipient(Handle h, String leadId) {
    return FluentStatement.query(h, RECIPIENT, SendStatements.class, "recipient").bind("id", leadId)
        .map((rs, ctx) -> {
          LeadRecord lead = LeadReads.LEAD.map(rs, ctx);
          String mode = rs.getString("preference_mode");
          Optional<LeadPreference> preference = mode == null ? Optional.empty() : Optional.of(new LeadPreference(
              lead.id(), mode, instant(rs, "preference_paused_until"), instant(rs, "preference_updated_at")));
          return new Recipient(lead, rs.getBoolean("suppressed"), preference);
        }).findFirst();
  }

  /** As {@link MessageDao#lockByKey}. */
  public static Optional<MessageRow> lockMessage(Handle h, String key) {
    return FluentStatement.query(h, MessageDao.LOCK_BY_KEY, MessageDao.class, "lockByKey").bind("key", key)
        .map(MESSAGE).findFirst();
  }

  /** As {@link MessageDao#claim}. @return 1 when this call claimed the key, 0 when someone else already had */
  public static int claim(Handle h, String key, String leadId, String email, String programId, int programVersion,
      String stepId, String template, String variant, String subject, String status, String messageId) {
    return FluentStatement.update(h, MessageDao.CLAIM, MessageDao.class, "claim").bind("key", key)
        .bind("leadId", leadId).bind("email", email)
        .bind("programId", programId).bind("programVersion", programVersion).bind("stepId", stepId)
        .bind("template", template).bind("variant", variant).bind("subject", subject).bind("status", status)
        .bind("messageId", messageId).execute();
  }

  /**
   * A message's links in one statement ({@link TrackingDao#ISSUE_OR_FIND_ALL}). @return each link as
   * recorded: its token is the one offered, or the one an earlier attempt recorded for the same
   * (key, kind, URL)
   */
  public static List<LinkToken> issueLinks(Handle h, String key, String messageId, String leadId, String programId,
      int programVersion, String stepId, String template, String variant, List<LinkToken> links) {
    return FluentStatement.query(h, TrackingDao.ISSUE_OR_FIND_ALL, TrackingDao.class, "issueOrFindAll")
        // String[], not bindArray(name, String.class, list): JDBI builds Iterable<String>'s generic type
        // reflectively on every call and resolves its argument factory anew (7% of a send's CPU).
        .bind("tokens", links.stream().map(LinkToken::token).toArray(String[]::new))
        .bind("kinds", links.stream().map(LinkToken::kind).toArray(String[]::new))
        .bind("urls", links.stream().map(LinkToken::url).toArray(String[]::new))
        .bind("key", key).bind("messageId", messageId).bind("leadId", leadId).bind("programId", programId)
        .bind("programVersion", programVersion).bind("stepId", stepId).bind("template", template)
        .bind("variant", variant)
        .map((rs, ctx) -> new LinkToken(rs.getString("token"), rs.getString("kind"), rs.getString("url")))
        .list();
  }

  /** As {@link MessageDao#replyToken}: the token an earlier attempt recorded, else {@code candidate}, recorded now. */
  public static Optional<String> replyToken(Handle h, String key, String candidate) {
    return FluentStatement.query(h, MessageDao.REPLY_TOKEN, MessageDao.class, "replyToken").bind("key", key)
        .bind("candidate", candidate).mapTo(String.class).findFirst();
  }

  /** As {@link MessageDao#markSent}. */
  public static void markSent(Handle h, String key, Instant at) {
    FluentStatement.update(h, MessageDao.MARK_SENT, MessageDao.class, "markSent").bind("key", key).bind("at", at)
        .execute();
  }
}
