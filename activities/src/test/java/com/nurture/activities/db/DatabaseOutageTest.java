package com.nurture.activities.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.junit.jupiter.api.Test;

class DatabaseOutageTest {

  @Test
  void aRolledBackTransactionIsWorthDoingAgainAWrongStatementIsNot() {
    assertThat(DatabaseOutage.is(wrapped("40P01"))).as("deadlock detected").isTrue();
    assertThat(DatabaseOutage.is(wrapped("40001"))).as("serialization failure").isTrue();
    assertThat(DatabaseOutage.is(wrapped("57P01"))).as("admin shutdown").isTrue();
    assertThat(DatabaseOutage.is(wrapped("08006"))).as("connection failure").isTrue();
    assertThat(DatabaseOutage.is(wrapped("23505"))).as("unique violation").isFalse();
    assertThat(DatabaseOutage.is(wrapped("42P01"))).as("undefined table").isFalse();
    assertThat(DatabaseOutage.is(new IllegalStateException("no SQL at all"))).isFalse();
  }

  private static RuntimeException wrapped(String sqlState) {
    return new UnableToExecuteStatementException(new SQLException("from PostgreSQL", sqlState), null);
  }
}
