package com.nurture.workflows.scoring;

import com.nurture.workflows.condition.Condition;
import com.nurture.workflows.condition.ConditionContext;
import com.nurture.workflows.condition.SeenEvent;
import com.nurture.workflows.journey.EventType;
import com.nurture.workflows.program.EventMatch;
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
 * @param highIntent events that mean "ready to talk": they hand a lead to sales at once, whatever the score
 * @param fastTrackFit a fit this high skips nurture at enrolment (0: off)
 * @param fastTrackSources lead sources (review sites) that skip nurture at enrolment
 * @param touches "several touches in a short period" graduates a lead (min 0: off)
 * @param mqlDefinitions composite MQL definitions: any one that holds graduates the lead
 * @param quietHighFit a lead this fit that does not engage for this long raises an alert (fit 0: off)
 * @param tracks the fit x engagement matrix that picks a track when no program is named
 */
public record ScoringModel(
    List<FitRule> fit,
    Map<EventType, EventPoints> events,
    Duration decayAfter,
    Duration halfLife,
    int mqlThreshold,
    Duration velocityWindow,
    int velocityThreshold,
    List<EventMatch> highIntent,
    int fastTrackFit,
    List<String> fastTrackSources,
    Touches touches,
    List<MqlDefinition> mqlDefinitions,
    QuietHighFit quietHighFit,
    Tracks tracks) {

  /** Parts a journey started before they existed does not have in its serialized input: off. */
  public ScoringModel {
    fit = List.copyOf(fit);
    events = Map.copyOf(events);
    highIntent = List.copyOf(highIntent);
    fastTrackSources = fastTrackSources.stream().map(x -> x.toLowerCase(java.util.Locale.ROOT)).toList();
    touches = touches == null ? Touches.OFF : touches;
    mqlDefinitions = mqlDefinitions == null ? List.of() : List.copyOf(mqlDefinitions);
    quietHighFit = quietHighFit == null ? QuietHighFit.OFF : quietHighFit;
    tracks = tracks == null ? Tracks.NONE : tracks;
  }

  /** At least {@code min} engagement touches (not opens) within {@code within} graduates a lead. */
  public record Touches(int min, Duration within, boolean high) {
    public static final Touches OFF = new Touches(0, Duration.ZERO, false);
  }

  /** A named composite MQL definition, e.g. score >= 100 AND pricing seen AND employees >= 100. */
  public record MqlDefinition(String name, Condition when, boolean high) {}

  /** A lead with at least {@code fit} fit points and no engagement for {@code after} needs a person. */
  public record QuietHighFit(int fit, Duration after) {
    public static final QuietHighFit OFF = new QuietHighFit(0, Duration.ZERO);

    public boolean on() {
      return fit > 0 && !after.isZero();
    }
  }

  /** A graduation rule that holds now: its name (stable, for "did it hold before"), why, and whether it makes the hand-off high priority. */
  public record RuleHolds(String rule, String reason, boolean high) {}

  /**
   * The level graduation rules that hold now: MQL threshold, velocity, touches, composite
   * definitions. (A high-intent action is an event, not a level: see {@link #highIntent}.)
   */
  public List<RuleHolds> holding(Score score, ConditionContext context) {
    List<RuleHolds> holds = new java.util.ArrayList<>();
    if (mqlThreshold > 0 && score.total() >= mqlThreshold) {
      holds.add(new RuleHolds("mql_threshold", "score " + score.total() + " >= MQL threshold " + mqlThreshold, false));
    }
    if (velocityThreshold > 0 && score.velocity() >= velocityThreshold) {
      holds.add(new RuleHolds("velocity", "score velocity " + score.velocity() + " in "
          + com.nurture.workflows.program.DurationText.format(velocityWindow), true));
    }
    if (touches.min() > 0) {
      Instant from = context.now().minus(touches.within());
      long n = context.events().stream()
          .filter(e -> com.nurture.workflows.journey.JourneyRules.isEngagement(e.type()))
          .filter(e -> !e.at().isBefore(from) && !e.at().isAfter(context.now()))
          .count();
      if (n >= touches.min()) {
        holds.add(new RuleHolds("touches", n + " touches within "
            + com.nurture.workflows.program.DurationText.format(touches.within()), touches.high()));
      }
    }
    for (MqlDefinition d : mqlDefinitions) {
      if (d.when().test(context)) {
        holds.add(new RuleHolds("mql:" + d.name(), "MQL definition '" + d.name() + "' holds", d.high()));
      }
    }
    return holds;
  }

  /** Whether the lead is fit enough, and quiet long enough, to need a person's attention. */
  public boolean quietHighFit(int fitPoints) {
    return quietHighFit.on() && fitPoints >= quietHighFit.fit();
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

  /**
   * Scores an event after the ones already {@code scored} (caps count those of its day), and adds
   * it to them when it earned points. @return the points it earned
   */
  public double earn(String eventId, SeenEvent e, List<ScoredEvent> scored) {
    double points = pointsFor(e, scored);
    if (points > 0) {
      scored.add(new ScoredEvent(eventId, e.type(), e.at(), points));
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

  /**
   * A lead's score from its attributes and its events (oldest first), as a journey that saw those
   * events would score it: for enrolment without a program and for re-entry.
   */
  public Score scoreOf(ConditionContext lead) {
    List<ScoredEvent> scored = new java.util.ArrayList<>();
    for (SeenEvent e : lead.events()) {
      earn(String.valueOf(e.seq()), e, scored);
    }
    return score(fit(lead), scored, lead.now());
  }

  public Optional<EventMatch> highIntent(SeenEvent e) {
    return highIntent.stream().filter(h -> h.matches(e)).findFirst();
  }
}
