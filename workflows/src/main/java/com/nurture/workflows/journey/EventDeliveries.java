package com.nurture.workflows.journey;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Several of one lead's events for its running journey, in the order they were accepted, in one
 * signal ({@link LeadJourneyWorkflow#deliverAll}): what a batch holds for one lead. The journey takes
 * each as it takes one {@link EventDelivery}.
 */
public record EventDeliveries(List<EventDelivery> deliveries) {
  /** The most events a sender puts in one signal. */
  public static final int MAX = 50;

  /**
   * The most characters of properties a sender puts in one signal (one event alone may have more: the
   * API's limits allow about a megabyte). With the programs the events trigger (a few KB each), a
   * signal's payload stays below the server's blob warning (512 KB) and far below its limit (2 MB).
   */
  public static final int MAX_CHARS = 256 * 1024;

  public EventDeliveries {
    deliveries = deliveries == null ? List.of() : List.copyOf(deliveries);
  }

  /**
   * {@code items} (each one of the lead's events, by {@code event}) in order, cut into what one signal
   * may carry: at most {@link #MAX} events and {@link #MAX_CHARS} characters of properties each, at
   * least one event each.
   */
  public static <T> List<List<T>> signals(List<T> items, Function<T, LeadEvent> event) {
    List<List<T>> out = new ArrayList<>();
    List<T> current = new ArrayList<>();
    long chars = 0;
    for (T item : items) {
      long size = size(event.apply(item).properties());
      if (!current.isEmpty() && (current.size() == MAX || chars + size > MAX_CHARS)) {
        out.add(current);
        current = new ArrayList<>();
        chars = 0;
      }
      current.add(item);
      chars += size;
    }
    if (!current.isEmpty()) {
      out.add(current);
    }
    return out;
  }

  /** About how many characters {@code value} takes as JSON: its keys and strings, and a few for the rest. */
  static long size(Object value) {
    if (value instanceof Map<?, ?> map) {
      long n = 2;
      for (Map.Entry<?, ?> e : map.entrySet()) {
        n += String.valueOf(e.getKey()).length() + 4 + size(e.getValue());
      }
      return n;
    }
    if (value instanceof List<?> list) {
      long n = 2;
      for (Object v : list) {
        n += size(v) + 1;
      }
      return n;
    }
    return value instanceof String s ? s.length() + 2 : 8;
  }
}
