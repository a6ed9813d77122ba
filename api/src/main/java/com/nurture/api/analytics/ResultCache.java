package com.nurture.api.analytics;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Statistics answers by query, fresh for {@link #TTL}: an aggregation over a million ledger rows
 * takes seconds, and a dashboard asks the same question again and again. The first request of a
 * query computes its answer. A later one gets the kept answer; once it is older than the TTL, that
 * request still gets it at once while one new computation runs in the background (stale while
 * revalidating). An answer says when it was computed ({@code computed_at}).
 */
public final class ResultCache {
  private static final Logger log = LoggerFactory.getLogger(ResultCache.class);
  public static final Duration TTL = Duration.ofSeconds(60);
  /** Answers not asked for this long are dropped when the cache is full. */
  private static final int MAX_ENTRIES = 500;

  private record Entry(Instant at, Instant used, Object value) {}

  private final Map<String, Entry> entries = new ConcurrentHashMap<>();
  private final Set<String> refreshing = ConcurrentHashMap.newKeySet();
  private final Clock clock;
  private final Executor background;

  public ResultCache(Clock clock) {
    this(clock, task -> {
      Thread t = new Thread(task, "stats-refresh");
      t.setDaemon(true);
      t.start();
    });
  }

  public ResultCache(Clock clock, Executor background) {
    this.clock = clock;
    this.background = background;
  }

  @SuppressWarnings("unchecked")
  public <T> T get(String key, Supplier<T> compute) {
    Instant now = clock.instant();
    Entry e = entries.get(key);
    if (e == null) {
      T value = compute.get();
      put(key, new Entry(now, now, value));
      return value;
    }
    entries.put(key, new Entry(e.at(), now, e.value()));
    if (!now.isBefore(e.at().plus(TTL)) && refreshing.add(key)) {
      background.execute(() -> {
        try {
          Instant started = clock.instant();
          put(key, new Entry(started, started, compute.get()));
        } catch (RuntimeException ex) {
          log.warn("refreshing statistics {} failed; the kept answer stays", key.replace('\u001f', ' '), ex);
        } finally {
          refreshing.remove(key);
        }
      });
    }
    return (T) e.value();
  }

  private void put(String key, Entry entry) {
    if (entries.size() >= MAX_ENTRIES && !entries.containsKey(key)) {
      Instant cutoff = entry.at().minus(TTL.multipliedBy(10));
      entries.entrySet().removeIf(x -> x.getValue().used().isBefore(cutoff));
      if (entries.size() >= MAX_ENTRIES) {
        entries.clear();
      }
    }
    entries.put(key, entry);
  }
}
