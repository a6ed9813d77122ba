package com.nurture.activities.db;

import java.time.Instant;
import java.util.Optional;

/** One journey of a list: the mirror row with the lead's owner ({@code owner_email} attribute). */
public record JourneyListRow(
    String leadId,
    String programId,
    int programVersion,
    String status,
    String currentStep,
    int score,
    Optional<String> ownerEmail,
    Optional<Instant> nextActionAt,
    Instant enrolledAt,
    Instant updatedAt) {}
