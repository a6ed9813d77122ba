package com.nurture.workflows.program;

/** Continues at another step. */
public record GotoStep(String id, String target) implements Step {}
