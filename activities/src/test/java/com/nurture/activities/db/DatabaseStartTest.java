package com.nurture.activities.db;

import static org.assertj.core.api.Assertions.assertThat;

import com.nurture.activities.FreePort;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/** A role started before its PostgreSQL waits for it (Flyway's connect retries) instead of exiting. */
class DatabaseStartTest {

  @Test
  void migrationWaitsForAPostgresqlThatStartsLater() throws Exception {
    int port = FreePort.take(); // nothing else may take it in the seconds before PostgreSQL starts on it
    Path data = Files.createTempDirectory("nurture-late-pg");
    PGSimpleDataSource dataSource = new PGSimpleDataSource();
    dataSource.setURL("jdbc:postgresql://localhost:" + port + "/postgres");
    dataSource.setUser("postgres");
    dataSource.setConnectTimeout(2);

    AtomicReference<EmbeddedDatabase> late = new AtomicReference<>();
    CompletableFuture<Integer> migrated = CompletableFuture.supplyAsync(() -> Database.migrate(dataSource));
    try {
      Thread.sleep(3_000);
      assertThat(migrated).as("nothing to connect to yet").isNotDone();
      late.set(EmbeddedDatabase.persistent(data, port));

      assertThat(migrated.get(90, TimeUnit.SECONDS)).as("migrations applied once it was up").isPositive();
    } finally {
      if (late.get() != null) {
        late.get().close();
      }
      try (var files = Files.walk(data)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
