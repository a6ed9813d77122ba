package com.nurture.activities.db;

import java.time.Instant;
import java.util.Optional;

/**
 * A hand-off to sales as recorded: why, how urgent, when sales must have followed up, and what
 * sales said ({@code outcome} empty while open). {@code ownerEmail} is the owner it was emailed to.
 */
public record HandOffRow(
    String handoffKey,
    String leadId,
    String reason,
    int score,
    String priority,
    Instant slaDueAt,
    Instant createdAt,
    Optional<String> outcome,
    Optional<Instant> outcomeAt,
    Optional<String> ownerEmail) {}
