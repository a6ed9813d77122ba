package com.nurture.activities.db;

import java.time.Instant;
import java.util.Map;
import org.jdbi.v3.json.Json;

/** A stored behaviour event. */
public record EventRow(String id, String type, Instant occurredAt, @Json Map<String, Object> properties) {}
