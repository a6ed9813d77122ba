package com.nurture.activities.db;

import java.time.Instant;

public record SuppressionRow(String email, String reason, String leadId, Instant at) {}
