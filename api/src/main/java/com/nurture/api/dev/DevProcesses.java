package com.nurture.api.dev;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * dev's child processes (embedded PostgreSQL, the Temporal dev server) must not outlive dev. An
 * orderly stop ends them; a {@code kill -9} of the JVM cannot, so a watchdog (a tiny shell in its own
 * session) waits for the JVM to go and then stops them; and should the watchdog be gone too, the next
 * start finds them in {@value #FILE} and stops them before starting its own. A process is only
 * signalled while its command line still names this data directory (pids are reused).
 */
public final class DevProcesses implements AutoCloseable {
  /** In the data directory: one child per line, {@code pid} then the marker its command line holds. */
  public static final String FILE = "dev-processes";
  private static final Logger log = LoggerFactory.getLogger(DevProcesses.class);

  /** A child to stop: its pid and a text its command line contains (the data directory). */
  public record Child(long pid, String marker) {}

  private final Path file;
  private final Process watchdog;

  private DevProcesses(Path file, Process watchdog) {
    this.file = file;
    this.watchdog = watchdog;
  }

  /** The watchdog's script; arguments: the JVM's pid, then pairs of child pid and marker. */
  static final String WATCHDOG = String.join("\n",
      "jvm=$1; shift",
      "while kill -0 \"$jvm\" 2>/dev/null; do sleep 1; done",
      "while [ $# -ge 2 ]; do",
      "  if tr '\\0' ' ' < \"/proc/$1/cmdline\" 2>/dev/null | grep -qF -- \"$2\"; then kill -TERM \"$1\"; fi",
      "  shift 2",
      "done");

  static List<String> watchdogCommand(long jvmPid, List<Child> children) {
    List<String> cmd = new ArrayList<>(List.of("/bin/sh", "-c", WATCHDOG, "nurture-dev-watchdog", String.valueOf(jvmPid)));
    for (Child c : children) {
      cmd.add(String.valueOf(c.pid()));
      cmd.add(c.marker());
    }
    return cmd;
  }

  static String format(List<Child> children) {
    StringBuilder b = new StringBuilder();
    children.forEach(c -> b.append(c.pid()).append('\t').append(c.marker()).append('\n'));
    return b.toString();
  }

  static List<Child> parse(String text) {
    List<Child> out = new ArrayList<>();
    for (String line : text.split("\n")) {
      int tab = line.indexOf('\t');
      if (tab <= 0) {
        continue;
      }
      try {
        out.add(new Child(Long.parseLong(line.substring(0, tab).trim()), line.substring(tab + 1)));
      } catch (NumberFormatException e) {
        // a torn line from a killed writer: nothing to stop there
      }
    }
    return out;
  }

  /** Records the children and starts the watchdog that stops them if this JVM dies without stopping them. */
  public static DevProcesses watch(Path dataDir, List<Child> children) throws IOException {
    Path file = dataDir.resolve(FILE);
    Files.writeString(file, format(children), StandardCharsets.UTF_8);
    List<String> cmd = new ArrayList<>();
    setsid().ifPresent(p -> cmd.add(p.toString()));
    cmd.addAll(watchdogCommand(ProcessHandle.current().pid(), children));
    Process watchdog = new ProcessBuilder(cmd)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(ProcessBuilder.Redirect.DISCARD)
        .start();
    return new DevProcesses(file, watchdog);
  }

  /**
   * Before dev starts its own: stops what a dev on this data directory left running (killed with its
   * watchdog), found in {@value #FILE} and in PostgreSQL's {@code postmaster.pid}.
   */
  public static int stopLeftovers(Path dataDir) throws IOException {
    String marker = dataDir.toAbsolutePath().toString();
    List<Child> candidates = new ArrayList<>();
    Path file = dataDir.resolve(FILE);
    if (Files.exists(file)) {
      candidates.addAll(parse(Files.readString(file, StandardCharsets.UTF_8)));
    }
    Path postmaster = dataDir.resolve("postgres").resolve("postmaster.pid");
    postmasterPid(postmaster).ifPresent(pid -> candidates.add(new Child(pid, marker)));
    int stopped = 0;
    for (Child c : candidates) {
      Optional<ProcessHandle> p = ProcessHandle.of(c.pid());
      if (p.isPresent() && p.get().isAlive() && commandLine(c.pid()).contains(c.marker())) {
        log.warn("dev: stopping pid {} left running by an earlier dev on this data directory", c.pid());
        stop(p.get());
        stopped++;
      }
    }
    Files.deleteIfExists(file);
    return stopped;
  }

  /** PostgreSQL's pid from its lock file, once it runs. */
  public static Optional<Long> postmasterPid(Path postmasterPidFile) throws IOException {
    if (!Files.exists(postmasterPidFile)) {
      return Optional.empty();
    }
    List<String> lines = Files.readAllLines(postmasterPidFile, StandardCharsets.UTF_8);
    try {
      return lines.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(lines.get(0).trim()));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static void stop(ProcessHandle p) {
    p.destroy();
    try {
      p.onExit().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      p.destroyForcibly();
    }
  }

  private static String commandLine(long pid) {
    try {
      return new String(Files.readAllBytes(Path.of("/proc", String.valueOf(pid), "cmdline")), StandardCharsets.UTF_8)
          .replace('\0', ' ');
    } catch (IOException e) {
      return "";
    }
  }

  /** {@code setsid}, to start a child in its own session (a terminal's Ctrl-C then reaches only the JVM). */
  static Optional<Path> setsid() {
    return Stream.of("/usr/bin/setsid", "/bin/setsid").map(Path::of).filter(Files::isExecutable).findFirst();
  }

  /** An orderly stop: the children are stopped by their owners; the watchdog and the record go. */
  @Override
  public void close() {
    watchdog.destroy();
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      log.debug("could not delete {}", file, e);
    }
  }
}
