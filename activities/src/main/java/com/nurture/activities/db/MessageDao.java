package com.nurture.activities.db;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/**
 * The send ledger. A send claims its idempotency key ({@code sending}) before SMTP and confirms it
 * ({@code sent}) after. A transient failure releases it ({@code retrying}) so a retry may claim it
 * again; a permanent one (or one the journey gave up on) ends it ({@code failed}, the reason in
 * {@code last_error}). A retry that finds the key still {@code sending} means a process died
 * mid-send: never resent, the row becomes {@code unknown}.
 */
@RegisterConstructorMapper(MessageRow.class)
public interface MessageDao {
  String COLUMNS = "id, idempotency_key, lead_id, email, program_id, program_version, step_id, template, variant, subject, "
      + "status, message_id, attempts, created_at, sent_at";

  String LOCK_BY_KEY = "SELECT " + COLUMNS + " FROM messages WHERE idempotency_key = :key FOR UPDATE";

  /** A send's ledger row, claimed; {@code :replyToken} is null unless it is a first attempt's that sends (V15). */
  String CLAIM = """
      INSERT INTO messages (idempotency_key, lead_id, email, program_id, program_version, step_id, template, variant,
                            subject, status, message_id, reply_token)
      VALUES (:key, :leadId, :email, :programId, :programVersion, :stepId, :template, :variant, :subject, :status,
              :messageId, :replyToken)
      ON CONFLICT (idempotency_key) DO NOTHING""";

  String REPLY_TOKEN = "UPDATE messages SET reply_token = COALESCE(reply_token, :candidate) WHERE idempotency_key = :key"
      + " RETURNING reply_token";

  String MARK_SENT = "UPDATE messages SET status = 'sent', sent_at = :at, last_error = NULL WHERE idempotency_key = :key";

  @SqlQuery(LOCK_BY_KEY)
  Optional<MessageRow> lockByKey(@Bind("key") String key);

  @SqlQuery("SELECT " + COLUMNS + " FROM messages WHERE lead_id = :leadId ORDER BY id")
  List<MessageRow> forLead(@Bind("leadId") String leadId);

  /** How many emails went out to the lead since {@code since} (sent, or sent by an earlier attempt). */
  @SqlQuery("SELECT count(*) FROM messages WHERE lead_id = :leadId AND status = 'sent' AND created_at >= :since")
  int sentSince(@Bind("leadId") String leadId, @Bind("since") Instant since);

  /**
   * The lead's latest sends since {@code since}, newest first: every outcome but {@code failed}
   * (a failed send is retried under the same key, or given up without a touch).
   */
  @SqlQuery("SELECT " + COLUMNS + " FROM messages WHERE lead_id = :leadId AND status <> 'failed' AND created_at >= :since"
      + " ORDER BY id DESC LIMIT :limit")
  List<MessageRow> latestSince(@Bind("leadId") String leadId, @Bind("since") Instant since, @Bind("limit") int limit);

  /** @return 1 when this call claimed the key, 0 when someone else already had */
  default int claim(String key, String leadId, String email, String programId, int programVersion, String stepId,
      String template, String variant, String subject, String status, String messageId) {
    return claim(key, leadId, email, programId, programVersion, stepId, template, variant, subject, status, messageId,
        null);
  }

  /** As {@link #claim}, with the message's Reply-To token (null: none yet). */
  @SqlUpdate(CLAIM)
  int claim(@Bind("key") String key, @Bind("leadId") String leadId, @Bind("email") String email,
      @Bind("programId") String programId, @Bind("programVersion") int programVersion, @Bind("stepId") String stepId,
      @Bind("template") String template, @Bind("variant") String variant, @Bind("subject") String subject,
      @Bind("status") String status, @Bind("messageId") String messageId, @Bind("replyToken") String replyToken);

  @SqlUpdate("""
      UPDATE messages SET status = 'sending', attempts = attempts + 1, email = :email, subject = :subject
      WHERE idempotency_key = :key AND status = 'retrying'""")
  int reclaimRetrying(@Bind("key") String key, @Bind("email") String email, @Bind("subject") String subject);

  @SqlUpdate(MARK_SENT)
  void markSent(@Bind("key") String key, @Bind("at") Instant at);

  /** A transient failure: a retry may claim the key again. */
  @SqlUpdate("UPDATE messages SET status = 'retrying', last_error = :error WHERE idempotency_key = :key AND status = 'sending'")
  void markRetrying(@Bind("key") String key, @Bind("error") String error);

  /** A final failure: never sent, never claimed again. @return rows changed (0 when already final) */
  @SqlUpdate("""
      UPDATE messages SET status = 'failed', last_error = :error
      WHERE idempotency_key = :key AND status IN ('sending', 'retrying')""")
  int markFailed(@Bind("key") String key, @Bind("error") String error);

  /** The reason of a row claimed directly as {@code failed} (a message that could not even be rendered). */
  @SqlUpdate("UPDATE messages SET last_error = :error WHERE idempotency_key = :key AND status = 'failed'")
  void failedBecause(@Bind("key") String key, @Bind("error") String error);

  /** A process died between claim and confirmation: the mail may or may not have gone. */
  @SqlUpdate("UPDATE messages SET status = 'unknown' WHERE idempotency_key = :key AND status = 'sending'")
  int markUnknown(@Bind("key") String key);

  @SqlQuery("SELECT last_error FROM messages WHERE idempotency_key = :key")
  Optional<String> lastError(@Bind("key") String key);

  /** The lead a message of ours went to, by its Message-ID (an inbound reply's In-Reply-To). */
  @SqlQuery("SELECT lead_id FROM messages WHERE message_id = :messageId ORDER BY id DESC LIMIT 1")
  Optional<String> leadOfMessage(@Bind("messageId") String messageId);

  /**
   * The message's Reply-To token: the one recorded by an earlier attempt of the same send, else
   * {@code candidate}, recorded now (so a retried send carries the address its first attempt did).
   */
  @SqlQuery(REPLY_TOKEN)
  Optional<String> replyToken(@Bind("key") String key, @Bind("candidate") String candidate);

  /** The lead a message of ours went to, by the token of its Reply-To address. */
  @SqlQuery("SELECT lead_id FROM messages WHERE reply_token = :token")
  Optional<String> leadOfReplyToken(@Bind("token") String token);

  /** The ledger row of a message of ours, by its Message-ID (a bounce or complaint report's). */
  @SqlQuery("SELECT " + COLUMNS + " FROM messages WHERE message_id = :messageId ORDER BY id DESC LIMIT 1")
  Optional<MessageRow> byMessageId(@Bind("messageId") String messageId);
}
