package com.nurture.activities.db;

import static org.assertj.core.api.Assertions.assertThat;

import com.nurture.activities.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * The rollup's journal (V34) and its fold: a round that finds another fold under way returns at once
 * and leaves the journal to the next; sends written while folds run are each counted once; the rebuild
 * clears the journal it recounts; a folder that stops folds what is left.
 */
class StepCountFolderTest {
  private final Jdbi jdbi = TestDatabase.jdbi();
  private final String program = "fold-" + UUID.randomUUID().toString().substring(0, 8);

  @Test
  void aRoundWhileAnotherFoldsReturnsAtOnceAndTheNextFoldsTheJournal() throws Exception {
    try (Handle other = jdbi.open()) {
      other.begin();
      other.createQuery("SELECT step_counts_fold(true)").mapTo(Long.class).one(); // holds the fold's lock
      send("a");
      CompletableFuture<Long> round = CompletableFuture.supplyAsync(() -> StepCountFolder.foldOnce(jdbi));
      assertThat(round.get(5, TimeUnit.SECONDS)).as("rows folded while another session folds").isZero();
      assertThat(journalled()).isEqualTo(2);
      other.commit();
      assertThat(StepCountFolder.foldOnce(jdbi)).isGreaterThanOrEqualTo(2);
      assertThat(journalled()).isZero();
    }
    assertThat(steps()).isEqualTo(recount());
  }

  @Test
  void sendsWrittenWhileFoldsRunAreEachCountedOnce() throws Exception {
    AtomicBoolean sending = new AtomicBoolean(true);
    AtomicLong folded = new AtomicLong();
    ExecutorService threads = Executors.newFixedThreadPool(5); // a folding loop and four senders
    StepCountFolder folder = StepCountFolder.start(jdbi);
    try {
      CompletableFuture<Void> folds = CompletableFuture.runAsync(() -> {
        while (sending.get()) {
          folded.addAndGet(StepCountFolder.foldOnce(jdbi));
        }
      }, threads);
      List<CompletableFuture<Void>> senders = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int thread = t;
        senders.add(CompletableFuture.runAsync(() -> {
          for (int i = 0; i < 40; i++) {
            send(thread + "-" + i);
          }
        }, threads));
      }
      CompletableFuture.allOf(senders.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
      sending.set(false);
      folds.get(30, TimeUnit.SECONDS);
    } finally {
      sending.set(false);
      threads.shutdownNow();
      folder.close(); // folds what the last rounds left
    }
    assertThat(folded.get()).as("rows folded while the sends ran").isPositive();
    assertThat(journalled()).isZero();

    List<StepStatsRow> steps = steps();
    assertThat(steps).isEqualTo(recount());
    assertThat(steps).singleElement().satisfies(s -> {
      assertThat(s.entered()).isEqualTo(160);
      assertThat(s.sent()).isEqualTo(160);
      assertThat(s.unknown()).isZero();
    });
    long entrants = jdbi.withHandle(h -> h.createQuery(
            "SELECT count(*) FROM program_entrants WHERE program_id = ? AND program_version = 0 AND sent")
        .bind(0, program).mapTo(Long.class).one());
    assertThat(entrants).isEqualTo(160);
  }

  @Test
  void theRebuildClearsTheJournalItRecounts() {
    send("a");
    send("b");
    assertThat(journalled()).isEqualTo(4);
    jdbi.useTransaction(h -> h.createQuery("SELECT count(*) FROM (SELECT step_counts_rebuild()) r").mapTo(Long.class).one());
    assertThat(journalled()).isZero();
    List<StepStatsRow> steps = steps();
    assertThat(steps).isEqualTo(recount());
    assertThat(steps).singleElement().satisfies(s -> assertThat(s.sent()).as("counted once, not twice").isEqualTo(2));
  }

  /** A send's ledger row as the activity writes it, each write committed: two journal rows. */
  private void send(String name) {
    jdbi.useHandle(h -> EntrantCountsConcurrencyTest.claimAndSend(h, program, name));
  }

  private long journalled() {
    return jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM step_count_journal WHERE program_id = ?")
        .bind(0, program).mapTo(Long.class).one());
  }

  /** Whole UTC days around now: read from the counter rows. */
  private StatsDao.Scope scope() {
    Instant today = Instant.now().truncatedTo(ChronoUnit.DAYS);
    return new StatsDao.Scope(Optional.of(program), Optional.empty(), today.minus(Duration.ofDays(1)),
        today.plus(Duration.ofDays(2)), Optional.empty());
  }

  /** The steps as a reader sees them: the journal folded first. */
  private List<StepStatsRow> steps() {
    StatsDao stats = jdbi.onDemand(StatsDao.class);
    stats.foldJournal();
    return stats.steps(scope());
  }

  private List<StepStatsRow> recount() {
    return jdbi.onDemand(StatsDao.class).recountSteps(scope());
  }
}
