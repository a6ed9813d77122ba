package com.nurture.workflows.journey;

import com.nurture.workflows.program.Program;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.UpdateMethod;
import io.temporal.workflow.UpdateValidatorMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * One lead's nurture: a single long-running workflow per lead (id {@code lead-{leadId}}) that
 * interprets the program it was enrolled in and reacts to the lead's behaviour.
 */
@WorkflowInterface
public interface LeadJourneyWorkflow {
  String TASK_QUEUE = "nurture";

  static String workflowId(String leadId) {
    return "lead-" + leadId;
  }

  /** The lead a journey's workflow id names (the inverse of {@link #workflowId}); empty for any other id. */
  static java.util.Optional<String> leadIdOf(String workflowId) {
    return workflowId != null && workflowId.startsWith("lead-") && workflowId.length() > 5
        ? java.util.Optional.of(workflowId.substring(5)) : java.util.Optional.empty();
  }

  @WorkflowMethod
  JourneyResult run(JourneyInput input);

  /** Behaviour: deduplicated by the event id. */
  @SignalMethod
  void event(LeadEvent event);

  /** A program an event triggered: switched to if it outranks the running one, else recorded. */
  @SignalMethod
  void offer(TrackOffer offer);

  /**
   * Behaviour and the programs it triggers, in one signal: the journey reacts to the event, then
   * decides about each program (audience, priority). Deduplicated by the event id.
   */
  @SignalMethod
  void deliver(EventDelivery delivery);

  /**
   * Several events of the lead, in order, in one signal: each taken as {@link #deliver} takes it. A
   * batch's events for one lead cost the server one signal, not one each. Added after {@code deliver}:
   * deploy workers before the API processes that send it (docs/evolution.md, "A new signal").
   */
  @SignalMethod
  void deliverAll(EventDeliveries deliveries);

  /** Pause, resume, exit. An invalid transition is rejected by the validator (the caller sees 409). */
  @UpdateMethod
  JourneyView command(JourneyCommand command);

  @UpdateValidatorMethod(updateName = "command")
  void validateCommand(JourneyCommand command);

  /**
   * Moves the journey to another version of its program, at the step with the same id (a pending
   * wait keeps its end time). Rejected when the current step does not exist in that version.
   */
  @UpdateMethod
  JourneyView migrate(Program version);

  @UpdateValidatorMethod(updateName = "migrate")
  void validateMigrate(Program version);

  /** Sales' answer to a hand-off; rejected unless the journey is HANDED_OFF. */
  @UpdateMethod
  JourneyView salesFeedback(SalesFeedback feedback);

  @UpdateValidatorMethod(updateName = "salesFeedback")
  void validateSalesFeedback(SalesFeedback feedback);

  @QueryMethod
  JourneyView view();
}
