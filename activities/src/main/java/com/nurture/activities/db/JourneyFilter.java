package com.nurture.activities.db;

import java.time.Instant;
import java.util.Optional;

/**
 * What a journey list keeps: each present part must hold. {@code owner} is the lead's
 * {@code owner_email} attribute (compared lower-cased); {@code scoreMin} the mirror's total score.
 */
public record JourneyFilter(
    Optional<String> status,
    Optional<String> program,
    Optional<Integer> version,
    Optional<String> step,
    Optional<String> owner,
    Optional<Integer> scoreMin,
    Optional<Instant> updatedSince) {

  public static JourneyFilter none() {
    return new JourneyFilter(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.empty(), Optional.empty());
  }
}
