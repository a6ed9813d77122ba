package com.nurture.workflows.program;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * One step of a program. The set of kinds is closed: the interpreter in
 * {@link com.nurture.workflows.journey.LeadJourneyWorkflowImpl} switches over it exhaustively, so a
 * new kind (wait_for, branch, handoff, goto, exit) is a compile error until it is interpreted.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({
  @JsonSubTypes.Type(value = SendStep.class, name = "send"),
  @JsonSubTypes.Type(value = WaitStep.class, name = "wait")
})
public sealed interface Step permits SendStep, WaitStep {
  /** Unique within its program; the key for migration, idempotency and the timeline. */
  String id();
}
