package com.nurture.workflows.journey;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

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

  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<EventType> fromWire(String name) {
    return Arrays.stream(values()).filter(t -> t.wireName().equals(name)).findFirst();
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
