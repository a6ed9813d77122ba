package com.nurture.workflows.condition;

import com.fasterxml.jackson.databind.JsonNode;
import com.nurture.workflows.journey.EventType;
import com.nurture.workflows.program.DurationText;
import com.nurture.workflows.program.ProgramError;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads conditions, reporting each problem with its path:
 * <pre>
 *   all: [ ... ]   any: [ ... ]   not: { ... }
 *   { attribute: employees, gte: 100 }          eq | gte | lte | in: [a, b]
 *   { score: total, gte: 70 }                   total | fit | engagement | velocity
 *   { event_seen: { type: page_visited, within: 7d, min: 2, where: { page: pricing } } }
 * </pre>
 */
public final class ConditionParser {
  public static final List<String> SCORES = List.of("total", "fit", "engagement", "velocity");
  private static final List<String> OPS = List.of("eq", "gte", "lte", "in");
  private static final List<String> KINDS = List.of("all", "any", "not", "attribute", "score", "event_seen");

  private ConditionParser() {}

  /** @return the condition, or null when it had errors (they are added to {@code errors}) */
  public static Condition parse(JsonNode node, String path, List<ProgramError> errors) {
    if (node == null || !node.isObject() || node.isEmpty()) {
      errors.add(new ProgramError(path, "a condition is a mapping with one of " + KINDS));
      return null;
    }
    String kind = null;
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (KINDS.contains(f)) {
        if (kind != null) {
          errors.add(new ProgramError(path, "has both '" + kind + "' and '" + f + "'; combine them with all or any"));
          return null;
        }
        kind = f;
      } else if (!OPS.contains(f)) {
        errors.add(new ProgramError(path + "." + f, "is not part of a condition (expected one of " + KINDS + ")"));
        return null;
      }
    }
    if (kind == null) {
      errors.add(new ProgramError(path, "a condition needs one of " + KINDS));
      return null;
    }
    return switch (kind) {
      case "all", "any" -> list(kind, node.get(kind), path + "." + kind, errors);
      case "not" -> {
        Condition inner = parse(node.get("not"), path + ".not", errors);
        yield inner == null ? null : new Condition.Not(inner);
      }
      case "attribute" -> {
        String name = node.get("attribute").asText("");
        Comparison c = comparison(node, path, errors);
        if (name.isBlank()) {
          errors.add(new ProgramError(path + ".attribute", "names the attribute to compare, e.g. employees"));
          yield null;
        }
        yield c == null ? null : new Condition.AttributeIs(name, c);
      }
      case "score" -> {
        String score = node.get("score").asText("");
        Comparison c = comparison(node, path, errors);
        if (!SCORES.contains(score)) {
          errors.add(new ProgramError(path + ".score", "must be one of " + SCORES));
          yield null;
        }
        if (c != null && c.values().stream().anyMatch(v -> Comparison.number(v) == null)) {
          errors.add(new ProgramError(path, "a score compares with numbers"));
          yield null;
        }
        yield c == null ? null : new Condition.ScoreIs(score, c);
      }
      default -> eventSeen(node.get("event_seen"), path + ".event_seen", errors);
    };
  }

  private static Condition list(String kind, JsonNode items, String path, List<ProgramError> errors) {
    if (items == null || !items.isArray() || items.isEmpty()) {
      errors.add(new ProgramError(path, "is a list of at least one condition"));
      return null;
    }
    List<Condition> out = new ArrayList<>();
    boolean ok = true;
    for (int i = 0; i < items.size(); i++) {
      Condition c = parse(items.get(i), path + "[" + i + "]", errors);
      ok &= c != null;
      out.add(c);
    }
    if (!ok) {
      return null;
    }
    return kind.equals("all") ? new Condition.All(List.copyOf(out)) : new Condition.Any(List.copyOf(out));
  }

  private static Comparison comparison(JsonNode node, String path, List<ProgramError> errors) {
    List<String> ops = new ArrayList<>();
    node.fieldNames().forEachRemaining(f -> {
      if (OPS.contains(f)) {
        ops.add(f);
      }
    });
    if (ops.size() != 1) {
      errors.add(new ProgramError(path, "needs exactly one comparison of " + OPS));
      return null;
    }
    String op = ops.get(0);
    JsonNode v = node.get(op);
    List<String> values = new ArrayList<>();
    if (op.equals("in")) {
      if (v == null || !v.isArray() || v.isEmpty()) {
        errors.add(new ProgramError(path + ".in", "is a list of values"));
        return null;
      }
      v.forEach(x -> values.add(x.asText()));
    } else {
      if (v == null || !v.isValueNode() || v.isNull()) {
        errors.add(new ProgramError(path + "." + op, "is a single value"));
        return null;
      }
      values.add(v.asText());
      if (!op.equals("eq") && Comparison.number(v.asText()) == null) {
        errors.add(new ProgramError(path + "." + op, "compares with a number, not '" + v.asText() + "'"));
        return null;
      }
    }
    return new Comparison(Comparison.Op.valueOf(op.toUpperCase(Locale.ROOT)), List.copyOf(values));
  }

  private static Condition eventSeen(JsonNode node, String path, List<ProgramError> errors) {
    if (node == null || !node.isObject()) {
      errors.add(new ProgramError(path, "is a mapping: { type, within, min, where }"));
      return null;
    }
    int before = errors.size();
    EventType type = eventType(node.get("type"), path + ".type", errors);
    Duration within = Duration.ZERO;
    if (node.hasNonNull("within")) {
      try {
        within = DurationText.parse(node.get("within").asText());
      } catch (IllegalArgumentException e) {
        errors.add(new ProgramError(path + ".within", e.getMessage()));
      }
    }
    int min = node.path("min").asInt(1);
    if (min < 1) {
      errors.add(new ProgramError(path + ".min", "must be at least 1"));
    }
    Map<String, String> where = stringMap(node.get("where"), path + ".where", errors);
    node.fieldNames().forEachRemaining(f -> {
      if (!Set.of("type", "within", "min", "where").contains(f)) {
        errors.add(new ProgramError(path + "." + f, "is not part of event_seen (type, within, min, where)"));
      }
    });
    return errors.size() > before ? null : new Condition.EventSeen(type, within, min, where);
  }

  /** An event type by its wire name, or an error listing the known ones. */
  public static EventType eventType(JsonNode node, String path, List<ProgramError> errors) {
    String name = node == null ? "" : node.asText("");
    return EventType.fromWire(name).orElseGet(() -> {
      errors.add(new ProgramError(path, name.isEmpty() ? "is required: an event type"
          : "unknown event type '" + name + "' (known: " + String.join(", ", EventType.wireNames()) + ")"));
      return null;
    });
  }

  /** A flat mapping of property names to values (absent: empty). */
  public static Map<String, String> stringMap(JsonNode node, String path, List<ProgramError> errors) {
    Map<String, String> out = new LinkedHashMap<>();
    if (node == null || node.isNull()) {
      return out;
    }
    if (!node.isObject()) {
      errors.add(new ProgramError(path, "is a mapping of property names to values"));
      return out;
    }
    node.fields().forEachRemaining(e -> {
      if (e.getValue().isValueNode()) {
        out.put(e.getKey(), e.getValue().asText());
      } else {
        errors.add(new ProgramError(path + "." + e.getKey(), "is a single value"));
      }
    });
    return out;
  }
}
