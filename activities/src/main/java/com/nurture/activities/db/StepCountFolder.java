package com.nurture.activities.db;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Folds the rollup's journal (V34, docs/analytics.md "Rollup") into its counters and entrants every
 * {@link #INTERVAL}, on a thread of its own: the ledger's writes then only append to the journal, and
 * a thousand sends of one step move their counter row once. Every process that writes the ledger runs
 * one; one folds at a time (a round that finds another folding returns at once). A reader folds first
 * ({@link StatsDao#foldJournal}), so its answer does not wait for a round. A failed round (the
 * database away) leaves the journal as it was, and the next round folds it.
 */
public final class StepCountFolder implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(StepCountFolder.class);
  public static final Duration INTERVAL = Duration.ofSeconds(1);

  private final Jdbi jdbi;
  private final ScheduledExecutorService timer;
  private boolean failing;

  private StepCountFolder(Jdbi jdbi, ScheduledExecutorService timer) {
    this.jdbi = jdbi;
    this.timer = timer;
  }

  /** Starts folding every {@link #INTERVAL}. */
  public static StepCountFolder start(Jdbi jdbi) {
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "step-count-folder");
      t.setDaemon(true);
      return t;
    });
    StepCountFolder folder = new StepCountFolder(jdbi, timer);
    timer.scheduleWithFixedDelay(folder::round, INTERVAL.toMillis(), INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    return folder;
  }

  /** One fold unless another session is folding; the journal rows folded (0 then). */
  public static long foldOnce(Jdbi jdbi) {
    return jdbi.withExtension(StatsDao.class, stats -> stats.foldJournal(false));
  }

  private void round() {
    try {
      foldOnce(jdbi);
      if (failing) {
        log.info("the rollup's journal is folded again");
        failing = false;
      }
    } catch (RuntimeException e) {
      if (!failing) {
        log.warn("could not fold the rollup's journal (tried again every {} s; readers fold it themselves): {}",
            INTERVAL.toSeconds(), e.toString());
        failing = true;
      }
    }
  }

  /** Stops the rounds, then folds what is left, so a process that stops leaves the journal empty. */
  @Override
  public void close() {
    timer.shutdown();
    try {
      if (!timer.awaitTermination(10, TimeUnit.SECONDS)) {
        log.warn("the rollup's journal folder did not stop within 10 s");
        return;
      }
      foldOnce(jdbi);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      log.warn("could not fold the rollup's journal on stopping (the next process or reader folds it): {}", e.toString());
    }
  }
}
