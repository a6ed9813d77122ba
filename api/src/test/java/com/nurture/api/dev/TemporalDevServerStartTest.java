package com.nurture.api.dev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.nurture.activities.FreePort;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How a start of the dev server that exits at once is taken, with a stand-in for the {@code temporal}
 * CLI: a script that logs what the CLI logs when a port is taken before it binds it, and exits as the
 * CLI does. A port of the server's own is lost by chance, so the start is tried again (three times in
 * all); the caller's {@code --port}, or any other failure, is not.
 */
class TemporalDevServerStartTest {
  @TempDir Path dir;
  private final int port = FreePort.take();

  /** A stand-in CLI that counts its runs and logs {@code body} (with $PORT, its --port) before exiting with 2. */
  private Path cli(String body) throws IOException {
    Path script = dir.resolve("temporal");
    Files.writeString(script, """
        #!/bin/sh
        echo run >> "%s"
        PORT=0
        while [ $# -gt 0 ]; do [ "$1" = --port ] && PORT=$2; shift; done
        %s
        exit 2
        """.formatted(dir.resolve("runs"), body), StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
    return script;
  }

  private long runs() throws IOException {
    return Files.readAllLines(dir.resolve("runs")).size();
  }

  private IOException startFails(Path cli) {
    Throwable thrown = catchThrowable(() ->
        TemporalDevServer.start(cli, Optional.empty(), port, 0, dir.resolve("temporal.log"), Map.of()));
    assertThat(thrown).isInstanceOf(IOException.class);
    return (IOException) thrown;
  }

  @Test
  void aStartThatLostOneOfTheServersOwnPortsIsTriedAgainAndItsCauseIsTold() throws Exception {
    IOException e = startFails(cli("""
        echo 'time=x level=ERROR msg="Failed to start gRPC listener" error="listen tcp 127.0.0.1:37715: bind: address already in use"'
        echo 'panic: runtime error: invalid memory address or nil pointer dereference'
        echo 'goroutine 1 [running]:'
        for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22; do echo "github.com/temporalio/cli/frame$i()"; done
        """));
    assertThat(runs()).as("three starts").isEqualTo(3);
    assertThat(e.getMessage()).contains("exited with 2", "its errors:",
        "listen tcp 127.0.0.1:37715: bind: address already in use", "panic: runtime error");
  }

  @Test
  void aStartThatLostTheCallersPortIsNotTriedAgain() throws Exception {
    IOException e = startFails(cli("""
        echo "time=x level=ERROR msg=\\"Failed to start gRPC listener\\" error=\\"listen tcp 127.0.0.1:$PORT: bind: address already in use\\""
        """));
    assertThat(runs()).isEqualTo(1);
    assertThat(e.getMessage()).contains("127.0.0.1:" + port + ": bind: address already in use");
  }

  @Test
  void anyOtherFailureIsNotTriedAgain() throws Exception {
    IOException e = startFails(cli("""
        echo 'time=x level=ERROR msg="failed creating namespaces" error="database is locked"'
        """));
    assertThat(runs()).isEqualTo(1);
    assertThat(e.getMessage()).contains("its errors:", "database is locked");
  }
}
