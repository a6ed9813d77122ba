package com.nurture.activities.db;

import static org.assertj.core.api.Assertions.assertThat;

import com.nurture.activities.TestDatabase;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * Two transactions that move a program's entrant counters in opposite orders (a lead's version row then
 * its all-versions row, and the reverse: what an enrolment and a send's outcome do) both commit: the
 * counters of a program are changed by one transaction at a time (V28), where V27 deadlocked them.
 */
class EntrantCountsConcurrencyTest {
  private final Jdbi jdbi = TestDatabase.jdbi();

  @Test
  void entrantsWrittenInOppositeOrdersByTwoTransactionsBothCommit() throws Exception {
    String program = "deadlock-" + UUID.randomUUID();
    Instant at = Instant.parse("2026-11-20T10:00:00Z");
    CompletableFuture<Void> second;
    try (Handle first = jdbi.open()) {
      first.begin();
      enter(first, program, 1, "lead-a", at);
      // The second transaction: the all-versions row first, then the version's.
      second = CompletableFuture.runAsync(() -> jdbi.useTransaction(h -> {
        enter(h, program, 0, "lead-b", at);
        enter(h, program, 1, "lead-b", at);
      }));
      Thread.sleep(1_500); // the second is now waiting (V28: for the program's lock; V27: for the version's row)
      enter(first, program, 0, "lead-a", at);
      first.commit();
    }
    second.get(30, TimeUnit.SECONDS);

    Map<Integer, Long> entrants = jdbi.withHandle(h -> h.createQuery(
            "SELECT program_version, entrants FROM entrant_counts_daily WHERE program_id = :p")
        .bind("p", program)
        .map((rs, ctx) -> Map.entry(rs.getInt(1), rs.getLong(2))).stream()
        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
    assertThat(entrants).containsExactlyInAnyOrderEntriesOf(Map.of(0, 2L, 1, 2L));
  }

  private static void enter(Handle h, String program, int version, String lead, Instant at) {
    h.createUpdate("INSERT INTO program_entrants (program_id, program_version, lead_id, enrolled_at) "
            + "VALUES (:p, :v, :l, :at)")
        .bind("p", program).bind("v", version).bind("l", lead + "-" + program).bind("at", at).execute();
  }
}
