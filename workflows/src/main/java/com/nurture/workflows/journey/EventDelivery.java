package com.nurture.workflows.journey;

import com.nurture.workflows.program.Program;
import java.util.List;

/**
 * One behaviour event for a running journey, with the published programs whose trigger it matches
 * (the catalog's answer, not a decision): one signal. The journey decides: it reacts to the event,
 * then considers each program (its audience, then pre-emption by priority), on its timeline.
 */
public record EventDelivery(LeadEvent event, List<Program> triggered) {
  public EventDelivery {
    triggered = triggered == null ? List.of() : List.copyOf(triggered);
  }

  /** The offer of one triggered program: considered once per event and program. */
  TrackOffer offer(Program program) {
    return new TrackOffer(event.id() + "/" + program.id(), program,
        "event " + event.type().wireName() + " " + event.id());
  }
}
