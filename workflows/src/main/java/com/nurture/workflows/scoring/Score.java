package com.nurture.workflows.scoring;

/** A lead's score now: fit (who they are) + engagement (what they did, decayed) = total; 7-day velocity. */
public record Score(int fit, int engagement, int total, int velocity) {
  public static final Score NONE = new Score(0, 0, 0, 0);

  /** A score by the name conditions use: fit, engagement, velocity, or total (any other name). */
  public double named(String name) {
    return switch (name) {
      case "fit" -> fit;
      case "engagement" -> engagement;
      case "velocity" -> velocity;
      default -> total;
    };
  }
}
