package com.nurture.api.console.programs;

import com.nurture.api.analytics.ProgramStats;
import com.nurture.api.analytics.Proportions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A program's readouts as the console shows them (docs/analytics.md): each A/B comparison of a
 * step with variants, the holdout (nurtured against held out) and the MQL outcome, with rates and
 * intervals as percentages and each verdict as a message key plus the arm it favours.
 */
public record ProgramReadouts(List<Comparison> comparisons, Holdout holdout, Outcome outcome) {

  /** {@code key}: not_enough_data, no_difference_yet or better (then {@code winner} names the arm). */
  public record Verdict(String key, String winner) {}

  public record Comparison(String step, String metric, String control, String controlRate, long controlTrials,
      String variant, String variantRate, long variantTrials, String difference, String interval, Verdict verdict) {}

  public record Holdout(String nurturedRate, long nurtured, String heldOutRate, long heldOut, String difference,
      String interval, String lift, String liftInterval, Verdict verdict) {}

  public record Outcome(long enrolled, long mql, String mqlRate, String medianHours, String p90Hours,
      List<Exit> exits) {}

  public record Exit(String status, String reason, long leads) {}

  public static ProgramReadouts of(ProgramStats stats) {
    List<Comparison> comparisons = new ArrayList<>();
    for (ProgramStats.Step step : stats.steps()) {
      if (step.ab() == null) {
        continue;
      }
      ProgramStats.Arm control = step.ab().arms().get(0);
      for (ProgramStats.Comparison c : step.ab().comparisons()) {
        ProgramStats.Arm arm = step.ab().arms().stream().filter(a -> a.name().equals(c.variant())).findFirst()
            .orElseThrow();
        comparisons.add(new Comparison(step.step(), step.ab().metric(), control.name(), percent(control.rate()),
            control.trials(), arm.name(), percent(arm.rate()), arm.trials(), points(c.difference()),
            interval(c.interval()), verdict(c.verdict())));
      }
    }
    ProgramStats.Holdout h = stats.holdout();
    Holdout holdout = new Holdout(percent(h.nurtured().rate()), h.nurtured().trials(), percent(h.heldOut().rate()),
        h.heldOut().trials(), points(h.difference()), interval(h.interval()),
        h.lift() == null ? "–" : signedPercent(h.lift().lift()),
        h.lift() == null ? "–" : "[" + signedPercent(h.lift().interval().low()) + ", "
            + signedPercent(h.lift().interval().high()) + "]",
        verdict(h.verdict()));
    ProgramStats.Outcome o = stats.outcome();
    Outcome outcome = new Outcome(o.enrolled(), o.mql(), percent(o.mqlRate()), hours(o.medianHoursToMql()),
        hours(o.p90HoursToMql()), o.exits().stream().map(e -> new Exit(e.status(), e.reason(), e.leads())).toList());
    return new ProgramReadouts(List.copyOf(comparisons), holdout, outcome);
  }

  /** "not enough data", "no difference yet", "{arm} better" (Proportions.verdict) as a key and an arm. */
  static Verdict verdict(String verdict) {
    if (Proportions.NOT_ENOUGH_DATA.equals(verdict)) {
      return new Verdict("not_enough_data", "");
    }
    if (verdict.endsWith(" better")) {
      return new Verdict("better", verdict.substring(0, verdict.length() - " better".length()));
    }
    return new Verdict("no_difference_yet", "");
  }

  static String percent(double rate) {
    return String.format(Locale.ROOT, "%.1f%%", rate * 100);
  }

  /** A difference of rates in percentage points, signed. */
  static String points(double difference) {
    return String.format(Locale.ROOT, "%+.1f pp", difference * 100);
  }

  static String signedPercent(double rate) {
    return String.format(Locale.ROOT, "%+.1f%%", rate * 100);
  }

  static String interval(Proportions.Interval i) {
    return String.format(Locale.ROOT, "[%+.1f, %+.1f] pp", i.low() * 100, i.high() * 100);
  }

  private static String hours(Double h) {
    return h == null ? "–" : String.format(Locale.ROOT, "%.1f h", h);
  }
}
