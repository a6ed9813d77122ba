package com.nurture.api.e2e;

import io.grpc.CallOptions;
import io.grpc.ClientInterceptors;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Deadline;
import io.grpc.HandlerRegistry;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A gRPC proxy in front of a Temporal frontend that forwards every call (Temporal's client API is
 * unary: long polls included) and can lose the answers of {@code StartWorkflowExecution}: the
 * request reaches the server, the workflow starts, and the client is told {@code UNAVAILABLE}
 * instead of the answer. That is a reply lost on the network, or a frontend that fell over after
 * its work was done. Point {@code temporal.target} at {@link #target()}.
 */
final class LossyTemporalProxy implements AutoCloseable {
  private static final String START = "temporal.api.workflowservice.v1.WorkflowService/StartWorkflowExecution";
  private static final Context.Key<Metadata> HEADERS = Context.key("lossy-proxy-headers");
  /** The SDK's own limit for a message (a long history), not gRPC's default 4 MiB. */
  private static final int MAX_MESSAGE = 128 * 1024 * 1024;

  private final ManagedChannel upstream;
  private final Server server;
  private final AtomicInteger toLose = new AtomicInteger();
  private final AtomicInteger lost = new AtomicInteger();

  LossyTemporalProxy(String target) {
    upstream = ManagedChannelBuilder.forTarget(target).usePlaintext().maxInboundMessageSize(MAX_MESSAGE).build();
    ServerInterceptor keepHeaders = new ServerInterceptor() {
      @Override
      public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
          ServerCallHandler<Q, R> next) {
        return Contexts.interceptCall(Context.current().withValue(HEADERS, headers), call, headers, next);
      }
    };
    HandlerRegistry forwarding = new HandlerRegistry() {
      @Override
      public ServerMethodDefinition<?, ?> lookupMethod(String method, String authority) {
        MethodDescriptor<byte[], byte[]> descriptor = MethodDescriptor.<byte[], byte[]>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY).setFullMethodName(method)
            .setRequestMarshaller(Bytes.INSTANCE).setResponseMarshaller(Bytes.INSTANCE).build();
        ServerServiceDefinition service = ServerServiceDefinition.builder(MethodDescriptor.extractFullServiceName(method))
            .addMethod(descriptor, ServerCalls.asyncUnaryCall((request, answer) -> forward(descriptor, request, answer)))
            .build();
        return ServerInterceptors.intercept(service, keepHeaders).getMethod(method);
      }
    };
    try {
      server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)).maxInboundMessageSize(MAX_MESSAGE)
          .fallbackHandlerRegistry(forwarding).build().start();
    } catch (IOException e) {
      upstream.shutdownNow();
      throw new UncheckedIOException(e);
    }
  }

  /** host:port of the proxy. */
  String target() {
    return "127.0.0.1:" + server.getPort();
  }

  /** The next {@code n} start answers are lost (0: none from now on). */
  void loseStartAnswers(int n) {
    toLose.set(n);
  }

  /** How many start answers were lost so far. */
  int lost() {
    return lost.get();
  }

  private void forward(MethodDescriptor<byte[], byte[]> method, byte[] request, StreamObserver<byte[]> answer) {
    Deadline deadline = Context.current().getDeadline();
    CallOptions options = deadline == null ? CallOptions.DEFAULT : CallOptions.DEFAULT.withDeadline(deadline);
    var channel = ClientInterceptors.intercept(upstream, MetadataUtils.newAttachHeadersInterceptor(callersHeaders()));
    // A start runs on at the server when its caller gives up (a fresh context, not the caller's, which
    // is cancelled then); any other call ends with its caller's, a long poll included.
    boolean start = method.getFullMethodName().equals(START);
    Context context = start ? Context.ROOT : Context.current();
    context.run(() -> ClientCalls.asyncUnaryCall(channel.newCall(method, options), request, new StreamObserver<>() {
      private byte[] reply;

      @Override
      public void onNext(byte[] value) {
        reply = value;
      }

      @Override
      public void onError(Throwable t) {
        answer.onError(t);
      }

      @Override
      public void onCompleted() {
        if (start && toLose.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
          lost.incrementAndGet();
          answer.onError(Status.UNAVAILABLE.withDescription("the start's answer, lost by the test's proxy").asRuntimeException());
          return;
        }
        answer.onNext(reply);
        answer.onCompleted();
      }
    }));
  }

  /** The caller's own headers (Temporal's namespace and client name among them), not gRPC's transport ones. */
  private static Metadata callersHeaders() {
    Metadata out = new Metadata();
    Metadata in = HEADERS.get();
    if (in == null) {
      return out;
    }
    for (String key : in.keys()) {
      if (key.startsWith("grpc-") || key.startsWith(":") || key.endsWith(Metadata.BINARY_HEADER_SUFFIX)
          || key.equals("content-type") || key.equals("te") || key.equals("user-agent")) {
        continue;
      }
      Metadata.Key<String> k = Metadata.Key.of(key, Metadata.ASCII_STRING_MARSHALLER);
      for (String value : in.getAll(k)) {
        out.put(k, value);
      }
    }
    return out;
  }

  @Override
  public void close() {
    server.shutdownNow();
    upstream.shutdownNow();
    try {
      server.awaitTermination(5, TimeUnit.SECONDS);
      upstream.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Messages as the bytes on the wire: the proxy reads none of them. */
  private enum Bytes implements MethodDescriptor.Marshaller<byte[]> {
    INSTANCE;

    @Override
    public InputStream stream(byte[] value) {
      return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      try {
        return stream.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
