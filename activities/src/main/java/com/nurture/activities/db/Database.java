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

  static final int CONNECT_RETRIES = 14;
  static final int CONNECT_RETRY_MAX_INTERVAL_S = 5;

  /** Applies pending migrations from {@code db/migration}; safe to call from every process. */
  public static int migrate(DataSource dataSource) {
    return Flyway.configure()
        .dataSource(dataSource)
        // A role started before its PostgreSQL (a reboot, a compose or systemd start order) waits for
        // it instead of exiting: Flyway retries the first connection, logging each failure, backing off
        // 1, 2, 4 s and then every CONNECT_RETRY_MAX_INTERVAL_S, CONNECT_RETRIES times (about a minute).
        .connectRetries(CONNECT_RETRIES)
        .connectRetriesInterval(CONNECT_RETRY_MAX_INTERVAL_S)
        .locations("classpath:db/migration")
        .load()
        .migrate()
        .migrationsExecuted;
  }

  /**
   * Installs what the DAOs rely on: SqlObject, PostgreSQL types, jsonb through Jackson; and {@link
   * NamedSqlTemplates}, which parses each statement's SQL once (in place of Dropwizard's wrapper, which
   * parsed it on every execution) and names a SQL object's method in a comment.
   */
  public static Jdbi configure(Jdbi jdbi) {
    jdbi.setTemplateEngine(new NamedSqlTemplates());
    jdbi.installPlugin(new SqlObjectPlugin())
        .installPlugin(new PostgresPlugin())
        .installPlugin(new Jackson2Plugin());
    jdbi.getConfig(JsonObjectColumn.ResolvedMapper.class); // in the Jdbi's own configuration: shared by every copy
    return jdbi;
  }

  public static Jdbi open(DataSource dataSource) {
    return configure(Jdbi.create(dataSource));
  }
}
