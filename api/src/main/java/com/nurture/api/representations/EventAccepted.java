package com.nurture.api.representations;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** 202 answer to an event: {@code duplicate} when the id was seen before (nothing new happened). */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record EventAccepted(String id, boolean duplicate, boolean deliveredToJourney) {}
