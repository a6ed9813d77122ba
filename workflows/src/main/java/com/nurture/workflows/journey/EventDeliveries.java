package com.nurture.workflows.journey;

import java.util.List;

/**
 * Several of one lead's events for its running journey, in the order they were accepted, in one
 * signal ({@link LeadJourneyWorkflow#deliverAll}): what a batch holds for one lead. The journey takes
 * each as it takes one {@link EventDelivery}.
 */
public record EventDeliveries(List<EventDelivery> deliveries) {
  public EventDeliveries {
    deliveries = deliveries == null ? List.of() : List.copyOf(deliveries);
  }
}
