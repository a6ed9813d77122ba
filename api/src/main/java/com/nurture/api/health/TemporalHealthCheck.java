package com.nurture.api.health;

import com.codahale.metrics.health.HealthCheck;
import com.nurture.api.core.TemporalConnection;
import io.temporal.api.workflowservice.v1.GetSystemInfoRequest;

/** Healthy when the Temporal frontend answers. */
public final class TemporalHealthCheck extends HealthCheck {
  private final TemporalConnection temporal;

  public TemporalHealthCheck(TemporalConnection temporal) {
    this.temporal = temporal;
  }

  @Override
  protected Result check() {
    temporal.service().blockingStub()
        .withDeadlineAfter(5, java.util.concurrent.TimeUnit.SECONDS)
        .getSystemInfo(GetSystemInfoRequest.getDefaultInstance());
    return Result.healthy("namespace " + temporal.namespace());
  }
}
