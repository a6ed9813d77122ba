package com.nurture.workflows.condition;

import com.nurture.workflows.journey.EventType;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;

/**
 * An event the journey has seen, as conditions and wait_for match it. {@code seq} counts the events
 * the journey has seen (0 for the first), so a step can tell which arrived after it started.
 */
public record SeenEvent(long seq, EventType type, Instant at, Map<String, String> properties) {
  /** Every {@code where} entry equals the event's property of that name (case-insensitive). */
  public boolean matches(Map<String, String> where) {
    return where.entrySet().stream().allMatch(w -> {
      String v = properties.get(w.getKey());
      return v != null && v.toLowerCase(Locale.ROOT).equals(w.getValue().toLowerCase(Locale.ROOT));
    });
  }
}
