package com.nurture.activities.db;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.Query;
import org.jdbi.v3.core.statement.Update;

/**
 * A statement on JDBI's fluent API that stands in for a DAO method ({@link SendStatements},
 * {@link JourneyStatements}, {@link LeadReads}, a data key's reads): its SQL is the method's, and it
 * carries the method's name in the attribute {@link #TIMER}, so Dropwizard's statement timers keep the
 * name they had ({@code com.nurture.activities.db.MessageDao.claim}; the API's {@code StatementNames}
 * reads it).
 */
public final class FluentStatement {
  /** The statement attribute holding the timer name. */
  public static final String TIMER = "nurture_timer";

  private FluentStatement() {}

  public static Query query(Handle h, String sql, Class<?> dao, String method) {
    return h.createQuery(sql).define(TIMER, timer(dao, method));
  }

  static Update update(Handle h, String sql, Class<?> dao, String method) {
    return h.createUpdate(sql).define(TIMER, timer(dao, method));
  }

  static PreparedBatch batch(Handle h, String sql, Class<?> dao, String method) {
    return h.prepareBatch(sql).define(TIMER, timer(dao, method));
  }

  /** As Dropwizard's SmartNameStrategy names an SQL object's method. */
  static String timer(Class<?> dao, String method) {
    return dao.getName() + "." + method;
  }

  /** A {@code timestamptz} column, null when NULL (as JDBI's own mapper reads an {@code Instant}). */
  static Instant instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime at = rs.getObject(column, OffsetDateTime.class);
    return at == null ? null : at.toInstant();
  }
}
