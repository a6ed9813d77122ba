package com.nurture.api.console.programs;

import static org.assertj.core.api.Assertions.assertThat;

import com.nurture.activities.db.ExitCountRow;
import com.nurture.activities.db.ProgramOutcomeRow;
import com.nurture.activities.db.StepStatsRow;
import com.nurture.api.analytics.ProgramStats;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The worked examples of docs/analytics.md, as the console shows them. */
class ProgramReadoutsTest {
  private static StepStatsRow clicks(String variant, long delivered, long clicks) {
    return new StepStatsRow("case-study", variant, delivered, delivered, 0, 0, 0, 0, 0, 0, 0, clicks, 0, 0, 0, 0, 0);
  }

  @Test
  void theAbComparisonAndTheHoldoutReadAsPercentagesWithTheirVerdicts() {
    ProgramStats stats = ProgramStats.of("p", null, Instant.EPOCH, Instant.EPOCH.plusSeconds(1), Instant.EPOCH,
        ProgramStats.Metric.CLICK, List.of(clicks("a", 400, 20), clicks("b", 400, 40)),
        new ProgramOutcomeRow(1200, 136, Optional.of(96 * 3600d), Optional.of(787.2 * 3600), 1000, 120, 200, 16,
            List.of(new ExitCountRow("COMPLETED", "nurtured", 7))));

    ProgramReadouts r = ProgramReadouts.of(stats);
    assertThat(r.comparisons()).singleElement().satisfies(c -> {
      assertThat(c.step()).isEqualTo("case-study");
      assertThat(c.controlRate()).isEqualTo("5.0%");
      assertThat(c.variantRate()).isEqualTo("10.0%");
      assertThat(c.difference()).isEqualTo("+5.0 pp");
      assertThat(c.interval()).isEqualTo("[+1.3, +8.8] pp"); // Newcombe [0.0135, 0.0876], 0.01348 to a tenth of a point
      assertThat(c.verdict()).isEqualTo(new ProgramReadouts.Verdict("better", "b"));
    });
    assertThat(r.holdout().nurturedRate()).isEqualTo("12.0%");
    assertThat(r.holdout().heldOutRate()).isEqualTo("8.0%");
    assertThat(r.holdout().lift()).isEqualTo("+50.0%");
    assertThat(r.holdout().liftInterval()).isEqualTo("[-8.9%, +147.1%]"); // Katz [-0.0893, 1.4707]
    assertThat(r.holdout().verdict().key()).isEqualTo("no_difference_yet");
    assertThat(r.outcome().mqlRate()).isEqualTo("11.3%");
    assertThat(r.outcome().medianHours()).isEqualTo("96.0 h");
    assertThat(r.outcome().p90Hours()).isEqualTo("787.2 h");
    assertThat(r.outcome().exits()).extracting(ProgramReadouts.Exit::reason).containsExactly("nurtured");
  }

  @Test
  void verdictsBecomeKeys() {
    assertThat(ProgramReadouts.verdict("not enough data").key()).isEqualTo("not_enough_data");
    assertThat(ProgramReadouts.verdict("held out better")).isEqualTo(new ProgramReadouts.Verdict("better", "held out"));
    assertThat(ProgramReadouts.verdict("no difference yet").key()).isEqualTo("no_difference_yet");
  }
}
