package com.nurture.activities.db;

import java.time.Instant;
import java.util.Optional;

/**
 * A hand-off in the sales queue. {@code open}: sales has not answered it, it is the lead's latest
 * and the lead's journey still waits for sales (HANDED_OFF). {@code ownerEmail}: the address the
 * hand-off email went to, else the lead's {@code owner_email} attribute.
 */
public record HandOffQueueRow(
    long id,
    String leadId,
    String reason,
    String priority,
    int score,
    Instant slaDueAt,
    Instant createdAt,
    Optional<String> outcome,
    Optional<Instant> outcomeAt,
    Optional<String> ownerEmail,
    boolean open) {}
