package com.nurture.workflows.scoring;

import com.nurture.workflows.condition.SeenEvent;
import com.nurture.workflows.program.EventMatch;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Track assignment by fit x engagement (DOMAIN.md "Segmentation"): each axis is low, medium or
 * high by two bands of points, and the matrix names the program for each of the nine quadrants.
 * Pure, so the API (enrolment, re-entry) and the journey (moving a lead whose quadrant changed)
 * decide alike.
 *
 * @param fitBands fit points at which a lead is medium, then high fit
 * @param engagementBands engagement points at which a lead is medium, then high engaged
 * @param programs "fit/engagement" (e.g. "high/low") to a program id
 * @param reassign move a lead whose quadrant changes to that quadrant's track at the next step boundary
 * @param reentryOn the events that show renewed interest: a recycled lead re-enters on one of them
 * @param afterRejection where a lead sales rejected goes: {@link #RESUME} (where it stopped),
 *     {@link #MATRIX} (its quadrant's track now) or a program id
 */
public record Tracks(Bands fitBands, Bands engagementBands, Map<String, String> programs, boolean reassign,
    List<EventMatch> reentryOn, String afterRejection) {
  public static final String RESUME = "resume";
  public static final String MATRIX = "matrix";
  /** No matrix: enrolment must name a program, nothing moves, only triggers re-enter. */
  public static final Tracks NONE = new Tracks(new Bands(0, 0), new Bands(0, 0), Map.of(), false, List.of(), RESUME);

  public Tracks {
    programs = Map.copyOf(programs);
    reentryOn = List.copyOf(reentryOn);
    afterRejection = afterRejection == null || afterRejection.isBlank() ? RESUME : afterRejection;
  }

  /** The program a rejected lead continues on, or empty to resume where it stopped. */
  public Optional<String> programAfterRejection(Score score) {
    return switch (afterRejection) {
      case RESUME -> Optional.empty();
      case MATRIX -> on() ? programFor(quadrant(score)) : Optional.empty();
      default -> Optional.of(afterRejection);
    };
  }

  public enum Level {
    LOW, MEDIUM, HIGH;

    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Points at which an axis is medium, then high. */
  public record Bands(int medium, int high) {
    Level levelOf(int points) {
      return points >= high ? Level.HIGH : points >= medium ? Level.MEDIUM : Level.LOW;
    }
  }

  /** A cell of the matrix. */
  public record Quadrant(Level fit, Level engagement) {
    /** "high/low": the matrix key, and how the timeline names it. */
    public String key() {
      return fit.wireName() + "/" + engagement.wireName();
    }

    public String describe() {
      return fit.wireName() + " fit, " + engagement.wireName() + " engagement";
    }
  }

  public boolean on() {
    return !programs.isEmpty();
  }

  public Quadrant quadrant(Score score) {
    return new Quadrant(fitBands.levelOf(score.fit()), engagementBands.levelOf(score.engagement()));
  }

  /** The program for a quadrant; empty when the matrix is off. */
  public Optional<String> programFor(Quadrant q) {
    return Optional.ofNullable(programs.get(q.key()));
  }

  /** Whether the event shows the renewed interest that brings a recycled lead back. */
  public boolean showsRenewedInterest(SeenEvent e) {
    return reentryOn.stream().anyMatch(r -> r.matches(e));
  }
}
