package com.nurture.api.bench;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jdbi.v3.core.Jdbi;

/**
 * What the bench's database sessions wait on (BENCH_WAITS=1 in bench/smtp-stage.sh): every 5 ms, the
 * wait event of each other active session from {@code pg_stat_activity} ("CPU" when it waits on
 * none), counted until printed. A send that queues behind another's row lock shows as
 * {@code Lock/transactionid} or {@code Lock/tuple}; one waiting for its commit's flush as
 * {@code IO/WALSync} or {@code LWLock/WALWrite}.
 */
final class WaitSampler {
  private final Map<String, Integer> counts = new TreeMap<>();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final boolean on;

  private WaitSampler(boolean on, Jdbi jdbi) {
    this.on = on;
    if (!on) {
      return;
    }
    Thread thread = new Thread(() -> jdbi.useHandle(h -> {
      while (running.get()) {
        for (String wait : h.createQuery("SELECT coalesce(wait_event_type || '/' || wait_event, 'CPU') || CASE WHEN wait_event_type = 'Lock' "
            + "THEN ' in ' || left(regexp_replace(query, '\\s+', ' ', 'g'), 40) || ' (pid mod 16: ' || pid % 16 || ')' ELSE '' END "
            + "FROM pg_stat_activity "
            + "WHERE state = 'active' AND pid <> pg_backend_pid() AND backend_type = 'client backend'").mapTo(String.class).list()) {
          synchronized (counts) {
            counts.merge(wait, 1, Integer::sum);
          }
        }
        try {
          Thread.sleep(5);
        } catch (InterruptedException e) {
          return;
        }
      }
    }), "wait-sampler");
    thread.setDaemon(true);
    thread.start();
  }

  static WaitSampler startIf(boolean on, Jdbi jdbi) {
    return new WaitSampler(on, jdbi);
  }

  /** Forgets what was counted so far: the timed loop starts now (its set-up is not counted). */
  void restart() {
    synchronized (counts) {
      counts.clear();
    }
  }

  /** Prints the counts since the last print or restart, and starts counting again. */
  void print(String label) {
    if (!on) {
      return;
    }
    synchronized (counts) {
      int total = counts.values().stream().mapToInt(Integer::intValue).sum();
      System.out.printf("  database sessions' waits, %s (%d samples of active sessions):%n", label, total);
      counts.forEach((k, v) -> System.out.printf("    %-80s %6d  %5.1f%%%n", k, v, 100.0 * v / Math.max(1, total)));
      counts.clear();
    }
  }

  void stop() {
    running.set(false);
  }
}
