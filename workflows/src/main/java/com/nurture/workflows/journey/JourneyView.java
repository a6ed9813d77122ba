package com.nurture.workflows.journey;

import com.nurture.workflows.scoring.Score;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** What the {@code view} query answers: a live picture of one lead's journey. */
public record JourneyView(
    String leadId,
    JourneyStatus status,
    String programId,
    int programVersion,
    String currentStep,
    Optional<Instant> nextActionAt,
    Optional<String> exitReason,
    Instant enrolledAt,
    int emailsSent,
    List<Touch> lastTouches,
    Score score) {}
