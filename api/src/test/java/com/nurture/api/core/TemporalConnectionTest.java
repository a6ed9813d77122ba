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
    TemporalConnection connection = TemporalConnection.connect(inProcess());
    try {
      assertThat(connection.namespace()).isEqualTo("default");
      assertThat(connection.service().blockingStub()
          .getSystemInfo(io.temporal.api.workflowservice.v1.GetSystemInfoRequest.getDefaultInstance())).isNotNull();
    } finally {
      connection.stop();
    }
  }
}
