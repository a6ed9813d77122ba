package com.nurture.activities.privacy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Every table that holds something about a lead, what the right of access exports from it and what
 * erasure does to it (docs/privacy.md has the same list). A new table with a {@code lead_id} column
 * must be added here: {@code PersonalDataTest} fails until it is.
 */
public final class PersonalData {
  /** {@code 'sha256:' || hex(sha256(lower(address)))}: the only form of an erased lead's address that is kept. */
  static final String HASH_OF = com.nurture.activities.db.SuppressionDao.HASHED.replace(":email", "%s");

  /**
   * One table: how its rows of the lead are selected for export (a query answering one jsonb array,
   * {@code :id} the lead id, {@code :email} its address), and the statements that erase them.
   */
  public record Table(String name, String export, List<String> erase, String onErasure) {}

  private static String rows(String table, String where, String order) {
    return "SELECT coalesce(jsonb_agg(to_jsonb(t) ORDER BY " + order + "), '[]'::jsonb) FROM " + table + " t WHERE " + where;
  }

  private static final String HANDOFFS_OF_LEAD = "handoff_key IN (SELECT handoff_key FROM handoffs WHERE lead_id = :id)";
  private static final String ADDRESS_ROWS = "(lead_id = :id OR email = lower(:email)) AND email NOT LIKE 'sha256:%'";

  public static final List<Table> TABLES = List.of(
      new Table("leads", rows("leads", "id = :id", "id"), List.of("""
          UPDATE leads SET email = '', timezone = NULL, consent = NULL, attributes = '{}'::jsonb,
            erased_at = coalesce(erased_at, now()), updated_at = now() WHERE id = :id"""),
          "kept as a tombstone (id, created_at, erased_at); email, time zone, consent and every attribute emptied"),
      new Table("journeys", rows("journeys", "lead_id = :id", "lead_id"), List.of("DELETE FROM journeys WHERE lead_id = :id"),
          "deleted (the mirror of the journey, which is terminated)"),
      new Table("event_outbox", rows("event_outbox", "lead_id = :id", "seq"), List.of("DELETE FROM event_outbox WHERE lead_id = :id"),
          "deleted (events still waiting for a journey that is terminated, an enrolment queued while Temporal was away)"),
      new Table("program_entrants", rows("program_entrants", "lead_id = :id", "program_id, program_version"), List.of(),
          "kept: ids, times, the holdout arm and the exit only (the statistics' entrants)"),
      new Table("step_count_journal", rows("step_count_journal", "lead_id = :id", "first_at, program_id, program_version, step_id, variant"), List.of(),
          "kept until folded into the statistics' counters and entrants (every second): ids, times and counts only"),
      new Table("events", rows("events", "lead_id = :id", "received_at, id"),
          List.of("UPDATE events SET properties = '{}'::jsonb WHERE lead_id = :id"),
          "kept (id, type, times) for the statistics; properties emptied"),
      new Table("timeline", rows("timeline", "lead_id = :id", "id"),
          List.of("UPDATE timeline SET detail = '{}'::jsonb WHERE lead_id = :id"),
          "kept (kind, time); detail emptied"),
      new Table("messages", rows("messages", "lead_id = :id", "id"), List.of("""
          UPDATE messages SET email = '', subject = '', last_error = NULL, reply_token = NULL WHERE lead_id = :id"""),
          "kept (the send ledger: program, step, template, status, times); address, subject, error and reply token emptied"),
      new Table("alerts", rows("alerts", "lead_id = :id", "id"), List.of("""
          UPDATE alerts SET message = 'erased', detail = '{}'::jsonb, resolved_at = coalesce(resolved_at, now())
          WHERE lead_id = :id"""),
          "kept (kind, times), resolved; message and detail replaced"),
      new Table("handoffs", rows("handoffs", "lead_id = :id", "id"),
          List.of("UPDATE handoffs SET events = '[]'::jsonb WHERE lead_id = :id"),
          "kept (reason, score, priority, SLA, outcome); the events behind it emptied"),
      new Table("webhook_deliveries", rows("webhook_deliveries", HANDOFFS_OF_LEAD, "id"),
          List.of("UPDATE webhook_deliveries SET error = NULL WHERE " + HANDOFFS_OF_LEAD),
          "kept (attempts, status codes); error text emptied"),
      new Table("owner_notifications", rows("owner_notifications", HANDOFFS_OF_LEAD, "handoff_key"), List.of(),
          "kept: the owner's (a salesperson's) address, not the lead's"),
      new Table("suppressions", rows("suppressions", "lead_id = :id OR email = lower(:email) OR email = "
          + HASH_OF.formatted(":email"), "id"), List.of(
          "INSERT INTO suppressions (email, reason, lead_id, source, added_by, at) SELECT " + HASH_OF.formatted("email")
              + ", reason, lead_id, source, added_by, at FROM suppressions WHERE " + ADDRESS_ROWS + " ON CONFLICT (email) DO NOTHING",
          "DELETE FROM suppressions WHERE " + ADDRESS_ROWS,
          "INSERT INTO suppressions (email, reason, lead_id, source, added_by) SELECT " + HASH_OF.formatted(":email")
              + ", 'erased', :id, 'erasure', 'erasure' WHERE :email <> '' ON CONFLICT (email) DO NOTHING"),
          "the address replaced by its SHA-256 ('sha256:<hex>'); one is added if there was none, so the address is never mailed again"),
      new Table("suppression_audit", rows("suppression_audit", "email = lower(:email) OR email = " + HASH_OF.formatted(":email"), "id"),
          List.of("UPDATE suppression_audit SET email = " + HASH_OF.formatted("email") + " WHERE email = lower(:email)"),
          "kept; the address replaced by its SHA-256"),
      new Table("lead_preferences", rows("lead_preferences", "lead_id = :id", "lead_id"),
          List.of("DELETE FROM lead_preferences WHERE lead_id = :id"), "deleted"),
      new Table("consent_evidence", rows("consent_evidence", "lead_id = :id", "id"),
          List.of("UPDATE consent_evidence SET token = '', user_agent = NULL, ip_hash = NULL WHERE lead_id = :id"),
          "kept (choice, time: the proof of an unsubscribe); token (which names the address), user agent and IP hash emptied"),
      new Table("confirmations", rows("confirmations", "lead_id = :id", "requested_at"), List.of(),
          "kept: ids, a token hash and times only"),
      new Table("esp_bounce_streaks", rows("esp_bounce_streaks", "lead_id = :id", "lead_id"),
          List.of("DELETE FROM esp_bounce_streaks WHERE lead_id = :id"), "deleted"),
      new Table("tracking_hits", rows("tracking_hits", "lead_id = :id", "id"),
          List.of("DELETE FROM tracking_hits WHERE lead_id = :id"), "deleted (IP addresses, user agents)"),
      new Table("tracked_links", rows("tracked_links", "lead_id = :id", "created_at, token"),
          List.of("DELETE FROM tracked_links WHERE lead_id = :id"),
          "deleted (URLs may carry personal values); the links in sent mail then lead to a 404 page"),
      new Table("lead_keys", "SELECT coalesce(jsonb_agg(jsonb_build_object('key_id', key_id, 'master_key_id', master_key_id, "
          + "'created_at', created_at, 'destroyed_at', destroyed_at) ORDER BY created_at), '[]'::jsonb) FROM lead_keys WHERE lead_id = :id",
          List.of(), "the live key destroyed (crypto-shredding, by StoredDataKeys after the rows): its Temporal payloads become unreadable"));

