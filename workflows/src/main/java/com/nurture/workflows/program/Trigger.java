package com.nurture.workflows.program;

import com.nurture.workflows.journey.EventType;
import java.util.Map;

/** An event that enrols the lead in the program by itself, when its properties match {@code where}. */
public record Trigger(EventType event, Map<String, String> where) {
  public Trigger {
    where = Map.copyOf(where);
  }
}
