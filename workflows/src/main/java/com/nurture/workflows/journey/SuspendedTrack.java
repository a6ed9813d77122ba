package com.nurture.workflows.journey;

import com.nurture.workflows.program.Program;
import java.time.Duration;

/**
 * A program a higher-priority one pre-empted, kept so {@code on_complete: resume_previous} can
 * continue it at the step it was on, with what was left of a pending wait.
 *
 * @param waitRemaining what was left of a wait or wait_for, or null when it was not waiting
 */
public record SuspendedTrack(Program program, int stepIndex, Duration waitRemaining, long waitForFrom) {}
