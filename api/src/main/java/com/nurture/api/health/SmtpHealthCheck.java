package com.nurture.api.health;

import com.codahale.metrics.health.HealthCheck;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Healthy when the SMTP server accepts a connection within the timeout and, unless the transport
 * is SMTPS (TLS first), greets with 220. Says which server is down, so {@code /healthcheck} tells
 * an SMTP outage from a database or Temporal one. Sends nothing; the connection is closed at once.
 */
public final class SmtpHealthCheck extends HealthCheck {
  private final String host;
  private final int port;
  private final boolean tlsFirst;
  private final Duration timeout;

  public SmtpHealthCheck(String host, int port, boolean tlsFirst, Duration timeout) {
    this.host = host;
    this.port = port;
    this.tlsFirst = tlsFirst;
    this.timeout = timeout;
  }

  @Override
  protected Result check() throws Exception {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
      if (tlsFirst) {
        return Result.healthy(host + ":" + port + " accepts connections");
      }
      socket.setSoTimeout((int) timeout.toMillis());
      String greeting = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
          .readLine();
      if (greeting == null || !greeting.startsWith("220")) {
        return Result.unhealthy(host + ":" + port + " did not greet with 220: " + greeting);
      }
      return Result.healthy(host + ":" + port + " greets");
    } catch (java.io.IOException e) {
      return Result.unhealthy("SMTP server " + host + ":" + port + " is not answering: " + e.getClass().getSimpleName()
          + " " + e.getMessage());
    }
  }
}
