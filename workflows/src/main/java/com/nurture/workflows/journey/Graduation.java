package com.nurture.workflows.journey;

import static com.nurture.workflows.journey.Journey.detail;

import com.nurture.workflows.condition.SeenEvent;
import com.nurture.workflows.program.EventMatch;
import com.nurture.workflows.scoring.Score;
import com.nurture.workflows.scoring.ScoringModel;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Scoring and graduation to sales: each event is scored; a high-intent action, or a level rule of
 * the scoring model (threshold, velocity, touches, composite MQL definitions) that starts to hold,
 * hands the lead to sales. Checked after every event and at every step boundary; a hot lead skips
 * nurture at enrolment (the fast track).
 */
final class Graduation {
  private Graduation() {}

  static void scoreAndGraduate(Journey j, LeadEvent e, SeenEvent seen) {
    JourneyState s = j.s;
    if (s.scoring == null) {
      return;
    }
    double points = s.scoring.earn(e.id(), seen, s.scored);
    if (points > 0) {
      s.keepScoredBounded();
      Score now = j.score();
      j.note("scored", detail("event_id", e.id(), "type", e.type().wireName(), "points", points, "fit", now.fit(),
          "engagement", now.engagement(), "total", now.total(), "velocity", now.velocity()));
    }
    graduate(j, Optional.of(seen), "graduation/" + e.id());
  }

  /** A level rule fires when it starts to hold, so a lead sales sent back is not handed over again for the same reason. */
  static void graduate(Journey j, Optional<SeenEvent> event, String key) {
    JourneyState s = j.s;
    if (s.status != JourneyStatus.ACTIVE && s.status != JourneyStatus.PAUSED || !j.program.graduate()) {
      return;
    }
    List<ScoringModel.RuleHolds> holds = s.scoring.holding(j.score(), j.conditionContext());
    Set<String> names = new LinkedHashSet<>();
    holds.forEach(h -> names.add(h.rule()));
    boolean fired = names.stream().anyMatch(n -> !s.graduationHolding.contains(n));
    s.graduationHolding = names;
    List<String> reasons = new ArrayList<>();
    boolean high = false;
    Optional<EventMatch> intent = event.flatMap(s.scoring::highIntent);
    if (intent.isPresent()) {
      reasons.add("high-intent action: " + intent.get().type().wireName()
          + (intent.get().where().isEmpty() ? "" : " " + intent.get().where()));
      high = true;
      fired = true;
    }
    if (!fired) {
      return;
    }
    for (ScoringModel.RuleHolds h : holds) {
      reasons.add(h.reason());
      high |= h.high();
    }
    SalesLoop.handOff(j, reasons, high ? "high" : "normal", key);
  }

  /**
   * At a step boundary: the graduation rules, then a move to the track of the lead's new quadrant.
   * @return true when the journey changed (handed off, or moving): the interpreter looks again
   */
  static boolean atStepBoundary(Journey j) {
    if (j.s.scoring == null) {
      return false;
    }
    graduate(j, Optional.empty(), "graduation/step/" + j.currentStepId() + "/" + j.s.transitionSeq);
    if (j.s.status != JourneyStatus.ACTIVE) {
      return true;
    }
    return TrackSwitching.reassignTrack(j);
  }

  /**
   * A hot lead skips nurture: a near-perfect fit, a high-intent source (a review site), or a
   * recent high-intent action as its first touch goes to sales at once, before any email.
   */
  static void fastTrack(Journey j) {
    JourneyState s = j.s;
    if (s.scoring == null || !j.program.graduate()) {
      return;
    }
    List<String> reasons = new ArrayList<>();
    if (s.scoring.fastTrackFit() > 0 && s.fitPoints >= s.scoring.fastTrackFit()) {
      reasons.add("fast track: fit " + s.fitPoints + " >= " + s.scoring.fastTrackFit());
    }
    Object source = s.attributes.get("source");
    if (source != null && s.scoring.fastTrackSources().contains(String.valueOf(source).toLowerCase(Locale.ROOT))) {
      reasons.add("fast track: high-intent source " + source);
    }
    Instant recent = j.now.minus(s.scoring.velocityWindow());
    s.seen.stream().filter(e -> !e.at().isBefore(recent) && s.scoring.highIntent(e).isPresent()).findFirst()
        .ifPresent(e -> reasons.add("fast track: " + e.type().wireName() + " on first touch"));
    if (!reasons.isEmpty()) {
      SalesLoop.handOff(j, reasons, "high", "fast-track");
    }
  }
}
