package com.nurture.api.analytics;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/**
 * Credits a conversion's amount to the touches before it (docs/analytics.md, "Revenue
 * attribution"): first-touch, last-touch, linear and time-decay. Credits are whole minor units
 * (cents) that add up to the amount exactly: each touch gets the floor of its exact share, and the
 * cents left over go one each to the touches with the largest fractions (on equal fractions, the
 * earlier touch).
 */
public final class RevenueAttribution {
  /** How far before the conversion a touch still counts. */
  public static final Duration LOOKBACK = Duration.ofDays(90);
  /** Time decay: a touch this much older than another gets half its weight. */
  public static final Duration HALF_LIFE = Duration.ofDays(7);

  public enum Model {
    FIRST_TOUCH, LAST_TOUCH, LINEAR, TIME_DECAY
  }

  /** What the lead did with an email of ours: it was sent, first opened (human), first clicked. */
  public enum Kind {
    SENT, OPENED, CLICKED
  }

  /** One touch: an email of a program's step and variant, and when. */
  public record Touch(String program, String step, String variant, Instant at, Kind kind) {}

  /** The order touches are credited in: by time, then kind, program, step and variant. */
  public static final Comparator<Touch> ORDER = Comparator.comparing(Touch::at).thenComparing(Touch::kind)
      .thenComparing(Touch::program).thenComparing(Touch::step).thenComparing(Touch::variant);

  private RevenueAttribution() {}

  /**
   * The credit of each touch in minor units, in the order of {@code touches} (sorted by
   * {@link #ORDER}), adding up to {@code amount}; empty when there are no touches (the amount is
   * unattributed).
   */
  public static long[] credit(Model model, Instant convertedAt, long amount, List<Touch> touches) {
    return allocate(amount, weights(model, convertedAt, touches));
  }

  /**
   * Each touch's weight: first-touch 1 for the touches at the earliest time (ties share), last-touch
   * 1 for those at the latest, linear 1 each, time decay 2^(-age / half-life), age = conversion time
   * minus touch time.
   */
  static double[] weights(Model model, Instant convertedAt, List<Touch> touches) {
    double[] w = new double[touches.size()];
    if (touches.isEmpty()) {
      return w;
    }
    Instant first = touches.stream().map(Touch::at).min(Comparator.naturalOrder()).orElseThrow();
    Instant last = touches.stream().map(Touch::at).max(Comparator.naturalOrder()).orElseThrow();
    double halfLife = HALF_LIFE.toMillis();
    for (int i = 0; i < w.length; i++) {
      Instant at = touches.get(i).at();
      w[i] = switch (model) {
        case FIRST_TOUCH -> at.equals(first) ? 1 : 0;
        case LAST_TOUCH -> at.equals(last) ? 1 : 0;
        case LINEAR -> 1;
        case TIME_DECAY -> Math.pow(2, -Duration.between(at, convertedAt).toMillis() / halfLife);
      };
    }
    return w;
  }

  /** {@code amount} split in proportion to {@code weights}, in whole units (largest remainder). */
  static long[] allocate(long amount, double[] weights) {
    long[] out = new long[weights.length];
    double total = 0;
    for (double w : weights) {
      total += w;
    }
    if (weights.length == 0 || total <= 0) {
      return out;
    }
    double[] fraction = new double[weights.length];
    long given = 0;
    for (int i = 0; i < weights.length; i++) {
      double exact = amount * (weights[i] / total);
      out[i] = (long) Math.floor(exact);
      fraction[i] = exact - out[i];
      given += out[i];
    }
    for (long left = amount - given; left > 0; left--) {
      int best = -1;
      for (int i = 0; i < weights.length; i++) {
        if (weights[i] > 0 && (best < 0 || fraction[i] > fraction[best])) {
          best = i;
        }
      }
      if (best < 0) {
        break;
      }
      out[best]++;
      fraction[best] = -1;
    }
    return out;
  }
}
