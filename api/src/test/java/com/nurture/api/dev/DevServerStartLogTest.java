package com.nurture.api.dev;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DevServerStartLogTest {
  /**
   * A start that lost an internal service's port, as the CLI writes it: the listener's failure logged
   * at ERROR, then the Go panic on the nil listener, whose trace fills the end of the log.
   */
  private static final String LOST_INTERNAL_PORT = """
      time=2026-12-07T18:50:47.512Z level=WARN msg="Not using TLS" service=frontend
      time=2026-12-07T18:50:47.611Z level=ERROR msg="Failed to start gRPC listener" service=history error="listen tcp 127.0.0.1:37715: bind: address already in use" logging-call-at=rpc.go:132
      panic: runtime error: invalid memory address or nil pointer dereference
      [signal SIGSEGV: segmentation violation code=0x1 addr=0x18 pc=0x1a2b3c]

      goroutine 1 [running]:
      go.temporal.io/server/common/rpc.(*RPCFactory).GetGRPCListener(...)
      \t/home/runner/go/pkg/mod/go.temporal.io/server@v1.32.0/common/rpc/rpc.go:140
      github.com/temporalio/cli/internal/devserver.(*StartOptions).buildServer(0x138acb1cb40?)
      \t/home/runner/work/cli/cli/internal/devserver/server.go:189 +0x52
      main.main()
      \t/home/runner/work/cli/cli/cmd/temporal/main.go:18 +0x8e
      """;

  @Test
  void findsThePortTheServerCouldNotBind() {
    assertThat(DevServerStartLog.portsTaken(LOST_INTERNAL_PORT)).containsExactly(37715);
    assertThat(DevServerStartLog.portsTaken("time=... level=ERROR msg=\"listen tcp 127.0.0.1:7233: bind: "
        + "address already in use\"\ntime=... level=ERROR msg=\"listen tcp 127.0.0.1:8233: bind: address already in use\""))
        .containsExactly(7233, 8233);
  }

  @Test
  void aStartThatFailedOtherwiseLostNoPort() {
    assertThat(DevServerStartLog.portsTaken("""
        time=2026-12-07T18:50:47.611Z level=ERROR msg="failed creating namespaces" error="database is locked"
        """)).isEmpty();
    assertThat(DevServerStartLog.portsTaken("")).isEmpty();
  }

  @Test
  void itsErrorsAreTheCauseNotThePanicsTrace() {
    assertThat(DevServerStartLog.errors(LOST_INTERNAL_PORT, 5)).containsExactly(
        "time=2026-12-07T18:50:47.611Z level=ERROR msg=\"Failed to start gRPC listener\" service=history "
            + "error=\"listen tcp 127.0.0.1:37715: bind: address already in use\" logging-call-at=rpc.go:132",
        "panic: runtime error: invalid memory address or nil pointer dereference");
    assertThat(DevServerStartLog.errors(LOST_INTERNAL_PORT, 1)).hasSize(1);
  }

  @Test
  void readsOnlyWhatThisStartAppended(@TempDir Path dir) throws Exception {
    Path log = dir.resolve("temporal.log");
    String before = "time=... level=ERROR msg=\"listen tcp 127.0.0.1:40001: bind: address already in use\"\n";
    Files.writeString(log, before, StandardCharsets.UTF_8);
    long offset = Files.size(log);
    Files.writeString(log, LOST_INTERNAL_PORT, StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);

    String attempt = DevServerStartLog.since(log, offset);
    assertThat(DevServerStartLog.portsTaken(attempt)).containsExactly(37715);
    assertThat(DevServerStartLog.since(log, 0)).startsWith(before);
    assertThat(DevServerStartLog.since(dir.resolve("missing.log"), 0)).isEmpty();
    assertThat(DevServerStartLog.since(log, Files.size(log) + 100)).isEmpty();
  }
}
