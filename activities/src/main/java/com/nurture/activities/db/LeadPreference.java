package com.nurture.activities.db;

import java.time.Instant;

/** {@code fewer}: at most one email per 30 days; {@code paused}: nothing until {@code pausedUntil}. */
public record LeadPreference(String leadId, String mode, Instant pausedUntil, Instant updatedAt) {
  public static final String FEWER = "fewer";
  public static final String PAUSED = "paused";
}
