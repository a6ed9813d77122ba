package com.nurture.activities.db;

import java.time.Instant;
import java.util.Optional;

/** A row of the send ledger. */
public record MessageRow(
    long id,
    String idempotencyKey,
    String leadId,
    String email,
    String programId,
    int programVersion,
    String stepId,
    String template,
    String variant,
    String subject,
    String status,
    String messageId,
    int attempts,
    Instant createdAt,
    Optional<Instant> sentAt) {}
