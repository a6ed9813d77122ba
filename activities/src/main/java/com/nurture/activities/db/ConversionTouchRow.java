package com.nurture.activities.db;

import java.time.Instant;
import java.util.Optional;

/**
 * A {@code converted_to_customer} event and one touch before it (docs/analytics.md, "Revenue
 * attribution"); a conversion with no touch is one row with the touch empty. The amount and currency
 * are the event's properties as stored (text), checked by the caller.
 */
public record ConversionTouchRow(String leadId, String eventId, Instant convertedAt, Optional<String> amount,
    Optional<String> currency, Optional<Touch> touch) {

  /** An email of a program's step and variant the lead was sent, opened or clicked, and when. */
  public record Touch(String programId, String stepId, String variant, Instant at, String kind) {}
}
