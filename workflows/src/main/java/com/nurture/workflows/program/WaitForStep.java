package com.nurture.workflows.program;

import java.time.Duration;
import java.util.List;

/**
 * Waits until the lead does something ({@code any} of the events, or {@code all} of them) or the
 * timeout passes, then goes to {@code onEvent} or {@code onTimeout} (empty: the next step).
 * Only events that arrive after the step starts count.
 */
public record WaitForStep(String id, Mode mode, List<EventMatch> events, Duration timeout, String onEvent,
    String onTimeout) implements Step {
  public enum Mode { ANY, ALL }

  public WaitForStep {
    events = List.copyOf(events);
  }
}
