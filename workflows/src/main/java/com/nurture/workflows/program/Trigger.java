package com.nurture.workflows.program;

import com.nurture.workflows.journey.EventType;
import java.util.List;
import java.util.Map;

/**
 * The events that enrol a lead in the program by themselves (any of them), when their properties
 * match {@code where}.
 */
public record Trigger(List<EventType> events, Map<String, String> where) {
  public Trigger {
    events = List.copyOf(events);
    where = Map.copyOf(where);
  }

  public Trigger(EventType event, Map<String, String> where) {
    this(List.of(event), where);
  }

  public boolean firesOn(EventType type) {
    return events.contains(type);
  }
}
