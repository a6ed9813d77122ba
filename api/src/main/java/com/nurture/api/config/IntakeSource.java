package com.nurture.api.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import com.nurture.workflows.journey.EventType;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotNull;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * One MA system's secret and mapping. Paths name a value in their payload: dotted
 * ({@code properties.email}), alternatives separated by {@code |} (the first present wins); a
 * value wrapped as {@code {"value": ...}} (HubSpot's contact JSON) is read through. Empty: not mapped.
 */
public class IntakeSource {
  /** The shared secret (HubSpot: the app's client secret; Segment: the destination's shared secret). */
  @JsonSetter(nulls = Nulls.SKIP)
  @JsonProperty("secret")
  public String secret = "";

  /** Their id for the lead; empty or absent in a payload: the lead with that email, else one made from it. */
  @NotNull @JsonProperty("lead_id")
  public String leadId = "";

  /** Put before their id to make ours (keeps ids from different systems apart). */
  @NotNull @JsonProperty("lead_id_prefix")
  public String leadIdPrefix = "";

  @NotNull @JsonProperty("email")
  public String email = "";

  /** Our lead field (first_name, last_name, company, role, industry, employees, timezone, source, locale, consent, or attributes.x) -> their path. */
  @NotNull @JsonProperty("fields")
  public Map<String, String> fields = new LinkedHashMap<>();

  /** The consent a lead new to Nurture gets when the payload maps none (opt_in, pending, ...; empty: none given). */
  @NotNull @JsonProperty("consent")
  public String consent = "";

  /** Their name of what happened (the form, list, campaign or event). */
  @NotNull @JsonProperty("event_name")
  public String eventName = "";

  /** Their unique id of what happened; empty or absent: a hash of the body (a redelivery is the same event). */
  @NotNull @JsonProperty("event_id")
  public String eventId = "";

  /** When it happened (ISO-8601, or epoch milliseconds); empty or absent: on arrival. */
  @NotNull @JsonProperty("occurred_at")
  public String occurredAt = "";

  /** An object in their payload whose entries (text, numbers, booleans) become the event's properties. */
  @NotNull @JsonProperty("event_properties")
  public String eventProperties = "";

  /** Their name -> our event type. */
  @NotNull @JsonProperty("event_map")
  public Map<String, String> eventMap = new LinkedHashMap<>();

  /** Our event type for a name not in event_map; empty: such a call only updates the lead. */
  @NotNull @JsonProperty("event_type")
  public String eventType = "";

  /** Their name -> the program to enrol the lead in. */
  @NotNull @JsonProperty("enrol_map")
  public Map<String, String> enrolMap = new LinkedHashMap<>();

  /** The program to enrol every lead this source sends in; empty: none (enrol_map still applies). */
  @NotNull @JsonProperty("enrol_program")
  public String enrolProgram = "";

  private static final Set<String> LEAD_FIELDS = Set.of("first_name", "last_name", "company", "role", "industry",
      "employees", "timezone", "source", "locale", "consent");

  public boolean configured() {
    return !secret.isBlank();
  }

  @AssertTrue(message = "event_map values and event_type must be event types (docs/api.md, Events)")
  public boolean isEventTypesKnown() {
    return (eventType.isEmpty() || EventType.fromWire(eventType).isPresent())
        && eventMap.values().stream().allMatch(t -> EventType.fromWire(t).isPresent());
  }

  @AssertTrue(message = "fields keys must be lead fields or attributes.<name>")
  public boolean isFieldsKnown() {
    return fields.keySet().stream().allMatch(k -> LEAD_FIELDS.contains(k) || k.matches("attributes\\.[A-Za-z0-9_]{1,64}"));
  }
}
