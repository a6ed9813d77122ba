package com.nurture.workflows.journey;

import java.time.Duration;
import java.util.Objects;

/**
 * The journey settings an operator configures, in one typed value: config.yml's {@code journeys}
 * and {@code sales.sla} bind to it in one place (the API's configuration), and a new journey's
 * state takes it in one call ({@link JourneyState#withSettings}). The state keeps its own fields
 * (their JSON is in recorded workflow histories); this record is only how they are set.
 *
 * @param replyResumeAfter a journey waiting for a person after a reply resumes by itself after this long (zero: never)
 * @param inactivity no engagement for this long recycles a journey (zero: never)
 * @param reentryCooldown a recycled lead re-enters on renewed interest no sooner than this after it was recycled
 *     (read by the API's re-entry rule, not kept in the journey)
 * @param handOffSla how long sales has to follow up a hand-off before the first escalation (the second at twice)
 * @param sendRetryLimit transient send failures are retried this long before the journey gives up on the send
 * @param historyLimit continue as new once the history has this many events, or sooner when Temporal
 *     suggests it (0: only then). 1,000 by default: a run's history stays short, so replaying it after a
 *     worker restart (the longest workflow task a journey can need) stays far below Temporal's 1 s
 *     deadlock limit (bench/replay-10k.sh). Small in tests, so a test crosses a run boundary.
 * @param confirmWithin double opt-in: a lead whose consent is pending has this long to follow the
 *     confirmation link before its journey ends as UNCONFIRMED (applied with
 *     {@link JourneyState#requiringConfirmation} to such leads only)
 */
public record JourneySettings(Duration replyResumeAfter, Duration inactivity, Duration reentryCooldown,
    Duration handOffSla, Duration sendRetryLimit, int historyLimit, Duration confirmWithin) {

  /** The documented defaults (config.example.yml, docs/scoring-and-handoff.md). */
  public static final JourneySettings DEFAULTS = new JourneySettings(Duration.ofDays(5), Duration.ofDays(180),
      Duration.ofDays(30), Duration.ofHours(24), Duration.ofHours(24), 1_000, Duration.ofDays(7));

  public JourneySettings {
    requireNotNegative(replyResumeAfter, "replyResumeAfter");
    requireNotNegative(inactivity, "inactivity");
    requireNotNegative(reentryCooldown, "reentryCooldown");
    requirePositive(handOffSla, "handOffSla");
    requirePositive(sendRetryLimit, "sendRetryLimit");
    requirePositive(confirmWithin, "confirmWithin");
    if (historyLimit < 0) {
      throw new IllegalArgumentException("historyLimit must be 0 or more");
    }
  }

  private static void requireNotNegative(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isNegative()) {
      throw new IllegalArgumentException(name + " must not be negative");
    }
  }

  private static void requirePositive(Duration d, String name) {
    requireNotNegative(d, name);
    if (d.isZero()) {
      throw new IllegalArgumentException(name + " must be longer than zero");
    }
  }

  public JourneySettings withReplyResumeAfter(Duration d) {
    return new JourneySettings(d, inactivity, reentryCooldown, handOffSla, sendRetryLimit, historyLimit, confirmWithin);
  }

  public JourneySettings withInactivity(Duration d) {
    return new JourneySettings(replyResumeAfter, d, reentryCooldown, handOffSla, sendRetryLimit, historyLimit, confirmWithin);
  }

  public JourneySettings withReentryCooldown(Duration d) {
    return new JourneySettings(replyResumeAfter, inactivity, d, handOffSla, sendRetryLimit, historyLimit, confirmWithin);
  }

  public JourneySettings withHandOffSla(Duration d) {
    return new JourneySettings(replyResumeAfter, inactivity, reentryCooldown, d, sendRetryLimit, historyLimit, confirmWithin);
  }

  public JourneySettings withSendRetryLimit(Duration d) {
    return new JourneySettings(replyResumeAfter, inactivity, reentryCooldown, handOffSla, d, historyLimit, confirmWithin);
  }

  public JourneySettings withConfirmWithin(Duration d) {
    return new JourneySettings(replyResumeAfter, inactivity, reentryCooldown, handOffSla, sendRetryLimit, historyLimit, d);
  }

  public JourneySettings withHistoryLimit(int limit) {
    return new JourneySettings(replyResumeAfter, inactivity, reentryCooldown, handOffSla, sendRetryLimit, limit, confirmWithin);
  }
}
