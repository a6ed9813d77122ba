package com.nurture.workflows.program;

import java.time.Duration;

/** Sleeps for a fixed duration; an unsubscribe, reply or operator command interrupts it. */
public record WaitStep(String id, Duration duration) implements Step {}
