package com.nurture.workflows.journey;

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
}
