package com.nurture.workflows.journey;

import io.temporal.common.Priority;
import java.util.Optional;

/**
 * How a journey came in, as Temporal's task priority carries it: one lead at a time (a sign-up's
 * {@code POST /v1/leads/{id}/journey}, a single event that triggers a program), or in bulk (a
 * batch of events or leads from an MA system). The API starts a bulk journey with the workflow
 * priority {@link #BULK_KEY}; every task of that journey then waits behind those of journeys
 * started one at a time, and its {@code immediate} sends take the second lane, behind the
 * immediate sends of single enrolments. So a welcome asked for one lead at a time overtakes both a
 * scheduled burst and a 10,000-lead batch enrolment whose own welcomes are immediate.
 *
 * <p>Temporal's priority keys run from 1 (dispatched first) to 5; unset counts as 3. The journey
 * reads its lane from its own start ({@code Workflow.getInfo().getPriority()}), which replay sees
 * unchanged; journeys started before lanes have no priority and keep the first lane for their
 * immediate sends, as they had.
 *
 * <p>A journey started one lead at a time also starts eagerly where the API has a worker in its
 * process (its first workflow task in the start's answer); a batch's go through matching, where
 * their lower priority holds.
 */
public enum IntakeLane {
  /** One lead at a time: the default priority; immediate sends first of all; an eager start. */
  ONE_AT_A_TIME(Optional.empty(), 1, true),
  /** A batch: below the default; immediate sends in the second lane; an ordinary start. */
  BULK(Optional.of(Priority.newBuilder().setPriorityKey(IntakeLane.BULK_KEY).build()), 2, false);

  /** The workflow priority key of a journey started in bulk. */
  public static final int BULK_KEY = 4;

  private final Optional<Priority> workflowPriority;
  private final Priority immediateSend;
  private final boolean startsEagerly;

  IntakeLane(Optional<Priority> workflowPriority, int immediateKey, boolean startsEagerly) {
    this.workflowPriority = workflowPriority;
    this.immediateSend = Priority.newBuilder().setPriorityKey(immediateKey).build();
    this.startsEagerly = startsEagerly;
  }

  /** Whether the API asks for an eager start (when {@code temporal.eager_start} allows one). */
  public boolean startsEagerly() {
    return startsEagerly;
  }

  /** The priority the journey's workflow is started with (empty: the server's default). */
  public Optional<Priority> workflowPriority() {
    return workflowPriority;
  }

  /** The priority of the journey's {@code immediate} sends. */
  public Priority immediateSend() {
    return immediateSend;
  }

  /** The lane of a journey started with this workflow priority (unset or any other key: one at a time). */
  public static IntakeLane of(Priority workflowPriority) {
    return workflowPriority != null && workflowPriority.getPriorityKey() == BULK_KEY ? BULK : ONE_AT_A_TIME;
  }
}
