package com.nurture.api.console.programs;

import static org.assertj.core.api.Assertions.assertThat;

import com.nurture.api.representations.SimulationResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PreviewReportTest {
  private static final Instant START = Instant.parse("2026-03-03T09:00:00Z");

  @Test
  void daysAreCountedFromTheStartAndDetailsReadAsKeyValuePairsInKeyOrder() {
    SimulationResponse r = new SimulationResponse("demo@0", START, "HANDED_OFF", null, 12,
        List.of(new SimulationResponse.Item(START, 0, "enrolled", Map.of()),
            new SimulationResponse.Item(START.plusSeconds(3 * 86400), 3, "email_sent",
                Map.of("template", "case-study", "step", "case-study")),
            new SimulationResponse.Item(START.plusSeconds(388800), 4.5, "handed_off", Map.of("reason", "clicked"))),
        List.of(new SimulationResponse.Score(START.plusSeconds(388800), 4.5, "sim-1", 35)),
        START.plusSeconds(388800));

    PreviewReport report = PreviewReport.of(r);
    assertThat(report.timeline()).extracting(PreviewReport.Row::day).containsExactly("0", "3", "4.5");
    assertThat(report.timeline().get(1).detail()).isEqualTo("step: case-study, template: case-study");
    assertThat(report.timeline().get(0).detail()).isEmpty();
    assertThat(report.scores()).singleElement().satisfies(s -> {
      assertThat(s.day()).isEqualTo("4.5");
      assertThat(s.total()).isEqualTo(35);
    });
    assertThat(report.handedOff()).isTrue();
    assertThat(report.handedOffDay()).isEqualTo("4.5");
    assertThat(report.exitReason()).isEmpty();
  }

  @Test
  void aLeadNeverHandedOffHasNoHandOffDay() {
    PreviewReport report = PreviewReport.of(new SimulationResponse("demo@0", START, "COMPLETED", "nurtured", 1,
        List.of(), List.of(), null));
    assertThat(report.handedOff()).isFalse();
    assertThat(PreviewReport.day(0.04)).isEqualTo("0");
    assertThat(PreviewReport.day(10.25)).isEqualTo("10.3");
  }
}
