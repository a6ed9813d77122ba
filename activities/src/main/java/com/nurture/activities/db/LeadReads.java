package com.nurture.activities.db;

import static com.nurture.activities.db.FluentStatement.instant;

import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;

/**
 * The reads of a lead that every send, enrolment and event makes: the lead, its journey row, its
 * recent events, whether its address is suppressed. On JDBI's fluent API with row mappers written
 * out, for the reason {@link SendStatements} gives; the SQL is the DAO methods' own.
 */
public final class LeadReads {
  private static final String SUPPRESSED = "SELECT " + suppressedSql(":email");

  static final RowMapper<LeadRecord> LEAD = (rs, ctx) -> new LeadRecord(rs.getString("id"),
      rs.getString("email"), rs.getString("timezone"), rs.getString("consent"), JsonObjectColumn.map(rs, "attributes", ctx),
      instant(rs, "created_at"), instant(rs, "updated_at"));

  private static final RowMapper<JourneyRow> JOURNEY = (rs, ctx) -> new JourneyRow(rs.getString("lead_id"),
      rs.getString("workflow_id"), rs.getString("run_id"), rs.getString("program_id"), rs.getInt("program_version"),
      rs.getString("status"), rs.getString("current_step"), Optional.ofNullable(instant(rs, "next_action_at")),
      instant(rs, "enrolled_at"), rs.getInt("score"), instant(rs, "updated_at"));

  private static final RowMapper<EventRow> EVENT = (rs, ctx) -> new EventRow(rs.getString("id"),
      rs.getString("type"), instant(rs, "occurred_at"), JsonObjectColumn.map(rs, "properties", ctx));

  private LeadReads() {}

  /** As {@link LeadDao#find}: the lead, unless it was erased. */
  public static Optional<LeadRecord> lead(Handle h, String id) {
    return FluentStatement.query(h, LeadDao.FIND, LeadDao.class, "find").bind("id", id).map(LEAD).findFirst();
  }

  /** As {@link JourneyDao#find}: the lead's journey row, running or ended. */
  public static Optional<JourneyRow> journey(Handle h, String leadId) {
    return FluentStatement.query(h, JourneyDao.FIND, JourneyDao.class, "find").bind("leadId", leadId)
        .map(JOURNEY).findFirst();
  }

  /** As {@link EventDao#recent}: the lead's latest {@code limit} events, oldest first. */
  public static List<EventRow> recentEvents(Handle h, String leadId, int limit) {
    return FluentStatement.query(h, EventDao.RECENT, EventDao.class, "recent").bind("leadId", leadId)
        .bind("limit", limit).map(EVENT).list();
  }

  /**
   * SQL that is true when the address {@code address} (an SQL expression: a parameter, a column) is
   * suppressed, by itself in any case or by its hash (an erased lead's suppression keeps only the hash).
   */
  static String suppressedSql(String address) {
    return "EXISTS (SELECT 1 FROM suppressions WHERE email IN (lower(" + address + "), "
        + SuppressionDao.HASHED.replace(":email", address) + "))";
  }

  /** Whether {@link SuppressionDao#find} finds the address (by itself or by its hash). */
  public static boolean suppressed(Handle h, String email) {
    return FluentStatement.query(h, SUPPRESSED, SuppressionDao.class, "find").bind("email", email)
        .mapTo(boolean.class).one();
  }
}
