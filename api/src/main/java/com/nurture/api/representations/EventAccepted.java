package com.nurture.api.representations;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * 202 answer to an event, which is stored either way: {@code duplicate} when the id was seen before
 * (nothing new happened); {@code delivered} when it has been handed to Temporal, false while it
 * waits in the outbox (Temporal away, or an earlier event of the lead still waiting: it goes as
 * soon as Temporal answers, in order); {@code delivered_to_journey} when a running journey got it.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record EventAccepted(String id, boolean duplicate, boolean deliveredToJourney, boolean delivered) {}
