package com.nurture.workflows.program;

import com.nurture.workflows.condition.SeenEvent;
import com.nurture.workflows.journey.EventType;
import java.util.Map;

/**
 * Which events a wait_for (or trigger) step listens for: a type, optionally only those about one
 * step's email ({@code step}), and property values ({@code where}, e.g. page: pricing).
 */
public record EventMatch(EventType type, String step, Map<String, String> where) {
  public EventMatch {
    step = step == null ? "" : step;
    where = where == null ? Map.of() : Map.copyOf(where);
  }

  /** Any event of the type with the property values, whichever email it is about. */
  public static EventMatch of(EventType type, Map<String, String> where) {
    return new EventMatch(type, "", where);
  }

  /** For matches that are not scoped to a step (scoring, re-entry). */
  public boolean matches(SeenEvent event) {
    return matches(event, "");
  }

  /** @param stepOfEvent the step whose email the event is about, or "" when it is about none */
  public boolean matches(SeenEvent event, String stepOfEvent) {
    return event.type() == type && (step.isEmpty() || step.equals(stepOfEvent)) && event.matches(where);
  }
}
