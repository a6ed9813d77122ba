package com.nurture.api.analytics;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Statistics answers kept for {@link #TTL}, by query: an aggregation over a million ledger rows
 * takes seconds, and a dashboard asks the same question again and again. An answer says when it
 * was computed ({@code computed_at}); a new query (another period, program or filter) is computed
 * afresh. Concurrent askers of one missing answer may compute it twice; the last one is kept.
 */
public final class ResultCache {
  public static final Duration TTL = Duration.ofSeconds(60);
  private static final int MAX_ENTRIES = 500;

  private record Entry(Instant at, Object value) {}

  private final Map<String, Entry> entries = new ConcurrentHashMap<>();
  private final Clock clock;

  public ResultCache(Clock clock) {
    this.clock = clock;
  }

  @SuppressWarnings("unchecked")
  public <T> T get(String key, Supplier<T> compute) {
    Instant now = clock.instant();
    Entry e = entries.get(key);
    if (e != null && now.isBefore(e.at().plus(TTL))) {
      return (T) e.value();
    }
    T value = compute.get();
    if (entries.size() >= MAX_ENTRIES) {
      entries.entrySet().removeIf(x -> !now.isBefore(x.getValue().at().plus(TTL)));
      if (entries.size() >= MAX_ENTRIES) {
        entries.clear();
      }
    }
    entries.put(key, new Entry(now, value));
    return value;
  }
}
