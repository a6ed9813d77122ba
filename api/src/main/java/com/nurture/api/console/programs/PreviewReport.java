package com.nurture.api.console.programs;

import com.nurture.api.representations.SimulationResponse;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * A preview as the editor shows it: the journey's timeline for the imagined lead (day, what
 * happened, its details in one line), the score after each scored event, how it ended and when the
 * lead would be handed to sales.
 */
public record PreviewReport(String program, String finalStatus, String exitReason, String handedOffDay,
    List<Row> timeline, List<ScoreRow> scores) {

  public record Row(String day, String kind, String detail) {}

  public record ScoreRow(String day, String event, int total) {}

  public boolean handedOff() {
    return !handedOffDay.isEmpty();
  }

  public static PreviewReport of(SimulationResponse r) {
    List<Row> rows = r.timeline().stream().map(i -> new Row(day(i.day()), i.kind(), detail(i.detail()))).toList();
    List<ScoreRow> scores = r.scores().stream().map(s -> new ScoreRow(day(s.day()), s.eventId(), s.total())).toList();
    String handedOff = r.handedOffAt() == null ? ""
        : day((r.handedOffAt().toEpochMilli() - r.start().toEpochMilli()) / 86_400_000d);
    return new PreviewReport(r.program(), r.finalStatus(), r.exitReason() == null ? "" : r.exitReason(), handedOff,
        rows, scores);
  }

  /** Days from the start, to a tenth: "0", "3", "4.5". */
  static String day(double day) {
    double rounded = Math.round(day * 10) / 10.0;
    return rounded == Math.rint(rounded) ? String.valueOf((long) rounded) : String.format(Locale.ROOT, "%.1f", rounded);
  }

  /** The entry's details as "key: value" pairs in key order; nested values as written. */
  static String detail(Map<String, Object> detail) {
    if (detail == null || detail.isEmpty()) {
      return "";
    }
    return new TreeMap<>(detail).entrySet().stream().map(e -> e.getKey() + ": " + e.getValue())
        .collect(Collectors.joining(", "));
  }
}
