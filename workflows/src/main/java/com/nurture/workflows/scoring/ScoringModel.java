package com.nurture.workflows.scoring;

import com.nurture.workflows.condition.Condition;
import com.nurture.workflows.condition.ConditionContext;
import com.nurture.workflows.condition.SeenEvent;
import com.nurture.workflows.journey.EventType;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How a lead is scored: fit points from attributes, engagement points per event (by sub-type,
 * capped per day), decay of old engagement, the MQL threshold and the velocity rule. Pure: every
 * method is a function of its arguments, so the journey can score deterministically.
 *
 * @param decayAfter engagement keeps its full value this long, then halves every {@code halfLife}
 * @param highIntent events that hand a lead to sales at once, whatever the score
 * @param fastTrackFit a fit this high skips nurture at enrolment (0: off)
 * @param fastTrackSources lead sources (review sites) that skip nurture at enrolment
 */
public record ScoringModel(
    List<FitRule> fit,
    Map<EventType, EventPoints> events,
    Duration decayAfter,
    Duration halfLife,
    int mqlThreshold,
    Duration velocityWindow,
    int velocityThreshold,
    List<HighIntent> highIntent,
    int fastTrackFit,
    List<String> fastTrackSources) {

  public ScoringModel {
    fit = List.copyOf(fit);
    events = Map.copyOf(events);
    highIntent = List.copyOf(highIntent);
    fastTrackSources = fastTrackSources.stream().map(x -> x.toLowerCase(java.util.Locale.ROOT)).toList();
  }

  /** Fit points when the attributes meet {@code when}. */
  public record FitRule(Condition when, int points) {}

  /**
   * Points for one event type: {@code points} by default, or by the value of property {@code by}
   * (e.g. asset_type: case_study); at most {@code dailyCap} a day for the type (0: no cap).
   */
  public record EventPoints(int points, String by, Map<String, Integer> values, int dailyCap) {
    public EventPoints {
      values = Map.copyOf(values);
    }
  }

  /** An event type, and optionally property values, that means "ready to talk". */
  public record HighIntent(EventType type, Map<String, String> where) {
    public HighIntent {
      where = Map.copyOf(where);
    }

    public boolean matches(SeenEvent e) {
      return e.type() == type && e.matches(where);
    }
  }

  /** Points an event earns, given what the lead already earned today for the same type. */
  public double pointsFor(SeenEvent e, List<ScoredEvent> earlier) {
    EventPoints p = events.get(e.type());
    if (p == null) {
      return 0;
    }
    int points = p.points();
    if (!p.by().isEmpty()) {
      String value = e.properties().getOrDefault(p.by(), "");
      points = p.values().getOrDefault(value.toLowerCase(java.util.Locale.ROOT), p.points());
    }
    if (p.dailyCap() > 0) {
      var day = e.at().atZone(ZoneOffset.UTC).toLocalDate();
      double today = earlier.stream()
          .filter(s -> s.type() == e.type() && s.at().atZone(ZoneOffset.UTC).toLocalDate().equals(day))
          .mapToDouble(ScoredEvent::points).sum();
      return Math.max(0, Math.min(points, p.dailyCap() - today));
    }
    return points;
  }

  public int fit(ConditionContext attributes) {
    return fit.stream().filter(r -> r.when().test(attributes)).mapToInt(FitRule::points).sum();
  }

  /** Engagement now: every event's points, decayed by age. */
  public double engagement(List<ScoredEvent> scored, Instant now) {
    return scored.stream().mapToDouble(s -> s.points() * decay(Duration.between(s.at(), now))).sum();
  }

  /** Engagement points earned within the velocity window before now (not decayed). */
  public double velocity(List<ScoredEvent> scored, Instant now) {
    Instant from = now.minus(velocityWindow);
    return scored.stream().filter(s -> s.at().isAfter(from) && !s.at().isAfter(now)).mapToDouble(ScoredEvent::points).sum();
  }

  double decay(Duration age) {
    if (age.compareTo(decayAfter) <= 0) {
      return 1;
    }
    double halves = (double) age.minus(decayAfter).toMillis() / halfLife.toMillis();
    return Math.pow(0.5, halves);
  }

  public Score score(int fitPoints, List<ScoredEvent> scored, Instant now) {
    long engagement = Math.round(engagement(scored, now));
    return new Score(fitPoints, (int) engagement, fitPoints + (int) engagement, (int) Math.round(velocity(scored, now)));
  }

  public Optional<HighIntent> highIntent(SeenEvent e) {
    return highIntent.stream().filter(h -> h.matches(e)).findFirst();
  }
}
