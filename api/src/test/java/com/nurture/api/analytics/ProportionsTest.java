package com.nurture.api.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Each formula against the worked examples in docs/analytics.md (numbers worked by hand, to 4 places). */
class ProportionsTest {
  private static final org.assertj.core.data.Offset<Double> E = within(0.00005);

  @Test
  void wilsonIntervalOfOneArm() {
    // A: 20 clicks of 400 delivered, p = 0.05, z² = 3.8415, 1 + z²/n = 1.00960
    // centre = (0.05 + 3.8415/800) / 1.00960 = 0.054281; half = 1.94132 * √(0.00011875 + 0.0000060023) = 0.021683
    Proportions.Interval a = Proportions.wilson(20, 400);
    assertThat(a.low()).isCloseTo(0.0326, E);
    assertThat(a.high()).isCloseTo(0.0760, E);
    Proportions.Interval b = Proportions.wilson(40, 400);
    assertThat(b.low()).isCloseTo(0.0743, E);
    assertThat(b.high()).isCloseTo(0.1333, E);
    assertThat(Proportions.wilson(0, 0)).isEqualTo(new Proportions.Interval(0, 1));
    assertThat(Proportions.wilson(0, 50).low()).as("never below 0").isEqualTo(0.0);
  }

  @Test
  void waldIntervalOfTheDifference() {
    // d = 0.10 - 0.05 = 0.05; se = √(0.05·0.95/400 + 0.10·0.90/400) = √0.00034375 = 0.018540
    // 0.05 ± 1.96 · 0.018540 = 0.05 ± 0.036339
    Proportions.Interval d = Proportions.wald(20, 400, 40, 400);
    assertThat(d.low()).isCloseTo(0.0137, E);
    assertThat(d.high()).isCloseTo(0.0863, E);
  }

  @Test
  void newcombeIntervalOfTheDifference() {
    // low  = 0.05 - √((0.10 - 0.07430)² + (0.07596 - 0.05)²) = 0.05 - 0.036533 = 0.013467
    // high = 0.05 + √((0.13331 - 0.10)² + (0.05 - 0.03260)²) = 0.05 + 0.037582 = 0.087582
    Proportions.Interval d = Proportions.newcombe(20, 400, 40, 400);
    assertThat(d.low()).isCloseTo(0.0135, E);
    assertThat(d.high()).isCloseTo(0.0876, E);
    // 5.0% vs 6.0% of 600 each: the interval spans 0
    Proportions.Interval close = Proportions.newcombe(30, 600, 36, 600);
    assertThat(close.low()).isCloseTo(-0.0162, E);
    assertThat(close.high()).isCloseTo(0.0364, E);
  }

  @Test
  void verdicts() {
    assertThat(Proportions.verdict("a", 400, "b", 400, Proportions.newcombe(20, 400, 40, 400))).isEqualTo("b better");
    assertThat(Proportions.verdict("a", 400, "b", 400, Proportions.newcombe(40, 400, 20, 400))).isEqualTo("a better");
    assertThat(Proportions.verdict("a", 600, "b", 600, Proportions.newcombe(30, 600, 36, 600)))
        .isEqualTo("no difference yet");
    // 3 of 60 vs 12 of 60 would be "b better" on its interval, but 60 < 100 sends per variant
    assertThat(Proportions.newcombe(3, 60, 12, 60).low()).isGreaterThan(0);
    assertThat(Proportions.verdict("a", 60, "b", 60, Proportions.newcombe(3, 60, 12, 60))).isEqualTo("not enough data");
    assertThat(Proportions.verdict("a", 99, "b", 500, Proportions.newcombe(0, 99, 100, 500))).isEqualTo("not enough data");
    assertThat(Proportions.verdict("a", 100, "b", 100, Proportions.newcombe(0, 100, 50, 100))).isEqualTo("b better");
  }

  @Test
  void liftWithTheKatzLogInterval() {
    // held out: 16 MQL of 200 (8%); nurtured: 120 of 1000 (12%); lift = 0.12 / 0.08 - 1 = 0.5
    // se(ln RR) = √(1/120 - 1/1000 + 1/16 - 1/200) = √0.0648333 = 0.254624
    // exp(ln 1.5 ± 1.96 · 0.254624) - 1 = exp(0.405465 ± 0.499054) - 1 = [-0.0893, 1.4707]
    Proportions.Lift lift = Proportions.lift(16, 200, 120, 1000).orElseThrow();
    assertThat(lift.lift()).isCloseTo(0.5, E);
    assertThat(lift.interval().low()).isCloseTo(-0.0893, E);
    assertThat(lift.interval().high()).isCloseTo(1.4707, E);
    // the same rates on 5x the leads: se = 0.113871, [0.2000, 0.8751] lies above 0
    Proportions.Lift bigger = Proportions.lift(80, 1000, 600, 5000).orElseThrow();
    assertThat(bigger.interval().low()).isCloseTo(0.2000, E);
    assertThat(bigger.interval().high()).isCloseTo(0.8751, E);
    assertThat(Proportions.lift(0, 200, 120, 1000)).as("no held-out MQL: no ratio").isEmpty();
  }

  @Test
  void ratesRefuseImpossibleCounts() {
    assertThat(Proportions.rate(0, 0)).isEqualTo(0.0);
    assertThat(Proportions.rate(1, 4)).isEqualTo(0.25);
    assertThatThrownBy(() -> Proportions.rate(5, 4)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Proportions.wilson(-1, 4)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void emailHealthAgainstTheB2bBenchmarks() {
    // 1000 delivered: opens 180 (18% < 20%), clicks 35 (3.5%, inside 2-5%), unsubscribes 7 (0.7% >= 0.5%)
    EmailHealth.Health h = EmailHealth.of(1000, 180, 35, 7);
    assertThat(h.status()).isEqualTo("flagged");
    assertThat(h.flags()).containsExactly(
        new EmailHealth.Flag("open_rate", 0.18, "below", "B2B average open rate 20-30%"),
        new EmailHealth.Flag("unsubscribe_rate", 0.007, "above", "B2B unsubscribe rate under 0.5% per email"));
    assertThat(EmailHealth.of(1000, 250, 20, 4).status()).as("25%, 2.0%, 0.4%: inside every range").isEqualTo("ok");
    assertThat(EmailHealth.of(1000, 310, 51, 5).flags()).extracting(EmailHealth.Flag::metric)
        .containsExactly("open_rate", "click_rate", "unsubscribe_rate");
    assertThat(EmailHealth.of(99, 0, 0, 50)).isEqualTo(new EmailHealth.Health("not enough data", List.of()));
  }
}
