package com.nurture.api.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * A TCP proxy on loopback that holds every chunk it forwards for a fixed delay each way, in order: a
 * database on another host, for the bench (BENCH_DB_RTT_MS in bench/smtp-stage.sh). On one machine the
 * database's round trips cost next to nothing and its CPU is the bound; across a network each
 * statement and commit is a round trip, and a lock held over them is held that much longer.
 */
final class DelayProxy implements AutoCloseable {
  private record Chunk(long dueNanos, byte[] bytes) {}

  private final ServerSocket server;
  private final long delayNanos;

  DelayProxy(int upstreamPort, long oneWayMicros) throws IOException {
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.delayNanos = oneWayMicros * 1_000;
    Thread accept = new Thread(() -> {
      while (!server.isClosed()) {
        Socket client;
        try {
          client = server.accept();
        } catch (IOException closed) {
          return;
        }
        try {
          Socket upstream = new Socket(InetAddress.getLoopbackAddress(), upstreamPort);
          client.setTcpNoDelay(true);
          upstream.setTcpNoDelay(true);
          pipe(client.getInputStream(), upstream.getOutputStream());
          pipe(upstream.getInputStream(), client.getOutputStream());
        } catch (IOException e) {
          try {
            client.close(); // this connection fails; the next ones are still served
          } catch (IOException ignored) {
            // already gone
          }
        }
      }
    }, "delay-proxy-accept");
    accept.setDaemon(true);
    accept.start();
  }

  int port() {
    return server.getLocalPort();
  }

  private void pipe(InputStream in, OutputStream out) {
    LinkedBlockingQueue<Chunk> queue = new LinkedBlockingQueue<>();
    Thread reader = new Thread(() -> {
      byte[] buffer = new byte[65536];
      try {
        for (int n; (n = in.read(buffer)) > 0; ) {
          queue.put(new Chunk(System.nanoTime() + delayNanos, Arrays.copyOf(buffer, n)));
        }
      } catch (IOException | InterruptedException e) {
        // the connection ended
      }
      queue.add(new Chunk(0, new byte[0]));
    }, "delay-proxy-read");
    Thread writer = new Thread(() -> {
      try {
        while (true) {
          Chunk c = queue.take();
          if (c.bytes().length == 0) {
            out.close();
            return;
          }
          for (long wait; (wait = c.dueNanos() - System.nanoTime()) > 0; ) {
            LockSupport.parkNanos(wait);
          }
          out.write(c.bytes());
          out.flush();
        }
      } catch (IOException | InterruptedException e) {
        // the connection ended
      }
    }, "delay-proxy-write");
    reader.setDaemon(true);
    writer.setDaemon(true);
    reader.start();
    writer.start();
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
