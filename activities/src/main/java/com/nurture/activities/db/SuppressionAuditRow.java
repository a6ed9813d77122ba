package com.nurture.activities.db;

import java.time.Instant;

/** One operator change to the suppression list: who (API key name), when, why. */
public record SuppressionAuditRow(long id, String email, String action, String reason, String source, String actor,
    String suppressedReason, Instant suppressedAt, Instant at) {}
