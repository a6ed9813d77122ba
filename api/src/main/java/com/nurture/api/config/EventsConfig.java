package com.nurture.api.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.nurture.workflows.program.DurationText;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMax;

/** Behaviour events as the API takes them in. */
public class EventsConfig {
  /**
   * How far in the future an event's {@code occurred_at} may be (the sender's clock running ahead
   * of ours) before the event is refused with a 422 naming {@code occurred_at}. A later time is a
   * bug in the sender, and would otherwise count as engagement that has not happened yet. A
   * duration as everywhere else ({@link DurationText}: 30s, 5m, 1h), at most a day.
   */
  @NotNull
  @DurationMax(days = 1, message = "must be at most 1d")
  @JsonDeserialize(using = DurationTextDeserializer.class)
  @JsonProperty("max_clock_skew")
  public Duration maxClockSkew = Duration.ofMinutes(5);

  /** How often the outbox dispatcher looks for events waiting for Temporal (docs/operations.md). */
  @NotNull
  @DurationMax(minutes = 1, message = "must be at most 1m")
  @JsonDeserialize(using = DurationTextDeserializer.class)
  @JsonProperty("outbox_interval")
  public Duration outboxInterval = Duration.ofSeconds(1);

  /** The most outbox entries (one per lead) one dispatcher round claims. */
  @jakarta.validation.constraints.Min(1)
  @jakarta.validation.constraints.Max(1000)
  @JsonProperty("outbox_batch")
  public int outboxBatch = 100;

  /**
   * How many of a round's entries (each a different lead's) each of the outbox dispatcher's two lanes
   * hands to Temporal at once: each waits on a Temporal call, not a core.
   */
  @jakarta.validation.constraints.Min(1)
  @jakarta.validation.constraints.Max(64)
  @JsonProperty("outbox_threads")
  public int outboxThreads = 8;
}
