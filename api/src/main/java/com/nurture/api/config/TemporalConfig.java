package com.nurture.api.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MaxDuration;
import io.dropwizard.validation.MinDuration;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.util.concurrent.TimeUnit;

/**
 * Where Temporal is. {@code target} is {@code host:port} of the frontend. {@code in-process} is for
 * the API tests only: an in-memory server their classpath provides ({@link
 * com.nurture.api.core.InProcessTemporal}); the runnable jar has none and refuses it at start-up.
 * The deadlines bound every call the API makes (retries included): a Temporal that does not answer
 * costs a request that long, then a 503 (or, for an event, a place in the outbox).
 */
public class TemporalConfig {
  public static final String IN_PROCESS = "in-process";

  @NotBlank
  @JsonProperty
  public String target = "localhost:7233";

  @NotBlank
  @JsonProperty
  public String namespace = "default";

  /** Start, signal, describe, the health check: calls Temporal answers at once when it is up. */
  @NotNull
  @MinDuration(value = 100, unit = TimeUnit.MILLISECONDS)
  @MaxDuration(value = 60, unit = TimeUnit.SECONDS)
  @JsonProperty("call_timeout")
  public Duration callTimeout = Duration.milliseconds(1500);

  /** Queries, updates and history reads: they wait for a worker to run the journey's code. */
  @NotNull
  @MinDuration(value = 100, unit = TimeUnit.MILLISECONDS)
  @MaxDuration(value = 5, unit = TimeUnit.MINUTES)
  @JsonProperty("update_timeout")
  public Duration updateTimeout = Duration.seconds(10);

  /**
   * The Temporal Web UI's address (e.g. {@code http://localhost:8233}), for the console's link to a
   * lead's workflow; empty for no link. {@code dev} uses its own UI when this is empty.
   */
  @JsonProperty("ui_url")
  public String uiUrl = "";

  /**
   * A journey enrolled one lead at a time asks Temporal for its first workflow task in the start's
   * answer (eager workflow start), for the worker of the same process to run at once: no matching
   * service, no poll. It takes effect only where the API and a worker share one client (the {@code
   * all} command, {@code dev}) and the worker has a free workflow-task slot; otherwise the start is an
   * ordinary one. A batch's journeys never start eagerly. {@code false}: every start is ordinary
   * (docs/architecture.md, "Eager start for sign-ups").
   */
  @JsonProperty("eager_start")
  public boolean eagerStart = true;

  /**
   * Whether a lead's several events (a batch's, or those the event outbox holds) go to its journey in
   * one {@code deliverAll} signal. Turn it off while a fleet is being upgraded from a release before
   * 2026-12-06 whose workers do not know that signal (docs/evolution.md, "A new signal"): each event then
   * goes as its own {@code deliver}.
   */
  @JsonProperty("deliver_all")
  public boolean deliverAll = true;
}
