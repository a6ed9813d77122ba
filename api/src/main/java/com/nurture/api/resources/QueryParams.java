package com.nurture.api.resources;

import com.nurture.api.errors.ProblemException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;

/**
 * Query parameters read as text and checked here, so a bad value is a 422 problem naming the
 * parameter (JAX-RS would answer 404 for a number that does not parse).
 */
final class QueryParams {
  static final int DEFAULT_LIMIT = 50;
  static final int MAX_LIMIT = 500;

  private QueryParams() {}

  static Optional<String> text(String value) {
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
  }

  static int limit(String value) {
    return integer("limit", value, 1, MAX_LIMIT).orElse(DEFAULT_LIMIT);
  }

  static Optional<Integer> integer(String name, String value, int min, int max) {
    Optional<String> text = text(value);
    if (text.isEmpty()) {
      return Optional.empty();
    }
    try {
      int n = Integer.parseInt(text.get());
      if (n >= min && n <= max) {
        return Optional.of(n);
      }
    } catch (NumberFormatException e) {
      // refused below
    }
    throw ProblemException.invalid(name, "must be a whole number from " + min + " to " + max);
  }

  /** An ISO-8601 instant: 2026-11-22T10:00:00Z, or with an offset (+09:00). */
  static Optional<Instant> instant(String name, String value) {
    Optional<String> text = text(value);
    if (text.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(OffsetDateTime.parse(text.get()).toInstant());
    } catch (DateTimeParseException e) {
      throw ProblemException.invalid(name, "must be an ISO-8601 time such as 2026-11-22T10:00:00Z");
    }
  }

  /** One of {@code allowed} (compared case-insensitively), answered as written in {@code allowed}. */
  static Optional<String> oneOf(String name, String value, List<String> allowed) {
    Optional<String> text = text(value);
    if (text.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(allowed.stream().filter(a -> a.equalsIgnoreCase(text.get())).findFirst()
        .orElseThrow(() -> ProblemException.invalid(name, "must be one of " + String.join(", ", allowed))));
  }
}
