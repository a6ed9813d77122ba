package com.nurture.activities.db;

import java.time.Instant;
import java.util.Optional;

/** The mirror of one lead's journey, as of its last transition. */
public record JourneyRow(
    String leadId,
    String workflowId,
    String runId,
    String programId,
    int programVersion,
    String status,
    String currentStep,
    Optional<Instant> nextActionAt,
    Instant enrolledAt,
    int score,
    Instant updatedAt) {}
