package com.nurture.workflows.activities;

import com.nurture.workflows.journey.JourneyStatus;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * A change in a journey: mirrored to the {@code journeys} row (for listing) and appended to the
 * lead's timeline as {@code kind} with {@code detail}. {@code dedupeKey} makes the write
 * idempotent when a local activity is retried.
 */
public record JourneyTransition(
    String leadId,
    String workflowId,
    String runId,
    String programId,
    int programVersion,
    JourneyStatus status,
    String currentStep,
    Optional<Instant> nextActionAt,
    Instant enrolledAt,
    int score,
    String kind,
    Map<String, Object> detail,
    Instant at,
    String dedupeKey) {}
