package com.nurture.workflows.journey;

import static com.nurture.workflows.journey.Journey.detail;
import static com.nurture.workflows.journey.Journey.maxZero;
import static com.nurture.workflows.journey.Journey.with;

import com.nurture.workflows.program.DurationText;
import com.nurture.workflows.program.Program;
import com.nurture.workflows.scoring.Tracks;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Which program the lead is on: a triggered program of higher priority pre-empts the running one
 * (which resumes after, with the rest of its wait); a lead the fit x engagement matrix placed
 * moves when its quadrant changes; a lead sales rejected goes to the after-rejection track.
 */
final class TrackSwitching {
  private TrackSwitching() {}

  /** Pre-empts the running program with a triggered one of higher priority; records the others. */
  static void consider(Journey j, TrackOffer offer) {
    JourneyState s = j.s;
    Program next = offer.program();
    Map<String, Object> d = detail("program", next.ref(), "priority", next.priority(), "running", j.program.ref(),
        "running_priority", j.program.priority(), "reason", offer.reason());
    if (s.status != JourneyStatus.ACTIVE) {
      j.note("trigger_recorded", with(d, "why", "the journey is " + s.status));
      return;
    }
    if (next.audience().isPresent() && !next.audience().get().test(j.conditionContext())) {
      j.note("trigger_recorded", with(d, "why", "the lead is outside the program's audience"));
      return;
    }
    if (next.id().equals(j.program.id()) || s.suspended.stream().anyMatch(t -> t.program().id().equals(next.id()))) {
      j.note("trigger_recorded", with(d, "why", "already on this program"));
      return;
    }
    if (next.priority() <= j.program.priority()) {
      j.note("trigger_recorded", with(d, "why", "priority is not higher than the running program's"));
      return;
    }
    Duration remaining = s.waitUntil == null ? null : maxZero(Duration.between(j.now, s.waitUntil));
    s.suspended.add(new SuspendedTrack(j.program, s.stepIndex, remaining, s.waitForFrom));
    j.note("preempted", with(d, "at_step", j.currentStepId()));
    j.switchTo(next);
  }

  /** Back to the program the current one pre-empted, at its step, with the rest of its wait. */
  static boolean resumePrevious(Journey j) {
    JourneyState s = j.s;
    if (s.suspended.isEmpty()) {
      return false;
    }
    SuspendedTrack t = s.suspended.remove(s.suspended.size() - 1);
    j.note("resumed_previous", detail("from", j.program.ref(), "to", t.program().ref(),
        "step", t.stepIndex() < t.program().steps().size() ? t.program().steps().get(t.stepIndex()).id() : "",
        "wait_left", t.waitRemaining() == null ? null : DurationText.format(t.waitRemaining())));
    j.program = t.program();
    s.stepIndex = t.stepIndex();
    s.waitForFrom = t.waitForFrom();
    s.waitUntil = t.waitRemaining() == null ? null : j.now.plus(t.waitRemaining());
    return true;
  }

  /**
   * A lead on the matrix's track whose quadrant changed moves to that quadrant's track, from its
   * first step. @return true when it is moving (the program is being loaded)
   */
  static boolean reassignTrack(Journey j) {
    JourneyState s = j.s;
    var tracks = s.scoring.tracks();
    if (!tracks.on() || s.assignedTrack == null || s.quadrant == null || !j.program.id().equals(s.assignedTrack)) {
      return false;
    }
    var q = tracks.quadrant(j.score());
    if (q.key().equals(s.quadrant)) {
      return false;
    }
    String from = s.quadrant;
    s.quadrant = q.key();
    String target = tracks.programFor(q).orElse(j.program.id());
    if (!tracks.reassign() || target.equals(j.program.id())) {
      j.note("quadrant_changed", detail("from", from, "to", q.key(), "program", j.program.ref(),
          "moved", false, "why", tracks.reassign() ? "same track" : "reassignment is off"));
      return false;
    }
    String stepBefore = j.currentStepId();
    j.load(target, (k, next) -> {
      if (next.isEmpty()) {
        k.note("quadrant_changed", detail("from", from, "to", q.key(), "program", k.program.ref(), "moved", false,
            "why", "the track's program " + target + " is not published"));
        return;
      }
      k.note("reassigned", detail("from", k.program.ref(), "to", next.get().ref(), "from_quadrant", from,
          "to_quadrant", q.key(), "reason", "quadrant changed to " + q.describe(), "at_step", stepBefore));
      k.program = next.get();
      k.s.assignedTrack = target;
      k.s.stepIndex = 0;
    });
    return true;
  }

  /**
   * A lead sales rejected goes back to nurture: where it stopped, or (tracks.after_rejection) on the
   * track of its quadrant now or a named program, from that program's first step.
   */
  static void afterRejection(Journey j) {
    JourneyState s = j.s;
    if (s.scoring == null || s.status != JourneyStatus.ACTIVE) {
      return;
    }
    var tracks = s.scoring.tracks();
    Optional<String> target = tracks.programAfterRejection(j.score());
    if (target.isEmpty() || target.get().equals(j.program.id())) {
      return;
    }
    j.load(target.get(), (k, next) -> {
      if (next.isEmpty()) {
        k.note("switch_refused", detail("program", target.get(),
            "why", "the after-rejection track is not published; resuming"));
        return;
      }
      k.note("switched", detail("from", k.program.ref(), "to", next.get().ref(),
          "reason", "rejected by sales (after_rejection: " + tracks.afterRejection() + ")"));
      if (Tracks.MATRIX.equals(tracks.afterRejection())) {
        k.s.assignedTrack = target.get();
        k.s.quadrant = tracks.quadrant(k.score()).key();
      }
      k.switchTo(next.get());
    });
  }
}
