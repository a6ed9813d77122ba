package com.nurture.api.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nurture.activities.db.ConversionTouchRow;
import com.nurture.api.analytics.RevenueAttribution.Kind;
import com.nurture.api.analytics.RevenueAttribution.Model;
import com.nurture.api.analytics.RevenueAttribution.Touch;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The worked examples of docs/analytics.md, "Revenue attribution". */
class RevenueAttributionTest {
  private static final Instant T = Instant.parse("2026-10-11T00:00:00Z");

  private static Touch touch(String step, String variant, int daysBefore, Kind kind) {
    return new Touch("p", step, variant, T.minus(Duration.ofDays(daysBefore)), kind);
  }

  /** 1000.00 after welcome (sent 10 days before, opened 9) and subject b (sent 3 days before, clicked 2). */
  private static final List<Touch> JOURNEY = List.of(touch("welcome", "", 10, Kind.SENT),
      touch("welcome", "", 9, Kind.OPENED), touch("subject", "b", 3, Kind.SENT), touch("subject", "b", 2, Kind.CLICKED));

  @Test
  void eachModelSplitsTheWorkedExampleAsWorkedByHand() {
    assertThat(RevenueAttribution.credit(Model.FIRST_TOUCH, T, 100_000, JOURNEY)).containsExactly(100_000, 0, 0, 0);
    assertThat(RevenueAttribution.credit(Model.LAST_TOUCH, T, 100_000, JOURNEY)).containsExactly(0, 0, 0, 100_000);
    assertThat(RevenueAttribution.credit(Model.LINEAR, T, 100_000, JOURNEY)).containsExactly(25_000, 25_000, 25_000, 25_000);
    // weights 2^(-10/7) = 0.371499, 2^(-9/7) = 0.410168, 2^(-3/7) = 0.742997, 2^(-2/7) = 0.820335, sum 2.344999:
    // exact shares 15842.165, 17491.168, 31684.330, 34982.337 cents; floors leave 1 cent, to the largest fraction
    assertThat(RevenueAttribution.weights(Model.TIME_DECAY, T, JOURNEY)[0]).isCloseTo(0.371499, org.assertj.core.data.Offset.offset(1e-6));
    assertThat(RevenueAttribution.credit(Model.TIME_DECAY, T, 100_000, JOURNEY)).containsExactly(15_842, 17_491, 31_684, 34_983);
  }

  @Test
  void touchesAtTheSameTimeShareAndTheLeftOverCentGoesToTheEarlierInOrder() {
    List<Touch> tied = List.of(touch("a", "", 5, Kind.SENT), touch("b", "", 5, Kind.SENT), touch("c", "", 1, Kind.SENT));
    assertThat(RevenueAttribution.credit(Model.FIRST_TOUCH, T, 10_000, tied)).containsExactly(5_000, 5_000, 0);
    assertThat(RevenueAttribution.credit(Model.LAST_TOUCH, T, 10_000, tied)).containsExactly(0, 0, 10_000);
    // 100.00 over three: 33.34, 33.33, 33.33
    assertThat(RevenueAttribution.credit(Model.LINEAR, T, 10_000, tied)).containsExactly(3_334, 3_333, 3_333);
    List<Touch> allAtOnce = List.of(touch("a", "", 5, Kind.SENT), touch("b", "", 5, Kind.SENT), touch("c", "", 5, Kind.SENT));
    assertThat(RevenueAttribution.credit(Model.FIRST_TOUCH, T, 10_000, allAtOnce)).containsExactly(3_334, 3_333, 3_333);
    assertThat(RevenueAttribution.credit(Model.TIME_DECAY, T, 10_000, allAtOnce)).containsExactly(3_334, 3_333, 3_333);
  }

  @Test
  void aConversionWithNoTouchIsCreditedToNothingAndCountsAsUnattributed() {
    for (Model m : Model.values()) {
      assertThat(RevenueAttribution.credit(m, T, 10_000, List.of())).isEmpty();
    }
    ConversionTouchRow lone = new ConversionTouchRow("l", "c1", T, Optional.of("250.00"), Optional.of("EUR"), Optional.empty());
    Revenue all = Revenue.of(Optional.empty(), T.minusSeconds(60), T.plusSeconds(60), Duration.ofDays(90), T, List.of(lone));
    assertThat(all.totals()).singleElement().satisfies(t -> {
      assertThat(t.currency()).isEqualTo("EUR");
      assertThat(t.revenue()).isEqualByComparingTo("250.00");
      assertThat(t.unattributed()).isEqualByComparingTo("250.00");
      assertThat(t.credited().linear()).isEqualByComparingTo("0");
    });
    assertThat(all.credits()).isEmpty();
  }

