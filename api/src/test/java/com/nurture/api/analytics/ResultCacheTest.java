package com.nurture.api.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ResultCacheTest {
  private Instant now = Instant.parse("2026-12-01T00:00:00Z");
  private final Clock clock = new Clock() {
    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  };

  @Test
  void keptForTheTtlThenServedStaleWhileOneRefreshRuns() {
    List<Runnable> queued = new ArrayList<>();
    ResultCache cache = new ResultCache(clock, queued::add);
    AtomicInteger computed = new AtomicInteger();
    assertThat(cache.get("q", computed::incrementAndGet)).as("the first request computes").isEqualTo(1);
    now = now.plus(Duration.ofSeconds(59));
    assertThat(cache.get("q", computed::incrementAndGet)).isEqualTo(1);
    assertThat(queued).isEmpty();
    now = now.plus(Duration.ofSeconds(1));
    assertThat(cache.get("q", computed::incrementAndGet)).as("stale, answered at once").isEqualTo(1);
    assertThat(cache.get("q", computed::incrementAndGet)).isEqualTo(1);
    assertThat(queued).as("one refresh, however many ask").hasSize(1);
    queued.get(0).run();
    assertThat(cache.get("q", computed::incrementAndGet)).as("the refreshed answer").isEqualTo(2);
    assertThat(cache.get("other", () -> 7)).as("another query is computed afresh").isEqualTo(7);
  }

  @Test
  void aFailedRefreshKeepsTheAnswerAndTriesAgainNextTime() {
    List<Runnable> queued = new ArrayList<>();
    ResultCache cache = new ResultCache(clock, queued::add);
    cache.get("q", () -> "first");
    now = now.plus(ResultCache.TTL);
    String stale = cache.get("q", () -> {
      throw new IllegalStateException("database down");
    });
    assertThat(stale).isEqualTo("first");
    queued.remove(0).run();
    assertThat(cache.get("q", () -> "second")).isEqualTo("first");
    queued.remove(0).run();
    assertThat(cache.get("q", () -> "third")).isEqualTo("second");
  }
}
