package com.nurture.api.representations;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Instant;

/**
 * One hand-off in the sales queue. {@code timeLeftSeconds}: until the SLA is due, negative once
 * overdue. {@code owner}: whom the hand-off email went to, else the lead's owner, else the default
 * owner (null when there is none).
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record HandOffItem(long id, String leadId, String reason, String priority, int score, String owner,
    Instant handedOffAt, Instant slaDueAt, long timeLeftSeconds, boolean overdue, String status, String outcome,
    Instant outcomeAt) {}
