package com.nurture.workflows.program;

/** Ends the journey here (COMPLETED) with a reason. */
public record ExitStep(String id, String reason) implements Step {}
