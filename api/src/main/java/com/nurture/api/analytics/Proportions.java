package com.nurture.api.analytics;

import java.util.Optional;

/**
 * Proportions and their comparison at 95% confidence (docs/analytics.md has each formula with a
 * worked example; ProportionsTest checks those numbers). Pure arithmetic: counts in, rates out.
 */
public final class Proportions {
  /** The two-sided 95% normal quantile. */
  public static final double Z = 1.959963984540054;
  /** Below this many trials in either arm a comparison says "not enough data" (docs/analytics.md). */
  public static final long MIN_SAMPLE = 100;

  public static final String NOT_ENOUGH_DATA = "not enough data";
  public static final String NO_DIFFERENCE_YET = "no difference yet";

  private Proportions() {}

  /** A 95% interval. */
  public record Interval(double low, double high) {
    public boolean above(double v) {
      return low > v;
    }

    public boolean below(double v) {
      return high < v;
    }
  }

  /** {@code x} successes of {@code n}: 0 when {@code n} is 0. */
  public static double rate(long x, long n) {
    check(x, n);
    return n == 0 ? 0 : (double) x / n;
  }

  /** Wilson score interval of one proportion; [0, 1] when {@code n} is 0. */
  public static Interval wilson(long x, long n) {
    check(x, n);
    if (n == 0) {
      return new Interval(0, 1);
    }
    double p = (double) x / n;
    double z2 = Z * Z;
    double denom = 1 + z2 / n;
    double centre = (p + z2 / (2.0 * n)) / denom;
    double half = Z / denom * Math.sqrt(p * (1 - p) / n + z2 / (4.0 * n * n));
    return new Interval(Math.max(0, centre - half), Math.min(1, centre + half));
  }

  /** Wald interval of {@code pB - pA}: d ± z·√(pA(1-pA)/nA + pB(1-pB)/nB). */
  public static Interval wald(long xA, long nA, long xB, long nB) {
    double pA = rate(xA, nA);
    double pB = rate(xB, nB);
    double d = pB - pA;
    double se = Math.sqrt((nA == 0 ? 0 : pA * (1 - pA) / nA) + (nB == 0 ? 0 : pB * (1 - pB) / nB));
    return new Interval(d - Z * se, d + Z * se);
  }

  /**
   * Newcombe's hybrid score interval (his method 10) of {@code pB - pA}, from the Wilson intervals
   * of each arm: it keeps its coverage for the small rates of email clicks, where Wald's does not.
   */
  public static Interval newcombe(long xA, long nA, long xB, long nB) {
    double pA = rate(xA, nA);
    double pB = rate(xB, nB);
    Interval a = wilson(xA, nA);
    Interval b = wilson(xB, nB);
    double d = pB - pA;
    double low = d - Math.sqrt(sq(pB - b.low()) + sq(a.high() - pA));
    double high = d + Math.sqrt(sq(b.high() - pB) + sq(pA - a.low()));
    return new Interval(low, high);
  }

  /** Relative lift of a treated arm over a control arm: pT / pC - 1, with its interval. */
  public record Lift(double lift, Interval interval) {}

  /**
   * pT / pC - 1 with the Katz log interval of the risk ratio, exp(ln RR ± z·√(1/xT - 1/nT + 1/xC -
   * 1/nC)) - 1; empty when either arm has no successes (the ratio or its interval is undefined).
   */
  public static Optional<Lift> lift(long xC, long nC, long xT, long nT) {
    check(xC, nC);
    check(xT, nT);
    if (xC == 0 || xT == 0) {
      return Optional.empty();
    }
    double rr = ((double) xT / nT) / ((double) xC / nC);
    double se = Math.sqrt(1.0 / xT - 1.0 / nT + 1.0 / xC - 1.0 / nC);
    double ln = Math.log(rr);
    return Optional.of(new Lift(rr - 1, new Interval(Math.exp(ln - Z * se) - 1, Math.exp(ln + Z * se) - 1)));
  }

  /**
   * A plain verdict on {@code pB - pA}: "not enough data" when either arm has fewer than
   * {@link #MIN_SAMPLE} trials, "{b} better" or "{a} better" when the interval of the difference
   * lies wholly above or below 0, else "no difference yet".
   */
  public static String verdict(String a, long nA, String b, long nB, Interval difference) {
    if (nA < MIN_SAMPLE || nB < MIN_SAMPLE) {
      return NOT_ENOUGH_DATA;
    }
    if (difference.above(0)) {
      return b + " better";
    }
    if (difference.below(0)) {
      return a + " better";
    }
    return NO_DIFFERENCE_YET;
  }

  private static double sq(double v) {
    return v * v;
  }

  private static void check(long x, long n) {
    if (x < 0 || n < 0 || x > n) {
      throw new IllegalArgumentException("a proportion needs 0 <= x <= n; got " + x + " of " + n);
    }
  }
}
