package com.nurture.activities.db;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.jackson2.Jackson2Plugin;
import org.jdbi.v3.postgres.PostgresPlugin;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;

/** The schema (Flyway) and the JDBI set-up every role shares. */
public final class Database {
  private Database() {}

  /** Applies pending migrations from {@code db/migration}; safe to call from every process. */
  public static int migrate(DataSource dataSource) {
    return Flyway.configure()
        .dataSource(dataSource)
        .locations("classpath:db/migration")
        .load()
        .migrate()
        .migrationsExecuted;
  }

  /** Installs what the DAOs rely on: SqlObject, PostgreSQL types, jsonb through Jackson. */
  public static Jdbi configure(Jdbi jdbi) {
    return jdbi.installPlugin(new SqlObjectPlugin())
        .installPlugin(new PostgresPlugin())
        .installPlugin(new Jackson2Plugin());
  }

  public static Jdbi open(DataSource dataSource) {
    return configure(Jdbi.create(dataSource));
  }
}
