package com.nurture.activities.mail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A tiny SMTP server on a free loopback port that greets, accepts the sender and answers every
 * recipient with one fixed reply (a 5xx refusal or a 4xx deferral), as a real server does for an
 * unknown mailbox or a greylisted sender. GreenMail accepts everything, so it cannot show these.
 */
final class RefusingSmtpServer implements AutoCloseable {
  private final ServerSocket socket;
  private final String recipientReply;
  private final String dataReply;
  private final Thread thread;

  RefusingSmtpServer(String recipientReply) throws IOException {
    this(recipientReply, "554 5.5.1 no valid recipients");
  }

  /** Accepts or refuses the recipient with {@code recipientReply}, then answers DATA with {@code dataReply}. */
  RefusingSmtpServer(String recipientReply, String dataReply) throws IOException {
    this.socket = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
    this.recipientReply = recipientReply;
    this.dataReply = dataReply;
    this.thread = new Thread(this::serve, "refusing-smtp");
    thread.setDaemon(true);
    thread.start();
  }

  int port() {
    return socket.getLocalPort();
  }

  private void serve() {
    while (!socket.isClosed()) {
      try (Socket client = socket.accept()) {
        converse(client);
      } catch (IOException e) {
        // closed, or the client hung up: wait for the next one
      }
    }
  }

  private void converse(Socket client) throws IOException {
    BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.US_ASCII));
    OutputStream out = client.getOutputStream();
    reply(out, "220 refusing.test ESMTP");
    for (String line; (line = in.readLine()) != null; ) {
      String command = line.length() >= 4 ? line.substring(0, 4).toUpperCase() : line.toUpperCase();
      switch (command) {
        case "EHLO", "HELO" -> reply(out, "250 refusing.test");
        case "MAIL" -> reply(out, "250 2.1.0 OK");
        case "RCPT" -> reply(out, recipientReply);
        case "DATA" -> reply(out, dataReply);
        case "RSET", "NOOP" -> reply(out, "250 OK");
        case "QUIT" -> {
          reply(out, "221 bye");
          return;
        }
        default -> reply(out, "503 5.5.1 bad sequence of commands");
      }
    }
  }

  private static void reply(OutputStream out, String line) throws IOException {
    out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
