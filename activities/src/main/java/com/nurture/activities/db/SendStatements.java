package com.nurture.activities.db;

import static com.nurture.activities.db.BoundValue.text;
import static com.nurture.activities.db.FluentStatement.instant;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.SqlStatement;
import org.jdbi.v3.core.statement.StatementContext;

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
  /**
   * The lead of a send (as {@link LeadDao#find}), whether its address is suppressed (as
   * {@link LeadReads#suppressed}) and its email preference (as {@link PreferenceDao#find}): three reads
   * of the claim in one statement, one round trip to the database instead of three.
   */
  private static final String RECIPIENT = "SELECT r.*, " + LeadReads.suppressedSql("r.email") + " AS suppressed,"
      + " p.mode AS preference_mode, p.paused_until AS preference_paused_until, p.updated_at AS preference_updated_at"
      + " FROM (" + LeadDao.FIND + ") r LEFT JOIN lead_preferences p ON p.lead_id = r.id";

  /** The message columns' prefix in {@link #CLAIM_READ}, where the lead's columns keep their own names. */
  private static final String M = "m_";

  /**
   * What a send's claim reads first, in one statement: its ledger row, locked (as {@link MessageDao#lockByKey}),
   * and its {@link #RECIPIENT}. Either may be absent, so both hang off a row that always exists.
   */
  private static final String CLAIM_READ = "SELECT m.*, r.* FROM (SELECT 1) AS one"
      + " LEFT JOIN (SELECT " + prefixed(MessageDao.COLUMNS) + " FROM messages WHERE idempotency_key = :key FOR UPDATE)"
      + " AS m ON true LEFT JOIN (" + RECIPIENT + ") AS r ON true";

  /** A ledger row as {@link #CLAIM_READ} names its columns. */
  private static final RowMapper<MessageRow> MESSAGE = (rs, ctx) -> new MessageRow(rs.getLong(M + "id"),
      rs.getString(M + "idempotency_key"), rs.getString(M + "lead_id"), rs.getString(M + "email"),
      rs.getString(M + "program_id"), rs.getInt(M + "program_version"), rs.getString(M + "step_id"),
      rs.getString(M + "template"), rs.getString(M + "variant"), rs.getString(M + "subject"), rs.getString(M + "status"),
      rs.getString(M + "message_id"), rs.getInt(M + "attempts"), instant(rs, M + "created_at"),
      Optional.ofNullable(instant(rs, M + "sent_at")));

  /**
   * A first attempt's claim ({@link MessageDao#CLAIM} as 'sending', with its Reply-To token, which
   * {@link MessageDao#REPLY_TOKEN} records for a retry) and its links ({@link TrackingDao#ISSUE_OR_FIND_ALL})
   * in one statement. The two inserts touch different tables and neither reads the other, so the order
   * PostgreSQL runs them in does not matter; a claim that finds the key taken ({@code claimed} 0) is
   * thrown by the caller, which rolls the links back with it.
   */
  private static final String CLAIM_SENDING = "WITH claimed AS (" + MessageDao.CLAIM
      + " RETURNING 1), links AS (" + TrackingDao.ISSUE_OR_FIND_ALL + ")"
      + " SELECT (SELECT count(*) FROM claimed) AS claimed, l.token, l.kind, l.url"
      + " FROM (SELECT 1) AS one LEFT JOIN links AS l ON true";

  /** A send's lead, whether its address is suppressed, and its email preference if it stated one. */
  public record Recipient(LeadRecord lead, boolean suppressed, Optional<LeadPreference> preference) {}

  /** What {@link #claimRead} found: the send's ledger row (locked) and its recipient, each if it exists. */
  public record ClaimRead(Optional<MessageRow> message, Optional<Recipient> recipient) {}

  /** What {@link #claimSending} did: 1 when it claimed the key (0: someone else had), and each link as recorded. */
  public record FirstClaim(int claimed, List<LinkToken> links) {}

  private SendStatements() {}

  /** {@link MessageDao#COLUMNS}, each named with {@link #M} before it. */
  private static String prefixed(String columns) {
    return Arrays.stream(columns.split(",")).map(String::strip).map(c -> c + " AS " + M + c)
        .collect(Collectors.joining(", "));
  }

  /**
   * The claim's first read ({@link #CLAIM_READ}): the ledger row of {@code key}, locked for this
   * transaction, and the lead of the send; one round trip where {@link MessageDao#lockByKey} and
   * a read of the lead take two.
   */
  public static ClaimRead claimRead(Handle h, String key, String leadId) {
    return FluentStatement.query(h, CLAIM_READ, SendStatements.class, "claimRead").bind("key", text(key))
        .bind("id", text(leadId))
        .map((rs, ctx) -> new ClaimRead(
            rs.getString(M + "idempotency_key") == null ? Optional.empty() : Optional.of(MESSAGE.map(rs, ctx)),
            rs.getString("id") == null ? Optional.empty() : Optional.of(recipient(rs, ctx))))
        .one();
  }

  private static Recipient recipient(ResultSet rs, StatementContext ctx) throws SQLException {
    LeadRecord lead = LeadReads.LEAD.map(rs, ctx);
    String mode = rs.getString("preference_mode");
    Optional<LeadPreference> preference = mode == null ? Optional.empty() : Optional.of(new LeadPreference(
        lead.id(), mode, instant(rs, "preference_paused_until"), instant(rs, "preference_updated_at")));
    return new Recipient(lead, rs.getBoolean("suppressed"), preference);
  }

  /** As {@link MessageDao#claim}. @return 1 when this call claimed the key, 0 when someone else already had */
  public static int claim(Handle h, String key, String leadId, String email, String programId, int programVersion,
      String stepId, String template, String variant, String subject, String status, String messageId) {
    return message(FluentStatement.update(h, MessageDao.CLAIM, MessageDao.class, "claim"), key, messageId, leadId,
        programId, programVersion, stepId, template, variant)
        .bind("email", text(email)).bind("subject", text(subject)).bind("status", text(status))
        .bind("replyToken", text(null))
        .execute();
  }

  /**
   * A message's links in one statement ({@link TrackingDao#ISSUE_OR_FIND_ALL}). @return each link as
   * recorded: its token is the one offered, or the one an earlier attempt recorded for the same
   * (key, kind, URL)
   */
  public static List<LinkToken> issueLinks(Handle h, String key, String messageId, String leadId, String programId,
      int programVersion, String stepId, String template, String variant, List<LinkToken> links) {
    return links(message(FluentStatement.query(h, TrackingDao.ISSUE_OR_FIND_ALL, TrackingDao.class, "issueOrFindAll"),
        key, messageId, leadId, programId, programVersion, stepId, template, variant), links)
        .map((rs, ctx) -> new LinkToken(rs.getString("token"), rs.getString("kind"), rs.getString("url")))
        .list();
  }

  /**
   * A first attempt's claim as 'sending' and its links, in one statement ({@link #CLAIM_SENDING}),
   * where {@link #issueLinks}, {@link #claim} and {@link #replyToken} take three.
   * @param replyToken the message's Reply-To token, if it has one
   */
  public static FirstClaim claimSending(Handle h, String key, String leadId, String email, String programId,
      int programVersion, String stepId, String template, String variant, String subject, String messageId,
      Optional<String> replyToken, List<LinkToken> links) {
    List<ClaimRow> rows = links(message(FluentStatement.query(h, CLAIM_SENDING, SendStatements.class, "claimSending"),
        key, messageId, leadId, programId, programVersion, stepId, template, variant), links)
        .bind("email", text(email)).bind("subject", text(subject)).bind("status", text("sending"))
        .bind("replyToken", text(replyToken.orElse(null)))
        .map((rs, ctx) -> new ClaimRow(rs.getInt("claimed"), rs.getString("token") == null ? Optional.empty()
            : Optional.of(new LinkToken(rs.getString("token"), rs.getString("kind"), rs.getString("url")))))
        .list();
    return new FirstClaim(rows.get(0).claimed(), rows.stream().flatMap(row -> row.link().stream()).toList());
  }

  /** Binds who a message is: what its ledger row and each of its links record. */
  private static <S extends SqlStatement<S>> S message(S statement, String key, String messageId, String leadId,
      String programId, int programVersion, String stepId, String template, String variant) {
    return statement.bind("key", text(key)).bind("messageId", text(messageId)).bind("leadId", text(leadId))
        .bind("programId", text(programId)).bind("programVersion", BoundValue.integer(programVersion))
        .bind("stepId", text(stepId)).bind("template", text(template)).bind("variant", text(variant));
  }

  /**
   * Binds a message's links as three arrays. Not bindArray(name, String.class, list): JDBI builds
   * Iterable&lt;String&gt;'s generic type reflectively on every call and resolves its argument factory
   * anew (7% of a send's CPU).
   */
  private static <S extends SqlStatement<S>> S links(S statement, List<LinkToken> links) {
    return statement.bind("tokens", BoundValue.texts(links.stream().map(LinkToken::token).toArray(String[]::new)))
        .bind("kinds", BoundValue.texts(links.stream().map(LinkToken::kind).toArray(String[]::new)))
        .bind("urls", BoundValue.texts(links.stream().map(LinkToken::url).toArray(String[]::new)));
  }

  /** A row of {@link #CLAIM_SENDING}: every row has the claim's count; a link, unless there were none. */
  private record ClaimRow(int claimed, Optional<LinkToken> link) {}

  /** As {@link MessageDao#replyToken}: the token an earlier attempt recorded, else {@code candidate}, recorded now. */
  public static Optional<String> replyToken(Handle h, String key, String candidate) {
    return FluentStatement.query(h, MessageDao.REPLY_TOKEN, MessageDao.class, "replyToken").bind("key", text(key))
        .bind("candidate", text(candidate)).mapTo(String.class).findFirst();
  }

  /** As {@link MessageDao#markSent}. */
  public static void markSent(Handle h, String key, Instant at) {
    FluentStatement.update(h, MessageDao.MARK_SENT, MessageDao.class, "markSent").bind("key", text(key)).bind("at", at)
        .execute();
  }
}
