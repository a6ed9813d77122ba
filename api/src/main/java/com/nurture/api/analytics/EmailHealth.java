package com.nurture.api.analytics;

import java.util.ArrayList;
import java.util.List;

/**
 * One email step's rates against the B2B benchmarks operators compare with (DOMAIN.md
 * "Measurement"): opens 20-30%, clicks 2-5%, unsubscribes under 0.5% per email, each over
 * delivered emails. A step with fewer than {@link #MIN_DELIVERED} delivered emails is not judged.
 */
public final class EmailHealth {
  /** Delivered emails a step needs before its rates are compared with the benchmarks. */
  public static final long MIN_DELIVERED = 100;

  /** A benchmark range [low, high) of a rate; {@code name} is what an operator reads. */
  public record Benchmark(String metric, double low, double high, String name) {}

  public static final Benchmark OPENS = new Benchmark("open_rate", 0.20, 0.30, "B2B average open rate 20-30%");
  public static final Benchmark CLICKS = new Benchmark("click_rate", 0.02, 0.05, "B2B average click rate 2-5%");
  public static final Benchmark UNSUBSCRIBES =
      new Benchmark("unsubscribe_rate", 0, 0.005, "B2B unsubscribe rate under 0.5% per email");

  /** A rate outside its benchmark: {@code direction} "below" or "above" the range. */
  public record Flag(String metric, double rate, String direction, String benchmark) {}

  /** A step's health: "not enough data", "ok", or "flagged" with its flags. */
  public record Health(String status, List<Flag> flags) {}

  private EmailHealth() {}

  public static Health of(long delivered, long humanOpens, long humanClicks, long unsubscribes) {
    if (delivered < MIN_DELIVERED) {
      return new Health(Proportions.NOT_ENOUGH_DATA, List.of());
    }
    List<Flag> flags = new ArrayList<>();
    check(OPENS, Proportions.rate(humanOpens, delivered)).ifPresent(flags::add);
    check(CLICKS, Proportions.rate(humanClicks, delivered)).ifPresent(flags::add);
    double unsubscribed = Proportions.rate(unsubscribes, delivered);
    if (unsubscribed >= UNSUBSCRIBES.high()) {
      flags.add(new Flag(UNSUBSCRIBES.metric(), unsubscribed, "above", UNSUBSCRIBES.name()));
    }
    return new Health(flags.isEmpty() ? "ok" : "flagged", List.copyOf(flags));
  }

  private static java.util.Optional<Flag> check(Benchmark b, double rate) {
    if (rate < b.low()) {
      return java.util.Optional.of(new Flag(b.metric(), rate, "below", b.name()));
    }
    if (rate > b.high()) {
      return java.util.Optional.of(new Flag(b.metric(), rate, "above", b.name()));
    }
    return java.util.Optional.empty();
  }
}
