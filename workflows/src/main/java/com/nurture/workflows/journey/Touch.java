package com.nurture.workflows.journey;

import java.time.Instant;

/** One email the journey sent (or tried to), as the view and timeline report it. */
public record Touch(String stepId, String template, String subject, String outcome, String messageId, Instant at) {}
