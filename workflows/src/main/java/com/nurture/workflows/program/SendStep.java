package com.nurture.workflows.program;

/** Sends one email rendered from a template to the lead. */
public record SendStep(String id, String template) implements Step {}
