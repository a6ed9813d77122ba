package com.nurture.api.dev;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** dev's children are recorded, and stopped by a watchdog or by the next start: never left behind. */
class DevProcessesTest {
  @Test
  void theRecordRoundTripsAndATornLineIsSkipped() {
    List<DevProcesses.Child> children = List.of(new DevProcesses.Child(41, "/data/a b"), new DevProcesses.Child(42, "/data/a b"));
    assertThat(DevProcesses.parse(DevProcesses.format(children))).isEqualTo(children);
    assertThat(DevProcesses.parse("41\t/data\n4")).containsExactly(new DevProcesses.Child(41, "/data"));
  }

  @Test
  void theWatchdogStopsTheChildrenWhenItsOwnerDiesButNotAProcessThatNoLongerNamesTheDataDirectory(@TempDir Path data)
      throws Exception {
    // Stand-ins: an "owner" (the JVM's place) and two children, one naming the data directory and one not.
    Process owner = new ProcessBuilder("sleep", "120").start();
    Process child = new ProcessBuilder("/bin/sh", "-c", "sleep 120; : " + data).start();
    Process stranger = new ProcessBuilder("sleep", "121").start();
    List<DevProcesses.Child> children = List.of(
        new DevProcesses.Child(child.pid(), data.toString()), new DevProcesses.Child(stranger.pid(), data.toString()));
    Process watchdog = new ProcessBuilder(DevProcesses.watchdogCommand(owner.pid(), children)).start();
    try {
      assertThat(child.waitFor(2, TimeUnit.SECONDS)).as("alive while the owner lives").isFalse();
      owner.destroyForcibly();
      assertThat(child.waitFor(20, TimeUnit.SECONDS)).as("stopped once the owner is gone").isTrue();
      assertThat(watchdog.waitFor(20, TimeUnit.SECONDS)).isTrue();
      assertThat(stranger.isAlive()).as("a pid whose command line does not name the data directory is spared").isTrue();
    } finally {
      for (Process p : List.of(owner, child, stranger, watchdog)) {
        p.destroyForcibly();
      }
    }
  }

  @Test
  void theNextStartStopsWhatAKilledDevAndItsWatchdogLeftRunning(@TempDir Path data) throws Exception {
    Process leftover = new ProcessBuilder("/bin/sh", "-c", "sleep 120; : " + data.toAbsolutePath()).start();
    Process unrelated = new ProcessBuilder("sleep", "122").start();
    try {
      Files.writeString(data.resolve(DevProcesses.FILE), DevProcesses.format(List.of(
          new DevProcesses.Child(leftover.pid(), data.toAbsolutePath().toString()),
          new DevProcesses.Child(unrelated.pid(), data.toAbsolutePath().toString()))));

      assertThat(DevProcesses.stopLeftovers(data)).isEqualTo(1);
      assertThat(leftover.waitFor(20, TimeUnit.SECONDS)).isTrue();
      assertThat(unrelated.isAlive()).isTrue();
      assertThat(data.resolve(DevProcesses.FILE)).doesNotExist();
      assertThat(DevProcesses.stopLeftovers(data)).isZero();
    } finally {
      leftover.destroyForcibly();
      unrelated.destroyForcibly();
    }
  }

  @Test
  void postgresPidComesFromTheFirstLineOfItsLockFile(@TempDir Path data) throws Exception {
    Path lock = data.resolve("postmaster.pid");
    assertThat(DevProcesses.postmasterPid(lock)).isEmpty();
    Files.writeString(lock, "31748\n/tmp/data/postgres\n1764646464\n45763\n");
    assertThat(DevProcesses.postmasterPid(lock)).contains(31748L);
  }
}
