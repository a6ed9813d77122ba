package com.nurture.workflows.journey;

import java.time.Instant;
import java.util.Optional;

/**
 * What sales says about a lead it was handed: {@code ACCEPTED} (graduated, the journey ends),
 * {@code REJECTED} (back to nurture where it stopped), {@code NOT_NOW} (no email until
 * {@code until}, then the re-engagement program).
 */
public record SalesFeedback(Outcome outcome, Optional<Instant> until, String note, String actor) {
  public enum Outcome { ACCEPTED, REJECTED, NOT_NOW }

  public SalesFeedback {
    note = note == null ? "" : note;
    actor = actor == null ? "" : actor;
    until = until == null ? Optional.empty() : until;
  }
}
