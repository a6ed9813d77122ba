package com.nurture.workflows.activities;

import java.time.Instant;

/**
 * Ask a lead whose consent is pending to confirm its subscription (double opt-in).
 *
 * @param leadId the lead
 * @param journeyKey the journey asking (its first run's id): one confirmation per journey, however often retried
 * @param confirmBy the link stops working, and the journey ends as UNCONFIRMED, at this time
 */
public record ConfirmationRequest(String leadId, String journeyKey, Instant confirmBy) {}
