package com.nurture.workflows.scoring;

import com.nurture.workflows.journey.EventType;
import java.time.Instant;

/** Points an event earned, and when. */
public record ScoredEvent(String eventId, EventType type, Instant at, double points) {}
