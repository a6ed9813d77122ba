package com.nurture.activities.db;

import java.time.Instant;

/** One choice made on the unsubscribe page: when, through which token, by what user agent, from a hashed IP. */
public record ConsentEvidence(long id, String leadId, String choice, String token, String userAgent, String ipHash,
    Instant at) {}
