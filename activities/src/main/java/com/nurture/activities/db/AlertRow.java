package com.nurture.activities.db;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.json.Json;

/** An alert for a person; {@code ackedAt} and {@code ackedBy} (an API key's name) once acknowledged. */
public record AlertRow(long id, String leadId, String kind, String message, @Json Map<String, Object> detail,
    Instant createdAt, Optional<Instant> ackedAt, Optional<String> ackedBy) {}
