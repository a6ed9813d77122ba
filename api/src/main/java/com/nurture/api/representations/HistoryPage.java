package com.nurture.api.representations;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * A page of the Temporal event history, each event in Temporal's own JSON form (as the Temporal UI
 * and CLI show it); pass {@code next_cursor} as {@code cursor} for the next page.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record HistoryPage(String workflowId, String runId, JsonNode events, String nextCursor) {}
