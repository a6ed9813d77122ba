package com.nurture.workflows.journey;

import java.util.List;

/**
 * Several of one lead's events for its running journey, in the order they were accepted, in one
 * signal ({@link LeadJourneyWorkflow#deliverAll}): what a batch holds for one lead. The journey takes
 * each as it takes one {@link EventDelivery}.
 */
public record EventDeliveries(List<EventDelivery> deliveries) {
  /**
   * The most events a sender puts in one signal: each may carry the programs it triggers (a few KB
   * each), and a signal's payload stays far below the server's blob size limits (2 MB by default).
   */
  public static final int MAX = 50;

  public EventDeliveries {
    deliveries = deliveries == null ? List.of() : List.copyOf(deliveries);
  }
}
