package com.nurture.activities.db;

import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import org.jdbi.v3.core.ConnectionException;

/**
 * Tells a database that is away (stopped, restarting, the connection lost) from a statement that is
 * wrong: the first passes, so the work is worth doing again shortly; the second does not.
 * PostgreSQL's SQLSTATE classes 08 (connection exception) and 57P (operator intervention: shutdown,
 * crash, "cannot connect now" while starting) are an outage, as is failing to get a connection. So is
 * class 40 (transaction rollback: a deadlock detected, a serialization failure): the database rolled
 * the whole transaction back and the same work succeeds when done again, so it is retried (a send's
 * outcome) or answered 503 with Retry-After (the API), never taken for a wrong statement.
 */
public final class DatabaseOutage {
  private DatabaseOutage() {}

  public static boolean is(Throwable thrown) {
    int depth = 0;
    for (Throwable t = thrown; t != null && depth < 20; t = t.getCause(), depth++) {
      if (t instanceof ConnectionException || t instanceof ConnectException
          || t instanceof SQLTransientConnectionException || t instanceof SQLNonTransientConnectionException) {
        return true;
      }
      if (t instanceof SQLException e && e.getSQLState() != null
          && (e.getSQLState().startsWith("08") || e.getSQLState().startsWith("57P")
              || e.getSQLState().startsWith("40"))) {
        return true;
      }
    }
    return false;
  }
}
