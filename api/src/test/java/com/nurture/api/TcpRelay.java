package com.nurture.api;

import com.nurture.activities.FreePort;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP relay on a fixed local port in front of a server, that can go down (the port closed: a
 * connect is refused, open connections are cut) and come back on the same port: to the client, the
 * server went away and returned, with its state intact. It can also be slow: every chunk it passes
 * on, either way, waits a while first (a server that answers, late).
 */
final class TcpRelay implements AutoCloseable {
  private final int target;
  private final int port;
  private final List<Socket> open = new CopyOnWriteArrayList<>();
  private volatile ServerSocket server;
  private volatile long delayMillis;

  TcpRelay(int target) {
    this.target = target;
    // Below the ephemeral range: while the relay is down, no outgoing connection can be given its port.
    this.port = FreePort.take();
    up();
  }

  int port() {
    return port;
  }

  synchronized void up() {
    try {
      ServerSocket s = new ServerSocket();
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      server = s;
      daemon("relay-accept", () -> acceptLoop(s));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Each chunk passed on from now on waits {@code delay} first (zero: at once again). */
  void slow(java.time.Duration delay) {
    delayMillis = delay.toMillis();
  }

  synchronized void down() {
    try {
      server.close();
    } catch (IOException e) {
      // closing anyway
    }
    for (Socket s : open) {
      try {
        s.close();
      } catch (IOException e) {
        // closing anyway
      }
    }
    open.clear();
  }

  private void acceptLoop(ServerSocket s) {
    while (!s.isClosed()) {
      try {
        Socket client = s.accept();
        Socket upstream = new Socket(InetAddress.getLoopbackAddress(), target);
        // Registered under down()'s lock: a connection accepted just before down() closed the port,
        // and not yet in the list down() cut, is cut here instead of relaying behind its back.
        synchronized (this) {
          if (s.isClosed()) {
            client.close();
            upstream.close();
            return;
          }
          open.add(client);
          open.add(upstream);
        }
        daemon("relay-up", () -> pump(client, upstream));
        daemon("relay-down", () -> pump(upstream, client));
      } catch (IOException e) {
        return;
      }
    }
  }

  private void pump(Socket from, Socket to) {
    try {
      InputStream in = from.getInputStream();
      OutputStream out = to.getOutputStream();
      byte[] buffer = new byte[16 * 1024];
      int n;
      while ((n = in.read(buffer)) >= 0) {
        if (delayMillis > 0) {
          Thread.sleep(delayMillis);
        }
        out.write(buffer, 0, n);
        out.flush();
      }
    } catch (IOException e) {
      // either side closed
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      try {
        from.close();
        to.close();
      } catch (IOException e) {
        // closing anyway
      }
    }
  }

  private static void daemon(String name, Runnable r) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    t.start();
  }

  @Override
  public void close() {
    down();
  }
}
