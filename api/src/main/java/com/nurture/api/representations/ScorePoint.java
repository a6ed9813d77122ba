package com.nurture.api.representations;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Instant;

/**
 * The lead's score just after an event changed it: the total and its parts (null when the journey
 * did not record them), the points the event earned and the event itself.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ScorePoint(Instant at, Integer total, Integer fit, Integer engagement, Integer velocity, Double points,
    String eventId, String eventType) {}
