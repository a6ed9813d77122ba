package com.nurture.workflows.journey;

import static com.nurture.workflows.journey.Journey.detail;
import static com.nurture.workflows.journey.Journey.maxZero;

import com.nurture.workflows.activities.OperatorAlert;
import com.nurture.workflows.program.DurationText;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The journey's own clocks. While it waits: the inactivity recycle (no engagement for
 * journeys.inactivity) and the quiet high-fit alert. While it is held: the SLA escalations of a
 * hand-off, the end of a "not now", and the reply hold's automatic resume.
 */
final class JourneyClocks {
  private JourneyClocks() {}

  /** A clock that runs during waits: when it is due (from now), and what it does then. */
  record Clock(Duration in, Consumer<Journey> fire) {}

  /** The clock due first, if any. */
  static Optional<Clock> next(Journey j) {
    Optional<Clock> inactive = untilInactive(j).map(d -> new Clock(d, JourneyClocks::recycleInactive));
    Optional<Clock> quiet = untilQuietAlert(j).map(d -> new Clock(d, JourneyClocks::quietHighFitAlert));
    if (inactive.isPresent() && quiet.isPresent()) {
      return Optional.of(quiet.get().in().compareTo(inactive.get().in()) < 0 ? quiet.get() : inactive.get());
    }
    return inactive.isPresent() ? inactive : quiet;
  }

  /** The start of the current quiet period: the last engagement, or enrolment. */
  private static Instant quietSince(JourneyState s) {
    return s.lastEngagementAt != null ? s.lastEngagementAt : s.enrolledAt;
  }

  private static Optional<Duration> untilQuietAlert(Journey j) {
    JourneyState s = j.s;
    if (s.scoring == null || !s.scoring.quietHighFit(s.fitPoints) || quietSince(s).equals(s.quietAlertedFor)) {
      return Optional.empty();
    }
    return Optional.of(maxZero(Duration.between(j.now, quietSince(s).plus(s.scoring.quietHighFit().after()))));
  }

  /** A lead that fits well has gone quiet: a person should look before nurture loses it. Once per quiet period. */
  private static void quietHighFitAlert(Journey j) {
    JourneyState s = j.s;
    Instant since = quietSince(s);
    s.quietAlertedFor = since;
    String quietFor = DurationText.format(s.scoring.quietHighFit().after());
    j.note("quiet_high_fit", detail("fit", s.fitPoints, "quiet_since", since.toString(), "after", quietFor));
    j.emit(new Effect.CreateTask(new OperatorAlert(j.leadId, "quiet_high_fit", "A high-fit lead (fit " + s.fitPoints
        + ") has not engaged for " + quietFor + ": worth a personal look.",
        detail("fit", s.fitPoints, "quiet_since", since.toString()), "quiet/" + s.journeyKey + "/" + since)));
  }

  private static Optional<Duration> untilInactive(Journey j) {
    JourneyState s = j.s;
    if (s.inactivityLimit.isZero()) {
      return Optional.empty();
    }
    return Optional.of(maxZero(Duration.between(j.now, quietSince(s).plus(s.inactivityLimit))));
  }

  /** No engagement for journeys.inactivity (180 days by default): kept for later re-engagement, not mailed now. */
  private static void recycleInactive(Journey j) {
    JourneyState s = j.s;
    Instant last = quietSince(s);
    s.end(JourneyStatus.RECYCLED, "no engagement for " + DurationText.format(s.inactivityLimit));
    j.note("recycled", detail("reason", s.exitReason, "last_engagement", last.toString(),
        "recycle_until", j.now.plus(s.inactivityLimit).toString()));
  }

  /** While held: the next SLA escalation, the end of a "not now", or the reply hold's automatic resume. */
  static Optional<Instant> heldDeadline(Journey j) {
    JourneyState s = j.s;
    Optional<Instant> escalation = SalesLoop.nextEscalation(s);
    if (escalation.isPresent()) {
      return escalation;
    }
    if (s.status == JourneyStatus.AWAITING_CONFIRMATION) {
      return Optional.ofNullable(s.confirmBy);
    }
    if (s.status == JourneyStatus.PAUSED && s.notNowUntil != null) {
      return Optional.of(s.notNowUntil);
    }
    if (s.status == JourneyStatus.WAITING_FOR_HUMAN && s.heldForHumanAt != null && !s.replyResumeAfter.isZero()) {
      return Optional.of(s.heldForHumanAt.plus(s.replyResumeAfter));
    }
    return Optional.empty();
  }

  static void heldDeadlinePassed(Journey j) {
    JourneyState s = j.s;
    if (s.status == JourneyStatus.AWAITING_CONFIRMATION) {
      Consent.expire(j);
    } else if (s.status == JourneyStatus.WAITING_FOR_HUMAN) {
      s.release(j.now);
      s.heldForHumanAt = null;
      j.note("resumed", detail("reason", "no one resumed it within " + DurationText.format(s.replyResumeAfter)
          + " of the reply", "actor", "nurture"));
    } else if (s.status == JourneyStatus.HANDED_OFF && s.handOff != null) {
      SalesLoop.escalate(j);
    } else if (s.status == JourneyStatus.PAUSED && s.notNowUntil != null) {
      SalesLoop.notNowOver(j);
    }
  }
}