  private PersonalData() {}

  /** Every table's rows of the lead, by table name (the lead's row as {@code leads}: an array of one). */
  public static Map<String, Object> export(Jdbi jdbi, String leadId, String email) {
    return jdbi.withHandle(h -> {
      Map<String, Object> out = new LinkedHashMap<>();
      for (Table t : TABLES) {
        String array = h.createQuery(t.export()).bind("id", leadId).bind("email", email).mapTo(String.class).one();
        out.put(t.name(), new RawJson(array));
      }
      return out;
    });
  }

  /** A JSON text to be written as it is. */
  public record RawJson(@com.fasterxml.jackson.annotation.JsonRawValue @com.fasterxml.jackson.annotation.JsonValue String json) {}

  /** Erases the lead's personal fields from every table, in the caller's transaction. */
  public static void erase(Handle h, String leadId, String email) {
    for (Table t : TABLES) {
      for (String sql : t.erase()) {
        h.createUpdate(sql).bind("id", leadId).bind("email", email).execute();
      }
    }
  }

  /** The lead's row whether erased or not: its address ("" once erased) and when it was erased. */
  public record LeadState(String email, Optional<java.time.Instant> erasedAt) {}

  public static Optional<LeadState> state(Handle h, String leadId) {
    return h.createQuery("SELECT email, erased_at FROM leads WHERE id = :id FOR UPDATE").bind("id", leadId)
        .map((rs, ctx) -> new LeadState(rs.getString("email"),
            Optional.ofNullable(rs.getTimestamp("erased_at")).map(java.sql.Timestamp::toInstant)))
        .findOne();
  }
}
