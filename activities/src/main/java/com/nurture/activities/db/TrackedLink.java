package com.nurture.activities.db;

import java.time.Instant;

/**
 * One tracked link (or open pixel, or honeypot link) of one message: what the opaque token stands for.
 *
 * @param kind {@code click}, {@code open} or {@code honeypot}
 * @param url the original URL ({@code /t/c/{token}} redirects only here); empty for an open pixel
 */
public record TrackedLink(
    String token,
    String idempotencyKey,
    String messageId,
    String leadId,
    String programId,
    int programVersion,
    String stepId,
    String template,
    String variant,
    String kind,
    String url,
    Instant createdAt) {}
