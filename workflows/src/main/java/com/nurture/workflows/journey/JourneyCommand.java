package com.nurture.workflows.journey;

/** An operator's (or sales') command to a running journey, delivered as a Temporal update. */
public record JourneyCommand(Kind kind, String reason, String actor) {
  public enum Kind { PAUSE, RESUME, EXIT }

  public JourneyCommand {
    reason = reason == null ? "" : reason;
    actor = actor == null ? "" : actor;
  }
}
