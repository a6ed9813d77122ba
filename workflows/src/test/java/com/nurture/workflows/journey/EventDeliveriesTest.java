package com.nurture.workflows.journey;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** What one signal carries: at most {@link EventDeliveries#MAX} events and {@link EventDeliveries#MAX_CHARS} of properties. */
class EventDeliveriesTest {
  private static LeadEvent event(int i, int chars) {
    return new LeadEvent("e" + i, EventType.PAGE_VISITED, Instant.EPOCH, Map.of("note", "x".repeat(chars)));
  }

  @Test
  void aLeadsEventsAreCutIntoSignalsOfAtMostMaxEvents() {
    List<LeadEvent> events = IntStream.range(0, 2 * EventDeliveries.MAX + 3).mapToObj(i -> event(i, 10)).toList();
    assertThat(EventDeliveries.signals(events, e -> e)).extracting(List::size)
        .containsExactly(EventDeliveries.MAX, EventDeliveries.MAX, 3);
    assertThat(EventDeliveries.signals(events, e -> e).get(1).get(0).id()).isEqualTo("e" + EventDeliveries.MAX);
  }

  @Test
  void largePropertiesEndASignalEarlyAndOneLargerThanTheBudgetGoesAlone() {
    int third = EventDeliveries.MAX_CHARS / 3;
    List<LeadEvent> events = List.of(event(0, third), event(1, third), event(2, third), event(3, 2 * EventDeliveries.MAX_CHARS),
        event(4, 10));
    assertThat(EventDeliveries.signals(events, e -> e)).extracting(s -> s.stream().map(LeadEvent::id).toList())
        .containsExactly(List.of("e0", "e1"), List.of("e2"), List.of("e3"), List.of("e4"));
  }

  @Test
  void aSizeCountsKeysStringsAndNesting() {
    assertThat(EventDeliveries.size(Map.of("page", "pricing"))).isEqualTo(2 + 4 + 4 + 9);
    assertThat(EventDeliveries.size(Map.of("tags", List.of("a", "bc")))).isEqualTo(2 + 4 + 4 + (2 + 4 + 5));
  }
}
