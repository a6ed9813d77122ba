package com.nurture.workflows.journey;

import com.nurture.workflows.program.Program;
import java.util.Map;

/**
 * The workflow input: the lead, the program snapshot it runs (pinned to a version) and the state
 * carried from an earlier run of the same journey (fresh on enrolment).
 */
public record JourneyInput(String leadId, Program program, JourneyState state) {
  public static JourneyInput enrol(String leadId, Program program) {
    return enrol(leadId, Map.of(), program);
  }

  /**
   * The same input with the event that started the journey (a trigger) already seen, so the
   * program's conditions and branches can read it.
   */
  public JourneyInput startedBy(LeadEvent event) {
    if (state.markSeen(event.id())) {
      state.see(event);
    }
    return this;
  }

  /** @param attributes the lead's attributes now, for conditions (kept current by attribute_changed events) */
  public static JourneyInput enrol(String leadId, Map<String, Object> attributes, Program program) {
    JourneyState state = JourneyState.fresh();
    state.attributes.putAll(attributes);
    return new JourneyInput(leadId, program, state);
  }
}
