package com.nurture.activities.db;

import java.time.Instant;
import java.util.Optional;

/** A double opt-in confirmation asked of a lead (V13): confirmed when {@code confirmedAt} is present. */
public record ConfirmationRow(String tokenSha256, String leadId, String journeyKey, Instant requestedAt,
    Instant expiresAt, Optional<Instant> sentAt, Optional<Instant> confirmedAt) {

  public boolean expired(Instant now) {
    return !now.isBefore(expiresAt);
  }
}
