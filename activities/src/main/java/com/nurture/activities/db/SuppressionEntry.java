package com.nurture.activities.db;

import java.time.Instant;

/** A suppression as operators see it: where it came from and who added it. */
public record SuppressionEntry(long id, String email, String reason, String source, String leadId, String addedBy,
    Instant at) {}
