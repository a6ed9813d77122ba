package com.nurture.api.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Makes a workflow history (Temporal's JSON for its events) readable. Every payload whose encoding
 * is JSON ({@code json/plain}, {@code json/protobuf}) is replaced by the JSON value it holds, and
 * {@code binary/null} by null; any other payload (binary, encrypted, unknown) is left as Temporal
 * gives it, base64. Then each activity, local activity and timer gets
 * {@code "nurture": {"step", "what", "until"}}: the program step it served, from the activity's own
 * input when it names one (SendEmail's {@code stepId}, the recorded transitions' {@code currentStep}),
 * else the step the journey last recorded before it; for a timer, {@code until} is when the journey
 * meant to act next.
 */
public final class HistoryDecoder {
  private static final Set<String> PAYLOAD_KEYS = Set.of("metadata", "data", "externalPayloads");
  private final ObjectMapper json;

  public HistoryDecoder(ObjectMapper json) {
    this.json = json;
  }

  /** Decodes and annotates the events (an array, changed in place and answered). */
  public ArrayNode decode(ArrayNode events) {
    for (int i = 0; i < events.size(); i++) {
      events.set(i, decodePayloads(events.get(i)));
    }
    annotate(events);
    return events;
  }

  private JsonNode decodePayloads(JsonNode node) {
    if (node.isArray()) {
      ArrayNode array = (ArrayNode) node;
      for (int i = 0; i < array.size(); i++) {
        array.set(i, decodePayloads(array.get(i)));
      }
      return array;
    }
    if (!node.isObject()) {
      return node;
    }
    Optional<JsonNode> payload = payload((ObjectNode) node);
    if (payload.isPresent()) {
      return payload.get();
    }
    ObjectNode object = (ObjectNode) node;
    Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      field.setValue(decodePayloads(field.getValue()));
    }
    return object;
  }

  /** The value of a Temporal payload ({@code {"metadata": {"encoding": ...}, "data": ...}}) when it is JSON. */
  private Optional<JsonNode> payload(ObjectNode node) {
    JsonNode encoding = node.path("metadata").path("encoding");
    if (!encoding.isTextual() || !PAYLOAD_KEYS.containsAll(iterable(node.fieldNames()))) {
      return Optional.empty();
    }
    try {
      String kind = new String(Base64.getDecoder().decode(encoding.asText()), StandardCharsets.UTF_8);
      if (kind.equals("binary/null")) {
        return Optional.of(NullNode.getInstance());
      }
      if (!kind.equals("json/plain") && !kind.equals("json/protobuf")) {
        return Optional.empty();
      }
      byte[] data = Base64.getDecoder().decode(node.path("data").asText(""));
      return Optional.of(json.readTree(data));
    } catch (IllegalArgumentException | IOException e) {
      return Optional.empty(); // not what it claims: left as Temporal gave it
    }
  }

  private static Set<String> iterable(Iterator<String> names) {
    Set<String> all = new java.util.HashSet<>();
    names.forEachRemaining(all::add);
    return all;
  }

  /** Names each activity, local activity and timer (and the events that follow from them) by its step. */
  private void annotate(ArrayNode events) {
    Map<String, ObjectNode> started = new HashMap<>();
    String step = null;
    String until = null;
    for (JsonNode e : events) {
      ObjectNode event = (ObjectNode) e;
      String id = event.path("eventId").asText();
      switch (event.path("eventType").asText()) {
        case "EVENT_TYPE_MARKER_RECORDED" -> {
          JsonNode marker = event.path("markerRecordedEventAttributes");
          if (!marker.path("markerName").asText().equals("LocalActivity")) {
            break;
          }
          JsonNode input = first(marker.path("details").path("input"));
          if (input.isArray() && !input.isEmpty()) {
            JsonNode last = input.get(input.size() - 1);
            step = text(last.path("currentStep")).orElse(step);
            until = text(last.path("nextActionAt")).orElse(null);
          }
          // A send run as a local activity (a scheduled step's) names its own step, as its activity task did.
          String own = text(input.path("stepId")).orElse(step);
          event.set("nurture", note(own, "local activity " + first(marker.path("details").path("type")).asText("?"), null));
        }
        case "EVENT_TYPE_ACTIVITY_TASK_SCHEDULED" -> {
          JsonNode activity = event.path("activityTaskScheduledEventAttributes");
          String own = text(first(activity.path("input")).path("stepId")).orElse(step);
          ObjectNode note = note(own, "activity " + activity.path("activityType").path("name").asText("?"), null);
          event.set("nurture", note);
          started.put(id, note);
        }
        case "EVENT_TYPE_TIMER_STARTED" -> {
          ObjectNode note = note(step, "timer", until);
          event.set("nurture", note);
          started.put(id, note);
        }
        default -> {
          String origin = origin(event);
          if (origin != null && started.containsKey(origin)) {
            event.set("nurture", started.get(origin).deepCopy());
          }
        }
      }
    }
  }

  /** The event an activity or timer event follows from: its scheduled or started event id. */
  private static String origin(JsonNode event) {
    for (Iterator<Map.Entry<String, JsonNode>> f = event.fields(); f.hasNext(); ) {
      Map.Entry<String, JsonNode> field = f.next();
      String name = field.getKey();
      if (name.startsWith("activityTask") || name.startsWith("timer")) {
        JsonNode attributes = field.getValue();
        String ref = attributes.path(name.startsWith("timer") ? "startedEventId" : "scheduledEventId").asText("");
        return ref.isEmpty() ? null : ref;
      }
    }
    return null;
  }

  private ObjectNode note(String step, String what, String until) {
    ObjectNode note = json.createObjectNode();
    note.put("step", step);
    note.put("what", what);
    if (until != null) {
      note.put("until", until);
    }
    return note;
  }

  /** The first value of a decoded Payloads ({@code {"payloads": [...]}}), or a missing node. */
  private static JsonNode first(JsonNode payloads) {
    return payloads.path("payloads").path(0);
  }

  private static Optional<String> text(JsonNode node) {
    return node.isTextual() && !node.asText().isEmpty() ? Optional.of(node.asText()) : Optional.empty();
  }
}
