package com.nurture.api.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * The workflow tasks `dev`'s worker has run, from the SDK's counter on the admin port's /prometheus
 * ({@code temporal_workflow_task_execution_latency_seconds_count}, summed over its labels; the page asked
 * for that metric alone, {@code name[]}, so a poll costs the JVM little): how a bench knows the journeys
 * have taken what it sent: idle once the counter has not moved for {@link #QUIET} (bench/batch-intake.sh's
 * {@code settled}, which only readies a round and times nothing, keeps 2 s). Without {@code NURTURE_ADMIN_PORT} it knows nothing and
 * waits for nothing.
 */
final class WorkerTasks {
  private static final String METRIC = "temporal_workflow_task_execution_latency_seconds";
  private static final String COUNTER = METRIC + "_count";
  /**
   * How long the counter must stand still: longer than the stalls seen mid-phase (the worker, Temporal
   * and its PostgreSQL all near idle for 1-2 s while hundreds of signals still waited for their
   * workflow tasks), and than the sticky queue's schedule-to-start timeout (5 s), after which a task a
   * worker did not take is moved to the ordinary queue. With 2 s, two runs took such a stall for the
   * end of the raw signals' phase (0.49x and 0.51x until taken). The rate is reckoned to the counter's
   * last move, so a longer window costs waiting, not accuracy.
   */
  private static final Duration QUIET = Duration.ofSeconds(10);
  private static final Duration LIMIT = Duration.ofMinutes(3);

  private final HttpClient http;
  /** The admin port's /prometheus; empty without {@code NURTURE_ADMIN_PORT}. */
  private final Optional<String> endpoint;

  private WorkerTasks(HttpClient http, Optional<String> endpoint) {
    this.http = http;
    this.endpoint = endpoint;
  }

  static WorkerTasks fromEnvironment(HttpClient http) {
    return new WorkerTasks(http, Optional.ofNullable(System.getenv("NURTURE_ADMIN_PORT"))
        .map(port -> "http://127.0.0.1:" + port + "/prometheus"));
  }

  boolean known() {
    return endpoint.isPresent();
  }

  /** Waits until the worker is idle; @return System.nanoTime() of the counter's last move (now if unknown). */
  long awaitIdle() throws Exception {
    if (endpoint.isEmpty()) {
      return System.nanoTime();
    }
    long begin = System.nanoTime();
    double last = count();
    long lastMove = System.nanoTime();
    while (System.nanoTime() - lastMove < QUIET.toNanos()) {
      if (System.nanoTime() - begin > LIMIT.toNanos()) {
        System.out.println("  (the worker still ran workflow tasks after " + LIMIT.toSeconds() + " s)");
        break;
      }
      Thread.sleep(500);
      double now = count();
      if (now != last) {
        last = now;
        lastMove = System.nanoTime();
      }
    }
    return lastMove;
  }

  /** {@code items} a second from {@code start} until the worker's last task before it went idle. */
  double takenRate(int items, long start) throws Exception {
    return items / ((awaitIdle() - start) / 1e9);
  }

  /**
   * The worker's workflow cache counters so far (the SDK's {@code temporal_sticky_cache_hit_total} and
   * {@code _miss_total}): a workflow task that found its journey cached, or had to fetch its history and
   * replay it. Empty without {@code NURTURE_ADMIN_PORT}.
   */
  Optional<CacheCounts> cache() throws Exception {
    if (endpoint.isEmpty()) {
      return Optional.empty();
    }
    URI uri = only("temporal_sticky_cache_hit", "temporal_sticky_cache_miss");
    String page = scrape(uri);
    // A counter the SDK has not incremented yet is not on the page: none so far.
    return Optional.of(new CacheCounts(sum(page, "temporal_sticky_cache_hit_total", uri, false),
        sum(page, "temporal_sticky_cache_miss_total", uri, false)));
  }

  /** Workflow tasks that found their journey in the worker's cache, and those that replayed it. */
  record CacheCounts(double hits, double misses) {
    CacheCounts since(CacheCounts before) {
      return new CacheCounts(hits - before.hits, misses - before.misses);
    }

    @Override
    public String toString() {
      return String.format("%.0f hits, %.0f misses", hits, misses);
    }
  }

  private double count() throws Exception {
    URI uri = only(METRIC);
    return sum(scrape(uri), COUNTER, uri, true);
  }

  /** The page asked for these metrics alone ({@code name[]}), so a poll costs the JVM little. */
  private URI only(String... names) {
    StringBuilder query = new StringBuilder();
    for (String name : names) {
      query.append(query.length() == 0 ? '?' : '&').append("name%5B%5D=").append(name);
    }
    return URI.create(endpoint.orElseThrow() + query);
  }

  private String scrape(URI uri) throws Exception {
    return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }

  /** The samples of {@code name} on the page, summed over their labels (none: 0, or an error when {@code required}). */
  private static double sum(String page, String name, URI uri, boolean required) {
    double sum = 0;
    boolean found = false;
    for (String line : page.split("\n")) {
      if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        found = true;
      }
    }
    if (!found && required) {
      throw new IllegalStateException("no " + name + " on " + uri + ": " + page.lines().limit(5).toList());
    }
    return sum;
  }
}
