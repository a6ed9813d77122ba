package com.nurture.api.representations;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A page of a lead's timeline, oldest first; pass {@code next_cursor} as {@code cursor} for more. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record TimelinePage(List<Item> items, String nextCursor) {
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Item(long id, Instant at, String kind, Map<String, Object> detail) {}
}
