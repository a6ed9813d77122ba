package com.nurture.workflows.journey;

import com.nurture.workflows.condition.SeenEvent;
import java.time.Instant;
import java.util.Map;

/**
 * A behaviour event for one lead. {@code id} is the sender's id and makes the event idempotent:
 * the workflow ignores an id it has seen.
 */
public record LeadEvent(String id, EventType type, Instant occurredAt, Map<String, Object> properties) {
  public LeadEvent {
    properties = properties == null ? Map.of() : Map.copyOf(properties);
  }

  /** The event as conditions, matches and scoring see it: the {@code seq}-th event seen, properties as text. */
  public SeenEvent seen(long seq) {
    Map<String, String> text = new java.util.HashMap<>();
    properties.forEach((k, v) -> text.put(k, String.valueOf(v)));
    return new SeenEvent(seq, type, occurredAt, Map.copyOf(text));
  }
}
