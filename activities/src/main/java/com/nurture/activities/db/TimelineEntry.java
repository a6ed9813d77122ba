package com.nurture.activities.db;

import java.time.Instant;
import java.util.Map;
import org.jdbi.v3.json.Json;

/** One line of a lead's business timeline. */
public record TimelineEntry(long id, String leadId, Instant at, String kind, @Json Map<String, Object> detail) {}
