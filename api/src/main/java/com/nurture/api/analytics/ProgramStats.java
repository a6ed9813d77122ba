package com.nurture.api.analytics;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.nurture.activities.db.ProgramOutcomeRow;
import com.nurture.activities.db.StepStatsRow;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * GET /v1/programs/{id}/stats: per email step and variant, the A/B readout, email health, and per
 * program the MQL outcome and the holdout readout (docs/analytics.md). Built from the DAO's rows by
 * {@link #of}; the statistics themselves are {@link Proportions} and {@link EmailHealth}.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ProgramStats(String program, Integer version, Instant from, Instant to, Instant computedAt,
    String abMetric, long minimumSample, List<Step> steps, Outcome outcome, Holdout holdout) {

  /** What an A/B readout compares: the success count and its denominator. */
  public enum Metric {
    CLICK("click_rate"), OPEN("open_rate"), REPLY("reply_rate"), MQL("mql_30d_rate");

    public final String field;

    Metric(String field) {
      this.field = field;
    }

    long successes(Counts c) {
      return switch (this) {
        case CLICK -> c.humanClicks();
        case OPEN -> c.humanOpens();
        case REPLY -> c.replies();
        case MQL -> c.mql30d();
      };
    }

    long trials(Counts c) {
      return this == MQL ? c.sent() : c.delivered();
    }
  }

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Rates(double delivery, double bounce, double open, double click, double reply, double unsubscribe,
      double complaint, @JsonProperty("mql_30d") double mql30d) {}

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Counts(long entered, long sent, long delivered, long failed, long heldOut, long suppressed,
      long unknown, long bounced, long humanOpens, long machineOpens, long humanClicks, long botClicks, long replies,
      long unsubscribes, long complaints, @JsonProperty("mql_30d") long mql30d, Rates rates) {

    static Counts of(StepStatsRow r) {
      return of(r.entered(), r.sent(), r.failed(), r.heldOut(), r.suppressed(), r.unknown(), r.bounced(),
          r.humanOpens(), r.machineOpens(), r.humanClicks(), r.botClicks(), r.replies(), r.unsubscribes(),
          r.complaints(), r.mql30d());
    }

    static Counts of(long entered, long sent, long failed, long heldOut, long suppressed, long unknown, long bounced,
        long humanOpens, long machineOpens, long humanClicks, long botClicks, long replies, long unsubscribes,
        long complaints, long mql30d) {
      long delivered = sent - bounced;
      Rates rates = new Rates(Proportions.rate(delivered, sent), Proportions.rate(bounced, sent),
          Proportions.rate(humanOpens, delivered), Proportions.rate(humanClicks, delivered),
          Proportions.rate(replies, delivered), Proportions.rate(unsubscribes, delivered),
          Proportions.rate(complaints, delivered), Proportions.rate(mql30d, sent));
      return new Counts(entered, sent, delivered, failed, heldOut, suppressed, unknown, bounced, humanOpens,
          machineOpens, humanClicks, botClicks, replies, unsubscribes, complaints, mql30d, rates);
    }

    static Counts sum(List<Counts> all) {
      return of(all.stream().mapToLong(Counts::entered).sum(), all.stream().mapToLong(Counts::sent).sum(),
          all.stream().mapToLong(Counts::failed).sum(), all.stream().mapToLong(Counts::heldOut).sum(),
          all.stream().mapToLong(Counts::suppressed).sum(), all.stream().mapToLong(Counts::unknown).sum(),
          all.stream().mapToLong(Counts::bounced).sum(), all.stream().mapToLong(Counts::humanOpens).sum(),
          all.stream().mapToLong(Counts::machineOpens).sum(), all.stream().mapToLong(Counts::humanClicks).sum(),
          all.stream().mapToLong(Counts::botClicks).sum(), all.stream().mapToLong(Counts::replies).sum(),
          all.stream().mapToLong(Counts::unsubscribes).sum(), all.stream().mapToLong(Counts::complaints).sum(),
          all.stream().mapToLong(Counts::mql30d).sum());
    }
  }

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Variant(String variant, Counts counts) {}

  /** One arm of a comparison: {@code successes} of {@code trials}. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Arm(String name, long trials, long successes, double rate, Proportions.Interval interval) {
    static Arm of(String name, long successes, long trials) {
      return new Arm(name, trials, successes, Proportions.rate(successes, trials), Proportions.wilson(successes, trials));
    }
  }

  /** {@code variant} minus {@code control}: the difference of rates with its 95% Newcombe interval. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Comparison(String variant, String control, double difference, Proportions.Interval interval,
      String verdict) {}

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record AbReadout(String metric, String control, List<Arm> arms, List<Comparison> comparisons) {}

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Step(String step, Counts totals, EmailHealth.Health health, List<Variant> variants, AbReadout ab) {}

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Exit(String status, String reason, long leads) {}

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Outcome(long enrolled, long mql, double mqlRate, Double medianHoursToMql, Double p90HoursToMql,
      List<Exit> exits) {}

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Holdout(Arm nurtured, Arm heldOut, double difference, Proportions.Interval interval,
      Proportions.Lift lift, String verdict) {}

  public static ProgramStats of(String program, Integer version, Instant from, Instant to, Instant computedAt,
      Metric metric, List<StepStatsRow> rows, ProgramOutcomeRow outcome) {
    Map<String, List<StepStatsRow>> byStep = new LinkedHashMap<>();
    rows.forEach(r -> byStep.computeIfAbsent(r.stepId(), k -> new ArrayList<>()).add(r));
    List<Step> steps = new ArrayList<>();
    byStep.forEach((id, variants) -> steps.add(step(id, variants, metric)));
    return new ProgramStats(program, version, from, to, computedAt, metric.field, Proportions.MIN_SAMPLE, steps,
        outcome(outcome), holdout(outcome));
  }

  private static Step step(String id, List<StepStatsRow> rows, Metric metric) {
    List<Variant> variants = rows.stream().filter(r -> !r.variant().isEmpty())
        .map(r -> new Variant(r.variant(), Counts.of(r))).sorted(java.util.Comparator.comparing(Variant::variant)).toList();
    Counts totals = Counts.sum(rows.stream().map(Counts::of).toList());
    EmailHealth.Health health = EmailHealth.of(totals.delivered(), totals.humanOpens(), totals.humanClicks(),
        totals.unsubscribes());
    return new Step(id, totals, health, variants, variants.size() < 2 ? null : ab(variants, metric));
  }

  /** Each variant against the control: the first variant id in alphabetical order. */
  static AbReadout ab(List<Variant> variants, Metric metric) {
    Variant control = variants.get(0);
    List<Arm> arms = variants.stream()
        .map(v -> Arm.of(v.variant(), metric.successes(v.counts()), metric.trials(v.counts()))).toList();
    Arm a = arms.get(0);
    List<Comparison> comparisons = new ArrayList<>();
    for (Arm b : arms.subList(1, arms.size())) {
      Proportions.Interval d = Proportions.newcombe(a.successes(), a.trials(), b.successes(), b.trials());
      comparisons.add(new Comparison(b.name(), a.name(), b.rate() - a.rate(), d,
          Proportions.verdict(a.name(), a.trials(), b.name(), b.trials(), d)));
    }
    return new AbReadout(metric.field, control.variant(), arms, comparisons);
  }

  private static Outcome outcome(ProgramOutcomeRow o) {
    return new Outcome(o.enrolled(), o.mql(), Proportions.rate(o.mql(), o.enrolled()),
        o.medianSecondsToMql().map(s -> s / 3600).orElse(null), o.p90SecondsToMql().map(s -> s / 3600).orElse(null),
        o.exits().stream().map(e -> new Exit(e.status(), e.reason(), e.leads())).toList());
  }

  /** Nurtured against held-out leads: "nurtured better", "held out better", "no difference yet" or "not enough data". */
  static Holdout holdout(ProgramOutcomeRow o) {
    Arm nurtured = Arm.of("nurtured", o.nurturedMql(), o.nurtured());
    Arm held = Arm.of("held out", o.heldOutMql(), o.heldOut());
    Proportions.Interval d = Proportions.newcombe(held.successes(), held.trials(), nurtured.successes(),
        nurtured.trials());
    return new Holdout(nurtured, held, nurtured.rate() - held.rate(), d,
        Proportions.lift(held.successes(), held.trials(), nurtured.successes(), nurtured.trials()).orElse(null),
        Proportions.verdict(held.name(), held.trials(), nurtured.name(), nurtured.trials(), d));
  }
}
