package com.nurture.api.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MaxDuration;
import io.dropwizard.validation.MinDuration;
import jakarta.validation.constraints.NotNull;
import java.util.concurrent.TimeUnit;

/** Behaviour events as the API takes them in. */
public class EventsConfig {
  /**
   * How far in the future an event's {@code occurred_at} may be (the sender's clock running ahead
   * of ours) before the event is refused with a 422 naming {@code occurred_at}. A later time is a
   * bug in the sender, and would otherwise count as engagement that has not happened yet.
   */
  @NotNull
  @MinDuration(value = 0, unit = TimeUnit.SECONDS)
  @MaxDuration(value = 1, unit = TimeUnit.DAYS)
  @JsonProperty("max_clock_skew")
  public Duration maxClockSkew = Duration.minutes(5);

  public java.time.Duration maxClockSkew() {
    return maxClockSkew.toJavaDuration();
  }
}
