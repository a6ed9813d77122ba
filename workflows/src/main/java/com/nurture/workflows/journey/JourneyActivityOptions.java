package com.nurture.workflows.journey;

import io.temporal.activity.ActivityOptions;
import io.temporal.activity.LocalActivityOptions;
import io.temporal.common.Priority;
import io.temporal.common.RetryOptions;
import java.time.Duration;

/** How the journey calls its activities: retried until they land, never failing the journey. */
final class JourneyActivityOptions {
  private JourneyActivityOptions() {}

  /**
   * The business-record writes (PostgreSQL): local, short, retried every minute at most until they
   * land, however long the database is away. The maximum attempts must be set: the SDK treats a
   * local activity with neither a schedule-to-close timeout nor a positive maximum attempts as
   * having no retry policy and fails it on its first error (that failed journeys on a PostgreSQL
   * restart); a schedule-to-close timeout would give up, so the attempts are unbounded in practice.
   */
  static final LocalActivityOptions LOCAL_WRITE = LocalActivityOptions.newBuilder()
      .setStartToCloseTimeout(Duration.ofSeconds(10))
      .setRetryOptions(RetryOptions.newBuilder()
          .setInitialInterval(Duration.ofSeconds(1))
          .setMaximumInterval(Duration.ofMinutes(1))
          .setMaximumAttempts(Integer.MAX_VALUE)
          .build())
      .build();

  /** One send attempt, as an activity task or a local activity: room for the 60 s the activity waits on SMTP. */
  private static final Duration SEND_START_TO_CLOSE = Duration.ofSeconds(90);

  /** Retried with doubling backoff, never given up: the journey waits rather than skips. */
  static ActivityOptions untilDone(Duration startToClose, Duration initial, Duration maxInterval) {
    return ActivityOptions.newBuilder()
        .setStartToCloseTimeout(startToClose)
        .setRetryOptions(RetryOptions.newBuilder()
            .setInitialInterval(initial)
            .setBackoffCoefficient(2)
            .setMaximumInterval(maxInterval)
            .build())
        .build();
  }

  /**
   * SMTP can be down for a while: retried with backoff for up to {@code retryLimit}
   * (journeys.send_retry_limit), then the journey gives up on that email. A permanent failure is
   * not retried (the activity says so). The start-to-close leaves room for the 60 s the activity
   * waits on the SMTP server.
   */
  static ActivityOptions send(Duration retryLimit) {
    return ActivityOptions.newBuilder(untilDone(SEND_START_TO_CLOSE, Duration.ofSeconds(1), Duration.ofMinutes(10)))
        .setScheduleToCloseTimeout(retryLimit)
        .build();
  }

  /**
   * A scheduled send's first attempt, as a local activity (change id local-sends): run by the
   * worker inside the workflow task that reaches the send, with the activity's start-to-close and
   * no retry of its own. A transient failure falls back to the activity task ({@link #send}), whose
   * retries wait in the Temporal server, on its clock, up to the send retry limit: a journey whose
   * SMTP server is down sleeps between attempts as before, holding no worker slot. (A local
   * activity's schedule-to-close is kept on the worker's wall clock, and its retries hold the
   * workflow task open.) The ledger keeps a workflow task run twice from sending twice.
   */
  static final LocalActivityOptions LOCAL_SEND = LocalActivityOptions.newBuilder()
      .setStartToCloseTimeout(SEND_START_TO_CLOSE)
      .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
      .build();

  /**
   * The priority lane: an {@code immediate} step's send (a welcome right after enrolment, a
   * triggered program's first mail) is dispatched by the Temporal server ahead of every waiting
   * send of the default priority (a scheduled burst's), on the same task queue and worker slots;
   * the journey's {@link IntakeLane} says which lane (a bulk journey's immediate sends yield to
   * those of single enrolments).
   */
  static ActivityOptions send(Duration retryLimit, boolean immediate, IntakeLane lane) {
    return immediate ? ActivityOptions.newBuilder(send(retryLimit)).setPriority(lane.immediateSend()).build()
        : send(retryLimit);
  }
}
