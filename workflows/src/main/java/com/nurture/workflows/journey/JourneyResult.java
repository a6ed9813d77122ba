package com.nurture.workflows.journey;

/** How a journey ended. */
public record JourneyResult(JourneyStatus status, String reason, int emailsSent) {}
