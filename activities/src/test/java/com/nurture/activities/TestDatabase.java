package com.nurture.activities;

import com.nurture.activities.db.Database;
import com.nurture.activities.db.EmbeddedDatabase;
import org.jdbi.v3.core.Jdbi;

/**
 * One real PostgreSQL (embedded) per test JVM, migrated once. Tests keep to their own lead ids,
 * so they share it without cleaning up.
 */
public final class TestDatabase {
  private static EmbeddedDatabase database;
  private static Jdbi jdbi;

  private TestDatabase() {}

  public static synchronized EmbeddedDatabase database() {
    if (database == null) {
      database = EmbeddedDatabase.temporary();
      Database.migrate(database.dataSource());
      jdbi = Database.open(database.dataSource());
      Runtime.getRuntime().addShutdownHook(new Thread(database::close));
    }
    return database;
  }

  public static Jdbi jdbi() {
    database();
    return jdbi;
  }
}
