package com.nurture.api.health;

import com.codahale.metrics.health.HealthCheck;
import com.nurture.worker.NurtureWorker;

/** Healthy while this process's worker is polling. */
public final class WorkerHealthCheck extends HealthCheck {
  private final NurtureWorker worker;

  public WorkerHealthCheck(NurtureWorker worker) {
    this.worker = worker;
  }

  @Override
  protected Result check() {
    return worker.isRunning() ? Result.healthy() : Result.unhealthy("the worker is not polling");
  }
}
