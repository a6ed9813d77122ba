package com.nurture.activities;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A free TCP port for a server a test starts (tests never take fixed ones), chosen below the
 * kernel's ephemeral range. A port probed with {@code bind(0)} comes from that range, so between the
 * probe and the server's own bind any outgoing connection on the machine (a JDBC or gRPC client, a
 * browser) or any other {@code bind(0)} may be given it: {@code DevKillE2E} lost its API port so,
 * to a {@code BindException} four seconds later. The kernel hands out no port below the range, so
 * only a server that names one can take it. {@code ops/free_port.py} is the same rule for the shell
 * and Python harnesses.
 */
public final class FreePort {
  private static final int LOWEST = 10_000;
  private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
  /** Ports this JVM has handed out, never handed out twice. */
  private static final Set<Integer> GIVEN = ConcurrentHashMap.newKeySet();

  private FreePort() {}

  public static int take() {
    int below = ephemeralStart();
    if (below - LOWEST >= 1_000) {
      for (int attempt = 0; attempt < 200; attempt++) {
        int port = ThreadLocalRandom.current().nextInt(LOWEST, below);
        if (GIVEN.add(port) && bindable(port)) {
          return port;
        }
      }
    }
    try (ServerSocket probe = new ServerSocket(0)) { // no room below the range, or none free: the kernel's choice
      GIVEN.add(probe.getLocalPort());
      return probe.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Nothing listens on {@code port} on any address. */
  private static boolean bindable(int port) {
    try (ServerSocket probe = new ServerSocket()) {
      probe.bind(new InetSocketAddress(port));
      return true;
    } catch (IOException taken) {
      return false;
    }
  }

  /** The first port of the kernel's ephemeral range (Linux); IANA's 49152 elsewhere. */
  private static int ephemeralStart() {
    try {
      return Integer.parseInt(Files.readString(EPHEMERAL_RANGE).trim().split("\\s+")[0]);
    } catch (IOException | RuntimeException unreadable) {
      return 49_152;
    }
  }
}
