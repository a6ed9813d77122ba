package com.nurture.activities.db;

import java.time.Instant;
import java.util.Map;
import org.jdbi.v3.json.Json;

public record AlertRow(long id, String leadId, String kind, String message, @Json Map<String, Object> detail,
    Instant createdAt) {}
