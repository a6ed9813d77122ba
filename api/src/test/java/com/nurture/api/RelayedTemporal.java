package com.nurture.api;

import com.nurture.activities.FreePort;
import com.nurture.workflows.journey.JourneySearchAttributes;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.temporal.api.operatorservice.v1.AddSearchAttributesRequest;
import io.temporal.api.operatorservice.v1.OperatorServiceGrpc;
import io.temporal.testserver.TestServer;
import java.util.concurrent.TimeUnit;

/**
 * A Temporal test server on a free port with the journeys' search attributes registered (as the dev
 * server and the in-process one have them), behind a {@link TcpRelay} the test can take down or slow.
 * Point the application's {@code temporal.target} at {@link #target()}.
 */
final class RelayedTemporal implements AutoCloseable {
  private final TestServer.PortBoundTestServer server;
  private final TcpRelay relay;

  RelayedTemporal() {
    int port = FreePort.take();
    server = TestServer.createPortBoundServer(port);
    registerSearchAttributes(port);
    relay = new TcpRelay(port);
  }

  TcpRelay relay() {
    return relay;
  }

  /** host:port of the relay. */
  String target() {
    return "127.0.0.1:" + relay.port();
  }

  private static void registerSearchAttributes(int port) {
    ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    try {
      OperatorServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
          .addSearchAttributes(AddSearchAttributesRequest.newBuilder().setNamespace("default")
              .putAllSearchAttributes(JourneySearchAttributes.definitions()).build());
    } finally {
      channel.shutdownNow();
    }
  }

  /** Closes the test's API client, then this, then its mail server: a relayed test's {@code @AfterAll}. */
  void closeWith(TestApi api, com.icegreen.greenmail.util.GreenMail smtp) {
    api.close();
    close();
    smtp.stop();
  }

  @Override
  public void close() {
    relay.close();
    server.close();
  }
}
