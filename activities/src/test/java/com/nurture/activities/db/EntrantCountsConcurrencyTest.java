package com.nurture.activities.db;

import static org.assertj.core.api.Assertions.assertThat;

import com.nurture.activities.TestDatabase;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * The rollup's counter rows under concurrent transactions. Two transactions of one shard that move a
 * program's entrant counters in opposite orders (a lead's version row then its all-versions row, and
 * the reverse: what an enrolment and a send's outcome do) both commit: the counters of a program and
 * shard are changed by one transaction at a time (V28), where V27 deadlocked them. Two sessions send
 * the same step without waiting for each other (V32: on different shards; since V34 a send only
 * journals its change), and the folded sums are the counts. A journey that ends while the rollup's
 * fold holds one of its lead's entrant rows waits for it, where V20's trigger took the other first
 * and deadlocked (V35).
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
      shard(first, 3);
      enter(first, program, 1, "lead-a", at);
      // The second transaction: the all-versions row first, then the version's.
      second = CompletableFuture.runAsync(() -> jdbi.useTransaction(h -> {
        shard(h, 3);
        enter(h, program, 0, "lead-b", at);
        enter(h, program, 1, "lead-b", at);
      }));
      Thread.sleep(1_500); // the second is now waiting (V28: for the program's lock; V27: for the version's row)
      enter(first, program, 0, "lead-a", at);
      first.commit();
    }
    second.get(30, TimeUnit.SECONDS);

    assertThat(entrants(program)).containsExactlyInAnyOrderEntriesOf(Map.of(0, 2L, 1, 2L));
  }

  @Test
  void aJourneyEndingWhileTheFoldTakesItsLeadWaitsInTheFoldsOrder() throws Exception {
    String program = "ending-" + UUID.randomUUID();
    String lead = "lead-c-" + program;
    Instant at = Instant.parse("2026-11-20T10:00:00Z");
    JourneyDao journeys = jdbi.onDemand(JourneyDao.class);
    jdbi.useExtension(LeadDao.class, l -> l.upsert(lead, lead + "@example.com", "", "opt_in", Map.of()));
    journeys.upsert(lead, "wf-" + lead, "run", program, 1, "ACTIVE", "news", null, at, 0, at); // rows 1 and 0
    CompletableFuture<Void> ending;
    try (Handle fold = jdbi.open()) {
      fold.begin();
      // step_counts_fold's order for a lead whose email was sent: the version's row, then 0's.
      markSent(fold, program, 1, lead);
      // Meanwhile the journey ends: the trigger moves the exit of both of the lead's rows.
      ending = CompletableFuture.runAsync(() -> journeys.upsert(lead, "wf-" + lead, "run", program, 1, "COMPLETED", "",
          null, at, 0, at.plusSeconds(60)));
      Thread.sleep(1_500); // it now waits: V35 for the version's row; V20's trigger held 0's (its key's order) first
      markSent(fold, program, 0, lead); // with V20's: "deadlock detected" here or in the journey's transaction
      fold.commit();
    }
    ending.get(30, TimeUnit.SECONDS);

    List<String> rows = jdbi.withHandle(h -> h.createQuery(
            "SELECT program_version, exit_status, sent FROM program_entrants WHERE lead_id = :l ORDER BY 1")
        .bind("l", lead).map((rs, ctx) -> rs.getInt(1) + " " + rs.getString(2) + " " + rs.getBoolean(3)).list());
    assertThat(rows).containsExactly("0 COMPLETED true", "1 COMPLETED true");
  }

  private static void markSent(Handle h, String program, int version, String lead) {
    h.createUpdate("UPDATE program_entrants SET sent = true WHERE program_id = :p AND program_version = :v AND lead_id = :l")
        .bind("p", program).bind("v", version).bind("l", lead).execute();
  }

  @Test
  void twoSessionsSendOneStepWithoutWaitingForEachOther() throws Exception {
    String program = "shards-" + UUID.randomUUID();
    try (Handle first = jdbi.open()) {
      first.begin();
      shard(first, 1);
      claimAndSend(first, program, "lead-a");
      // While the first is open, a session of another shard claims and sends the same step: with one
      // counter row per step (V20-V31) it waited here for the first's commit; since V34 neither moves a
      // counter row (each appends to the journal).
      CompletableFuture<Void> second = CompletableFuture.runAsync(() -> jdbi.useTransaction(h -> {
        shard(h, 2);
        claimAndSend(h, program, "lead-b");
      }));
      second.get(20, TimeUnit.SECONDS);
      first.commit();
    }

    jdbi.onDemand(StatsDao.class).foldJournal(); // V34: the sends journalled their changes; a read folds them
    Map<String, Object> step = jdbi.withHandle(h -> h.createQuery("""
            SELECT sum(entered)::bigint AS entered, sum(sent)::bigint AS sent,
                   sum(unknown)::bigint AS unknown
            FROM step_counts_daily WHERE program_id = :p AND step_id = 'welcome'""")
        .bind("p", program).mapToMap().one());
    assertThat(step).containsExactlyInAnyOrderEntriesOf(Map.of("entered", 2L, "sent", 2L, "unknown", 0L));
    assertThat(entrants(program)).containsExactlyInAnyOrderEntriesOf(Map.of(0, 2L, 1, 2L));
  }

  private Map<Integer, Long> entrants(String program) {
    return jdbi.withHandle(h -> h.createQuery(
            "SELECT program_version, sum(entrants)::bigint FROM entrant_counts_daily WHERE program_id = :p GROUP BY 1")
        .bind("p", program)
        .map((rs, ctx) -> Map.entry(rs.getInt(1), rs.getLong(2))).stream()
        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
  }

  private static void shard(Handle h, int shard) {
    h.execute("SELECT set_config('nurture.counter_shard', ?, true)", String.valueOf(shard));
  }

  /** A send's ledger row as the activity writes it: claimed, then sent (also StepCountFolderTest's). */
  static void claimAndSend(Handle h, String program, String lead) {
    String id = lead + "-" + program;
    h.attach(LeadDao.class).upsert(id, id + "@example.com", "", "opt_in", Map.of());
    String key = id + "/welcome";
    MessageDao messages = h.attach(MessageDao.class);
    messages.claim(key, id, id + "@example.com", program, 1, "welcome", "welcome", "", "s", "sending",
        "<" + UUID.randomUUID() + "@nurture.test>");
    messages.markSent(key, Instant.now());
  }

  private static void enter(Handle h, String program, int version, String lead, Instant at) {
    h.createUpdate("INSERT INTO program_entrants (program_id, program_version, lead_id, enrolled_at) "
            + "VALUES (:p, :v, :l, :at)")
        .bind("p", program).bind("v", version).bind("l", lead + "-" + program).bind("at", at).execute();
  }
}
