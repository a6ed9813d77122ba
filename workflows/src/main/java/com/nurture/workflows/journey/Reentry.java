package com.nurture.workflows.journey;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * Whether a lead whose journey has ended may start a new one (a trigger, or renewed interest):
 * unsubscribed, disqualified and graduated leads never do; a recycled lead waits out the cool-down;
 * the address must still be mailable. Pure: the API asks it with what it knows of the last journey
 * (the workflow of a lead with no running journey is not there to ask).
 */
public final class Reentry {
  private static final Set<JourneyStatus> NEVER = Set.of(JourneyStatus.UNSUBSCRIBED, JourneyStatus.DISQUALIFIED,
      JourneyStatus.GRADUATED);

  private Reentry() {}

  /**
   * @param last the status the last journey ended with, if there was one
   * @param endedAt when it ended
   * @param mailable the address is not suppressed and the lead has consented
   * @return why the lead cannot start a new journey now, or empty when it can
   */
  public static Optional<String> refusal(Optional<JourneyStatus> last, Instant endedAt, boolean mailable,
      Duration cooldown, Instant now) {
    if (last.isPresent() && NEVER.contains(last.get())) {
      return Optional.of("not started: the journey ended " + last.get());
    }
    if (last.isPresent() && last.get() == JourneyStatus.RECYCLED && endedAt.plus(cooldown).isAfter(now)) {
      return Optional.of("not started: recycled on " + endedAt + "; re-entry waits out the cool-down until "
          + endedAt.plus(cooldown));
    }
    if (!mailable) {
      return Optional.of("not started: the lead may not be emailed");
    }
    return Optional.empty();
  }
}
