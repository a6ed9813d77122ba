package com.nurture.workflows.program;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationTextTest {
  @Test
  void readsTheShortFormsPeopleWrite() {
    assertThat(DurationText.parse("3d")).isEqualTo(Duration.ofDays(3));
    assertThat(DurationText.parse("12h")).isEqualTo(Duration.ofHours(12));
    assertThat(DurationText.parse("1d12h")).isEqualTo(Duration.ofHours(36));
    assertThat(DurationText.parse("2w")).isEqualTo(Duration.ofDays(14));
    assertThat(DurationText.parse(" 90m ")).isEqualTo(Duration.ofMinutes(90));
    assertThat(DurationText.parse("45s")).isEqualTo(Duration.ofSeconds(45));
    assertThat(DurationText.parse("PT36H")).isEqualTo(Duration.ofHours(36));
  }

  @Test
  void rejectsWhatIsNotADuration() {
    assertThatThrownBy(() -> DurationText.parse("3 days")).hasMessageContaining("'3 days' is not a duration");
    assertThatThrownBy(() -> DurationText.parse("d3")).hasMessageContaining("not a duration");
    assertThatThrownBy(() -> DurationText.parse("")).hasMessageContaining("required");
    assertThatThrownBy(() -> DurationText.parse("P3X")).hasMessageContaining("not a duration");
    assertThatThrownBy(() -> DurationText.parse("3 weeks")).hasMessage("'3 weeks' is not a duration; write e.g. 3d, 12h or 1d12h");
    assertThatThrownBy(() -> DurationText.parse("5")).hasMessageContaining("'5' is not a duration");
  }

  @Test
  void refusesNegativeAndOverflowingDurationsWithAMessageNotACrash() {
    assertThatThrownBy(() -> DurationText.parse("-PT5H")).hasMessage("'-PT5H' is negative; a duration is zero or longer");
    assertThatThrownBy(() -> DurationText.parse("PT-5H")).hasMessageContaining("is negative");
    assertThatThrownBy(() -> DurationText.parse("99999999999999999999d")).hasMessageContaining("is not a duration");
    assertThatThrownBy(() -> DurationText.parse("9000000000000000w")).hasMessageContaining("is not a duration");
    assertThat(DurationText.parse("0s")).isZero();
  }

  @Test
  void formatsTheShortestForm() {
    assertThat(DurationText.format(Duration.ofHours(36))).isEqualTo("1d12h");
    assertThat(DurationText.format(Duration.ofDays(3))).isEqualTo("3d");
    assertThat(DurationText.format(Duration.ofSeconds(90))).isEqualTo("1m30s");
    assertThat(DurationText.parse(DurationText.format(Duration.ofMinutes(3001)))).isEqualTo(Duration.ofMinutes(3001));
  }
}
