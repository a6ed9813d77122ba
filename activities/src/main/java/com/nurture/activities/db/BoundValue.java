package com.nurture.activities.db;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Arrays;
import org.jdbi.v3.core.argument.Argument;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * A value the hot paths' fluent statements ({@link SendStatements}) bind as a JDBI {@link Argument}
 * of its own: JDBI applies one as it is, where for a plain value it first finds the argument factory
 * for the value's type, anew for every statement (its cache lives as long as the statement), and
 * wraps the argument it makes. In the SMTP stage's profile JDBI's binding was 9.4% of the send
 * activity's samples, 5.6% this way (docs/benchmarks.md, "2026-12-07 12:37-13:50"). Each binds as JDBI's own factory for
 * the type does: text with {@code setString} (null with {@code setNull}), an int with {@code setInt},
 * a text array with the connection's {@code createArrayOf("text", ...)}.
 */
sealed interface BoundValue extends Argument {
  static BoundValue text(String value) {
    return new Text(value);
  }

  static BoundValue integer(int value) {
    return new Int(value);
  }

  static BoundValue texts(String[] values) {
    return new Texts(values);
  }

  /** A text value, or SQL NULL for null; its string is the value, as JDBI's own argument shows it in errors. */
  record Text(String value) implements BoundValue {
    @Override
    public void apply(int position, PreparedStatement statement, StatementContext ctx) throws SQLException {
      if (value == null) {
        statement.setNull(position, Types.VARCHAR);
      } else {
        statement.setString(position, value);
      }
    }

    @Override
    public String toString() {
      return String.valueOf(value);
    }
  }

  /** An int. */
  record Int(int value) implements BoundValue {
    @Override
    public void apply(int position, PreparedStatement statement, StatementContext ctx) throws SQLException {
      statement.setInt(position, value);
    }

    @Override
    public String toString() {
      return Integer.toString(value);
    }
  }

  /** A {@code text[]}. */
  record Texts(String[] values) implements BoundValue {
    @Override
    public void apply(int position, PreparedStatement statement, StatementContext ctx) throws SQLException {
      statement.setArray(position, statement.getConnection().createArrayOf("text", values));
    }

    @Override
    public String toString() {
      return Arrays.toString(values);
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Texts t && Arrays.equals(values, t.values);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(values);
    }
  }
}
