package com.nurture.api.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nurture.api.config.TemporalConfig;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/** {@code temporal.target: in-process} works only where a provider is on the classpath (the tests). */
class TemporalConnectionTest {
  private static TemporalConfig inProcess() {
    TemporalConfig config = new TemporalConfig();
    config.target = TemporalConfig.IN_PROCESS;
    return config;
  }

  @Test
  void withoutAProviderInProcessIsRefusedWithTheWayOut() {
    assertThatThrownBy(() -> TemporalConnection.connect(inProcess(), List.of()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("temporal.target")
        .hasMessageContaining("in-process")
        .hasMessageContaining("temporal server start-dev");
  }

  @Test
  void theTestsProvideTheTestServerThroughServiceLoader() {
    assertThat(ServiceLoader.load(InProcessTemporal.class).stream().map(ServiceLoader.Provider::type))
        .containsExactly(TestServerInProcessTemporal.class);
    with(inProcess(), connection -> {
      assertThat(connection.namespace()).isEqualTo("default");
      assertThat(connection.service().blockingStub()
          .getSystemInfo(io.temporal.api.workflowservice.v1.GetSystemInfoRequest.getDefaultInstance())).isNotNull();
    });
  }

  /**
   * A call is bounded by {@code temporal.call_timeout}; the same call run {@link
   * TemporalConnection#patiently} (the outbox's one-at-a-time lane) by {@code temporal.update_timeout},
   * but never longer than half the outbox's claim.
   */
  @Test
  void aPatientCallWaitsUpToTheUpdateTimeoutAnOrdinaryOneTheCallTimeout() {
    TemporalConfig config = inProcess();
    config.callTimeout = io.dropwizard.util.Duration.milliseconds(1500);
    config.updateTimeout = io.dropwizard.util.Duration.seconds(10);
    with(config, connection -> {
      assertThat(deadlineLeft(connection)).isBetween(1L, 1500L);
      assertThat(connection.patiently(() -> deadlineLeft(connection))).isBetween(1501L, 10_000L);
      assertThat(deadlineLeft(connection)).as("outside, ordinary again").isBetween(1L, 1500L);
    });
    config.updateTimeout = io.dropwizard.util.Duration.minutes(5);
    with(config, connection -> assertThat(connection.patiently(() -> deadlineLeft(connection)))
        .as("at most half the outbox's claim").isBetween(1501L, EventOutbox.CLAIM.toMillis() / 2));
  }

  /**
   * A patient call answered after the ordinary deadline leaves Temporal busy for batches (they keep
   * yielding to the outbox), not taken for well: only an answer within {@code call_timeout} is.
   */
  @Test
  void aPatientCallAnsweredAfterTheOrdinaryDeadlineLeavesTemporalBusy() {
    TemporalConfig config = inProcess();
    config.callTimeout = io.dropwizard.util.Duration.milliseconds(200);
    with(config, connection -> {
      connection.patiently(() -> connection.call(() -> {
        try {
          Thread.sleep(400);
        } catch (InterruptedException e) {
          throw new IllegalStateException(e);
        }
        return true;
      }));
      assertThat(connection.presumedBusy()).as("answered, but after 200 ms").isTrue();
      assertThat(connection.presumedDown()).isFalse();
      connection.patiently(() -> connection.call(() -> true));
      assertThat(connection.presumedBusy()).as("answered in time").isFalse();
    });
  }

  /** The milliseconds left before the deadline of a call made through {@code connection}. */
  private static long deadlineLeft(TemporalConnection connection) {
    return connection.call(
        () -> io.grpc.Context.current().getDeadline().timeRemaining(java.util.concurrent.TimeUnit.MILLISECONDS));
  }

  private static void with(TemporalConfig config, java.util.function.Consumer<TemporalConnection> test) {
    TemporalConnection connection = TemporalConnection.connect(config);
    try {
      test.accept(connection);
    } finally {
      connection.stop();
    }
  }
}
