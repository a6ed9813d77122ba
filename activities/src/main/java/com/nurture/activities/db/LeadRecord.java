package com.nurture.activities.db;

import java.time.Instant;
import java.util.Map;
import org.jdbi.v3.json.Json;

/** A lead as the MA system last described it. Empty strings stand for "not given". */
public record LeadRecord(
    String id,
    String email,
    String timezone,
    String consent,
    @Json Map<String, Object> attributes,
    Instant createdAt,
    Instant updatedAt) {

  /** The attribute as text, or empty when absent. */
  public String attribute(String name) {
    Object v = attributes.get(name);
    return v == null ? "" : String.valueOf(v);
  }
}
