package com.nurture.workflows.program;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * One step of a program. The set of kinds is closed: the interpreter in
 * {@link com.nurture.workflows.journey.LeadJourneyWorkflowImpl} handles every kind.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({
  @JsonSubTypes.Type(value = SendStep.class, name = "send"),
  @JsonSubTypes.Type(value = WaitStep.class, name = "wait"),
  @JsonSubTypes.Type(value = WaitForStep.class, name = "wait_for"),
  @JsonSubTypes.Type(value = BranchStep.class, name = "branch"),
  @JsonSubTypes.Type(value = HandoffStep.class, name = "handoff"),
  @JsonSubTypes.Type(value = GotoStep.class, name = "goto"),
  @JsonSubTypes.Type(value = ExitStep.class, name = "exit")
})
public sealed interface Step permits SendStep, WaitStep, WaitForStep, BranchStep, HandoffStep, GotoStep, ExitStep {
  /** Unique within its program; the key for migration, idempotency and the timeline. */
  String id();
}
