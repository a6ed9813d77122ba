package com.nurture.api.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nurture.activities.FreePort;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dev} from the built jar: a clean start logs no warning; a {@code kill -9} of dev and of
 * Temporal's dev server leaves no PostgreSQL behind (the watchdog stops it) and loses no committed
 * history of a sleeping journey; and when the watchdog is killed too, the next start stops what was
 * left and starts cleanly.
 */
class DevKillE2E {
  private static final Path JAR = Path.of(System.getProperty("nurture.jar", "target/nurture.jar")).toAbsolutePath();
  private static final Duration START = Duration.ofSeconds(150);
  private static final ObjectMapper JSON = new ObjectMapper();

  private record Dev(Process process, Path log, int port) {}

  /** Every dev this class started, ended (with what names its data) even when an assertion fails. */
  private final java.util.List<Process> started = new java.util.ArrayList<>();
  private Path dataDir;

  @org.junit.jupiter.api.AfterEach
  void endWhatThisTestStarted() throws IOException {
    started.forEach(Process::destroyForcibly);
    if (dataDir != null) {
      processesNaming(dataDir).keySet().forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
    }
  }

  @Test
  void aKilledDevLeavesNothingBehindAndTheNextStartRecovers(@TempDir Path home) throws Exception {
    Path data = home.resolve("data").toAbsolutePath();
    dataDir = data;

    // 1. A clean first start: the banner, and not one warning in the log.
    Dev first = start(home, data, "first");
    assertThat(Files.readAllLines(first.log()))
        .as("a clean start logs no warning")
        .noneMatch(line -> line.contains("WARN") || line.contains("|-WARN"));
    assertThat(processesNaming(data)).as("PostgreSQL, Temporal and the watchdog run").hasSizeGreaterThanOrEqualTo(3);

    // A journey that has sent its welcome and sleeps: Temporal has committed its history.
    HttpClient http = HttpClient.newHttpClient();
    String before = "http://127.0.0.1:" + first.port();
    call(http, "PUT", before + "/v1/leads/kill-lead", "{\"email\":\"kill-lead@example.com\",\"first_name\":\"Kim\"}");
    call(http, "POST", before + "/v1/leads/kill-lead/journey", "{\"program\":\"onboarding\"}");
    JsonNode asleep = awaitHistoryWith(http, before, "EVENT_TYPE_TIMER_STARTED");
    assertThat(data.resolve("temporal.db-wal")).as("the dev server writes ahead (dev.temporal_sqlite_pragmas)").exists();

    // 2. kill -9 of Temporal's dev server and of dev at once (its SQLite file never closed), then of
    // nothing else: dev's watchdog stops PostgreSQL.
    processesNaming(data).entrySet().stream().filter(e -> e.getValue().contains("start-dev"))
        .forEach(e -> ProcessHandle.of(e.getKey()).ifPresent(ProcessHandle::destroyForcibly));
    first.process().destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    awaitNoneNaming(data, Duration.ofSeconds(60));

    Dev second = start(home, data, "second");
    // Every history event Temporal had committed before the kill is still there (its SQLite pragmas,
    // dev.temporal_sqlite_pragmas, keep commits through a kill of the process).
    JsonNode after = awaitHistoryWith(http, "http://127.0.0.1:" + second.port(), "EVENT_TYPE_TIMER_STARTED");
    assertThat(after.size()).as("events after the kill").isGreaterThanOrEqualTo(asleep.size());
    for (int i = 0; i < asleep.size(); i++) { // as JSON: a map's keys may come in another order
      assertThat(after.get(i)).as("history event %d after the kill", i + 1).isEqualTo(asleep.get(i));
    }

    // 3. kill -9 of dev and its watchdog at once: PostgreSQL and Temporal are left running...
    List<Long> watchdogs = processesNaming(data).entrySet().stream()
        .filter(e -> e.getValue().contains("nurture-dev-watchdog")).map(Map.Entry::getKey).toList();
    assertThat(watchdogs).hasSize(1);
    ProcessHandle.of(watchdogs.get(0)).ifPresent(ProcessHandle::destroyForcibly);
    second.process().destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    Thread.sleep(3_000);
    Map<Long, String> left = processesNaming(data);
    assertThat(left.values()).as("left behind when the watchdog died too")
        .anyMatch(cmd -> cmd.contains("postgres")).anyMatch(cmd -> cmd.contains("temporal"));

    // ...and the next start stops them and starts, with the journeys' data intact.
    Dev third = start(home, data, "third");
    for (long pid : left.keySet()) {
      assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("pid %d stopped", pid).isFalse();
    }
    assertThat(Files.readString(third.log())).contains("Nurture dev is running.");

    // The request log names no address, though these requests carry one in their path and query.
    String base = "http://127.0.0.1:" + third.port();
    HttpResponse<String> suppressed = call(http, "PUT", base + "/v1/suppressions/kill-e2e@example.com", "{\"reason\":\"operator\"}");
    assertThat(suppressed.statusCode()).as(suppressed.body()).isBetween(200, 204);
    http.send(HttpRequest.newBuilder(URI.create(base + "/console/leads?q=kill-e2e%40example.com")).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    awaitLogLine(third.log(), "PUT /v1/suppressions/[email]");
    awaitLogLine(third.log(), "/console/leads?q=[email]");
    assertThat(Files.readString(third.log())).doesNotContain("kill-e2e@").doesNotContain("kill-e2e%40");

    // 4. An orderly stop (SIGTERM, as Ctrl-C) ends everything too.
    third.process().destroy();
    assertThat(third.process().waitFor(90, TimeUnit.SECONDS)).isTrue();
    awaitNoneNaming(data, Duration.ofSeconds(30));
  }

  private Dev start(Path home, Path data, String name) throws Exception {
    Path log = home.resolve(name + ".log");
    String java = ProcessHandle.current().info().command().orElse("java");
    ProcessBuilder pb = new ProcessBuilder(java, "-jar", JAR.toString(), "dev")
        .directory(home.toFile())
        .redirectErrorStream(true)
        .redirectOutput(log.toFile());
    Map<String, String> env = pb.environment();
    env.put("NURTURE_HOME", data.toString());
    int port = FreePort.take();
    env.put("NURTURE_PORT", String.valueOf(port));
    env.put("NURTURE_ADMIN_PORT", String.valueOf(FreePort.take()));
    env.put("NURTURE_SMTP_PORT", String.valueOf(FreePort.take()));
    env.put("NURTURE_TEMPORAL_PORT", String.valueOf(FreePort.take()));
    env.put("NURTURE_TEMPORAL_UI_PORT", String.valueOf(FreePort.take()));
    env.put("NURTURE_API_KEY", "dev-kill-e2e-key");
    Process p = pb.start();
    started.add(p);
    long deadline = System.nanoTime() + START.toNanos();
    while (System.nanoTime() < deadline) {
      if (Files.readString(log, StandardCharsets.UTF_8).contains("Nurture dev is running.")) {
        return new Dev(p, log, port);
      }
      assertThat(p.isAlive()).as("dev (%s) exited early:%n%s", name, Files.readString(log)).isTrue();
      Thread.sleep(500);
    }
    p.destroyForcibly();
    throw new AssertionError("dev (" + name + ") did not start within " + START + ":\n" + Files.readString(log));
  }

  /** A call with the test's API key and a JSON body, answered 2xx. */
  private static HttpResponse<String> call(HttpClient http, String method, String url, String body) throws Exception {
    HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(url))
        .header("Authorization", "Bearer dev-kill-e2e-key").header("Content-Type", "application/json")
        .method(method, HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(answer.statusCode()).as("%s %s: %s", method, url, answer.body()).isBetween(200, 299);
    return answer;
  }

  /** The lead's journey history (its events) once it holds an event of {@code type}. */
  private static JsonNode awaitHistoryWith(HttpClient http, String base, String type) throws Exception {
    JsonNode events = JSON.createArrayNode();
    for (int i = 0; i < 120 && !events.toString().contains(type); i++) {
      HttpResponse<String> page = http.send(HttpRequest.newBuilder(
              URI.create(base + "/v1/leads/kill-lead/journey/history?limit=1000"))
          .header("Authorization", "Bearer dev-kill-e2e-key").GET().build(), HttpResponse.BodyHandlers.ofString());
      if (page.statusCode() == 200) {
        events = JSON.readTree(page.body()).path("events");
      }
      if (!events.toString().contains(type)) {
        Thread.sleep(500);
      }
    }
    assertThat(events.toString()).as("the journey's history").contains(type);
    return events;
  }

  private static void awaitLogLine(Path log, String text) throws Exception {
    for (int i = 0; i < 40 && !Files.readString(log).contains(text); i++) {
      Thread.sleep(250);
    }
    assertThat(Files.readString(log)).contains(text);
  }

  /** Every process whose command line names the data directory (PostgreSQL, Temporal, the watchdog). */
  private static Map<Long, String> processesNaming(Path data) throws IOException {
    Map<Long, String> found = new java.util.TreeMap<>();
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      for (Path proc : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
        try {
          String cmd = new String(Files.readAllBytes(proc.resolve("cmdline")), StandardCharsets.UTF_8).replace('\0', ' ');
          if (cmd.contains(data.toString())) {
            found.put(Long.parseLong(proc.getFileName().toString()), cmd);
          }
        } catch (IOException gone) {
          // exited while listed
        }
      }
    }
    return found;
  }

  private static void awaitNoneNaming(Path data, Duration within) throws Exception {
    long deadline = System.nanoTime() + within.toNanos();
    Map<Long, String> left = processesNaming(data);
    while (!left.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(500);
      left = processesNaming(data);
    }
    assertThat(left).as("processes left behind for %s", data).isEmpty();
  }
}
