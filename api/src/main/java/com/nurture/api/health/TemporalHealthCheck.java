package com.nurture.api.health;

import com.codahale.metrics.health.HealthCheck;
import com.nurture.api.core.TemporalConnection;
import com.nurture.workflows.journey.JourneySearchAttributes;
import io.grpc.StatusRuntimeException;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.api.operatorservice.v1.ListSearchAttributesRequest;
import io.temporal.api.operatorservice.v1.ListSearchAttributesResponse;
import io.temporal.api.operatorservice.v1.OperatorServiceGrpc;
import io.temporal.api.workflowservice.v1.GetSystemInfoRequest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Healthy when the Temporal frontend answers and the namespace has the journeys' search attributes
 * registered (without them Temporal refuses to start a journey). When the namespace's attributes
 * cannot be listed (a deployment that does not let clients ask), the check says so and stays healthy.
 */
public final class TemporalHealthCheck extends HealthCheck {
  private final TemporalConnection temporal;

  public TemporalHealthCheck(TemporalConnection temporal) {
    this.temporal = temporal;
  }

  @Override
  protected Result check() {
    temporal.call(() -> temporal.service().blockingStub().getSystemInfo(GetSystemInfoRequest.getDefaultInstance()));
    String namespace = temporal.namespace();
    ListSearchAttributesResponse listed;
    try {
      listed = temporal.call(() -> OperatorServiceGrpc.newBlockingStub(temporal.service().getRawChannel())
          .listSearchAttributes(ListSearchAttributesRequest.newBuilder().setNamespace(namespace).build()));
    } catch (StatusRuntimeException e) {
      return Result.healthy("namespace " + namespace + " (search attributes not checked: " + e.getStatus().getCode() + ")");
    }
    Map<String, IndexedValueType> registered = new HashMap<>(listed.getSystemAttributesMap());
    registered.putAll(listed.getCustomAttributesMap());
    return searchAttributes(namespace, registered);
  }

  /** Healthy when {@code registered} holds every journey search attribute with its type; else the commands to run. */
  static Result searchAttributes(String namespace, Map<String, IndexedValueType> registered) {
    List<String> commands = JourneySearchAttributes.definitions().entrySet().stream()
        .filter(d -> registered.get(d.getKey()) != d.getValue())
        .map(d -> "temporal operator search-attribute create --namespace " + namespace + " --name " + d.getKey()
            + " --type " + JourneySearchAttributes.cliType(d.getValue()))
        .toList();
    if (commands.isEmpty()) {
      return Result.healthy("namespace " + namespace + ", journey search attributes registered");
    }
    return Result.unhealthy("namespace " + namespace + " lacks the journeys' search attributes, so no journey can "
        + "start; register them (docs/operations.md): " + String.join("; ", commands));
  }
}
