package com.nurture.api.console;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A chart as console.js draws it with uPlot: x as instants, one or more series of values, lines or
 * bars. {@link #json} is safe inside a {@code <script type="application/json">} element.
 */
public record ChartSpec(List<Instant> x, List<Series> series, boolean bars) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One line (or set of bars): its label and a value for each x (null for a gap). */
  public record Series(String label, List<? extends Number> values) {}

  public String json() {
    List<Object> seriesJson = new ArrayList<>();
    for (Series s : series) {
      seriesJson.add(java.util.Map.of("label", s.label(), "values", s.values()));
    }
    try {
      String text = JSON.writeValueAsString(java.util.Map.of("x", x.stream().map(Instant::getEpochSecond).toList(),
          "series", seriesJson, "bars", bars));
      // No "</script>" or "<!--" can close the element: every '<', '>' and '&' is a JSON escape.
      return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026");
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
