package com.nurture.workflows.activities;

import com.nurture.workflows.program.Program;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import java.util.Optional;

/**
 * Programs a journey enters after it started (on_complete: start). Loaded through an activity so the
 * snapshot is recorded in the history and replays identically.
 */
@ActivityInterface
public interface ProgramActivities {
  @ActivityMethod(name = "LoadProgram")
  Optional<Program> latestProgram(String programId);
}
