package com.nurture.workflows.journey;

import com.nurture.workflows.program.Program;

/**
 * The workflow input: the lead, the program snapshot it runs (pinned to a version) and the state
 * carried from an earlier run of the same journey (fresh on enrolment).
 */
public record JourneyInput(String leadId, Program program, JourneyState state) {
  public static JourneyInput enrol(String leadId, Program program) {
    return new JourneyInput(leadId, program, JourneyState.fresh());
  }
}
