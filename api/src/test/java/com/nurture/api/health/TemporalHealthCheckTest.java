package com.nurture.api.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.health.HealthCheck;
import com.nurture.api.config.TemporalConfig;
import com.nurture.api.core.TemporalConnection;
import com.nurture.workflows.journey.JourneySearchAttributes;
import io.temporal.api.enums.v1.IndexedValueType;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Temporal health check fails, naming the commands, when the namespace lacks the journeys'
 * search attributes (against a real server: JourneyE2E checks the healthy answer on the dev server).
 */
class TemporalHealthCheckTest {
  @Test
  void healthyWhenEveryAttributeIsRegisteredWithItsType() {
    Map<String, IndexedValueType> registered = new HashMap<>(JourneySearchAttributes.definitions());
    registered.put("CustomKeywordField", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
    HealthCheck.Result result = TemporalHealthCheck.searchAttributes("default", registered);
    assertThat(result.isHealthy()).isTrue();
    assertThat(result.getMessage()).contains("search attributes registered");
  }

  @Test
  void unhealthyWithTheCommandsToRunForTheMissingOrMistyped() {
    Map<String, IndexedValueType> registered = new HashMap<>(JourneySearchAttributes.definitions());
    registered.remove("NurtureStatus");
    registered.put("NurtureScore", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
    HealthCheck.Result result = TemporalHealthCheck.searchAttributes("nurture-prod", registered);
    assertThat(result.isHealthy()).isFalse();
    assertThat(result.getMessage())
        .contains("temporal operator search-attribute create --namespace nurture-prod --name NurtureStatus --type Keyword")
        .contains("--name NurtureScore --type Int")
        .doesNotContain("--name NurtureProgram ");
  }

  @Test
  void aServerThatCannotListThemIsStillHealthyAndSaysSo() {
    // Temporal's in-process test server implements no ListSearchAttributes.
    TemporalConfig config = new TemporalConfig();
    config.target = TemporalConfig.IN_PROCESS;
    TemporalConnection connection = TemporalConnection.connect(config);
    try {
      HealthCheck.Result result = new TemporalHealthCheck(connection).execute();
      assertThat(result.isHealthy()).isTrue();
      assertThat(result.getMessage()).contains("search attributes not checked");
    } finally {
      connection.stop();
    }
  }
}