  @Test
  void aProgramIsCreditedOnlyItsShareOfAConversionOtherProgramsTouchedToo() {
    List<ConversionTouchRow> rows = List.of(
        row("p", "welcome", "", 10, "sent"), row("p", "welcome", "", 9, "opened"),
        row("q", "offer", "", 3, "sent"), row("q", "offer", "", 2, "clicked"),
        new ConversionTouchRow("m", "c2", T, Optional.of("5"), Optional.of("USD"), Optional.empty()),
        new ConversionTouchRow("n", "c3", T, Optional.empty(), Optional.empty(), Optional.empty()));
    Revenue p = Revenue.of(Optional.of("p"), T.minusSeconds(60), T.plusSeconds(60), Duration.ofDays(90), T, rows);
    assertThat(p.conversionsWithoutAmount()).isEqualTo(1);
    assertThat(p.totals()).singleElement().satisfies(t -> {
      assertThat(t.conversions()).as("the USD conversion touched nothing of p").isEqualTo(1);
      assertThat(t.revenue()).isEqualByComparingTo("1000.00");
      assertThat(t.unattributed()).isNull();
      assertThat(t.credited().firstTouch()).isEqualByComparingTo("1000.00");
      assertThat(t.credited().lastTouch()).isEqualByComparingTo("0.00");
      assertThat(t.credited().linear()).isEqualByComparingTo("500.00");
      assertThat(t.credited().timeDecay()).isEqualByComparingTo("333.33");
    });
    assertThat(p.credits()).singleElement().satisfies(c -> {
      assertThat(c.step()).isEqualTo("welcome");
      assertThat(c.touches()).isEqualTo(2);
    });
    Revenue all = Revenue.of(Optional.empty(), T.minusSeconds(60), T.plusSeconds(60), Duration.ofDays(90), T, rows);
    assertThat(all.credits()).extracting(Revenue.Credit::program, c -> c.credit().timeDecay())
        .containsExactly(org.assertj.core.groups.Tuple.tuple("p", new BigDecimal("333.33")),
            org.assertj.core.groups.Tuple.tuple("q", new BigDecimal("666.67")));
  }

  private static ConversionTouchRow row(String program, String step, String variant, int daysBefore, String kind) {
    return new ConversionTouchRow("l", "c1", T, Optional.of("1000"), Optional.of("EUR"), Optional.of(
        new ConversionTouchRow.Touch(program, step, variant, T.minus(Duration.ofDays(daysBefore)), kind)));
  }

  @Test
  void amountsAreDecimalsInTheCurrencysMajorUnitHeldInMinorUnits() {
    assertThat(ConversionAmount.of(Map.of("amount", "1200.50", "currency", "usd")))
        .contains(new ConversionAmount("USD", 120_050));
    assertThat(ConversionAmount.of(Map.of("amount", 1200, "currency", "JPY"))).contains(new ConversionAmount("JPY", 1200));
    assertThat(ConversionAmount.of(Map.of("amount", 99.9, "currency", "EUR"))).contains(new ConversionAmount("EUR", 9990));
    assertThat(ConversionAmount.of(Map.of("plan", "pro"))).isEmpty();
    Map<Map<String, Object>, String> refused = Map.of(
        Map.of("amount", "12.345", "currency", "USD"), "amount",
        Map.of("amount", "1.5", "currency", "JPY"), "amount",
        Map.of("amount", "-5", "currency", "USD"), "amount",
        Map.of("amount", "0", "currency", "USD"), "amount",
        Map.of("amount", "lots", "currency", "USD"), "amount",
        Map.of("amount", "10"), "currency",
        Map.of("amount", "10", "currency", "XYZ"), "currency",
        Map.of("currency", "USD"), "amount");
    refused.forEach((properties, field) -> assertThatThrownBy(() -> ConversionAmount.of(properties)).as("%s", properties)
        .isInstanceOfSatisfying(ConversionAmount.RefusedAmount.class, e -> assertThat(e.refusal().property()).isEqualTo(field)));
  }
}
