package com.nurture.activities.db;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import javax.sql.DataSource;

/**
 * PostgreSQL embedded in the JVM (zonky): the {@code dev} default and the test database. The data
 * directory is kept when given, so a restart of {@code dev} keeps every lead.
 */
public final class EmbeddedDatabase implements AutoCloseable {
  private final EmbeddedPostgres postgres;

  private EmbeddedDatabase(EmbeddedPostgres postgres) {
    this.postgres = postgres;
  }

  /** A throw-away database in a fresh temporary directory, on a free port. */
  public static EmbeddedDatabase temporary() {
    try {
      return start(Files.createTempDirectory("nurture-pg"), 0, true);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A database kept in {@code dataDirectory} across restarts; port 0 picks a free one. */
  public static EmbeddedDatabase persistent(Path dataDirectory, int port) {
    return start(dataDirectory, port, false);
  }

  private static EmbeddedDatabase start(Path dataDirectory, int port, boolean throwAway) {
    try {
      Path dir = dataDirectory.toAbsolutePath();
      Files.createDirectories(dir);
      return new EmbeddedDatabase(EmbeddedPostgres.builder()
          .setDataDirectory(dir)
          .setCleanDataDirectory(throwAway)
          .setPort(port)
          .setPgBinaryResolver(RootSafePostgresBinaries.INSTANCE)
          .setPGStartupWait(Duration.ofSeconds(60))
          .start());
    } catch (IOException e) {
      throw new UncheckedIOException("embedded PostgreSQL did not start in " + dataDirectory, e);
    }
  }

  public DataSource dataSource() {
    return postgres.getPostgresDatabase();
  }

  public String jdbcUrl() {
    return postgres.getJdbcUrl("postgres", "postgres");
  }

  public int port() {
    return postgres.getPort();
  }

  @Override
  public void close() {
    try {
      postgres.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
