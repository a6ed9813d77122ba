package com.nurture.workflows.activities;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A lead handed to sales. {@code key} is stable for the hand-off (idempotent records and webhook
 * ids); {@code slaDueAt} is when sales must have followed up.
 */
public record HandOff(String key, String leadId, String reason, int score, String priority,
    List<Map<String, Object>> events, Instant slaDueAt, Instant at) {}
