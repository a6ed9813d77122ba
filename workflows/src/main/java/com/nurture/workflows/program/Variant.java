package com.nurture.workflows.program;

/**
 * One arm of an A/B test on a send step: its own subject and/or template (empty: the step's).
 */
public record Variant(String id, String subject, String template) {}
