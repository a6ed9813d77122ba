package com.nurture.workflows.program;

/** Hands the lead to sales: records the hand-off, alerts, and holds the journey (HANDED_OFF). */
public record HandoffStep(String id, String reason) implements Step {}
