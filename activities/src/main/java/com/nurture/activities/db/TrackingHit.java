package com.nurture.activities.db;

import java.time.Instant;

/** One request to a tracked link or pixel, as classified (human or not, and why). */
public record TrackingHit(long id, String token, String kind, Instant at, boolean human, String reason) {}
