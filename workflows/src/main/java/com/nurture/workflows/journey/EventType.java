package com.nurture.workflows.journey;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** The behaviour events Nurture understands (DESIGN section 8), by their wire names. */
public enum EventType {
  EMAIL_OPENED,
  EMAIL_CLICKED,
  PAGE_VISITED,
  CONTENT_DOWNLOADED,
  WEBINAR_REGISTERED,
  WEBINAR_ATTENDED,
  WEBINAR_MISSED,
  FORM_SUBMITTED,
  DEMO_REQUESTED,
  REPLIED,
  UNSUBSCRIBED,
  BOUNCED,
  COMPLAINED,
  ATTRIBUTE_CHANGED,
  DISQUALIFIED,
  CONVERTED_TO_CUSTOMER,
  /** The lead followed its double opt-in confirmation link (sent by Nurture's confirmation page only). */
  CONSENT_CONFIRMED;

  /**
   * Written once: every event in a journey's history is read through {@link #parse} and written
   * through {@link #wireName} whenever the worker replays the journey, which, for a journey evicted
   * from its cache, is every event it is sent.
   */
  private final String wire = name().toLowerCase(Locale.ROOT);

  private static final Map<String, EventType> BY_WIRE =
      Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(EventType::wireName, t -> t));

  @JsonValue
  public String wireName() {
    return wire;
  }

  public static Optional<EventType> fromWire(String name) {
    return name == null ? Optional.empty() : Optional.ofNullable(BY_WIRE.get(name));
  }

  @JsonCreator
  static EventType parse(String name) {
    return fromWire(name).orElseThrow(() -> new IllegalArgumentException(
        "unknown event type '" + name + "'; expected one of " + String.join(", ", wireNames())));
  }

  public static List<String> wireNames() {
    return Arrays.stream(values()).map(EventType::wireName).toList();
  }
}
