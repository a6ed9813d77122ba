package com.nurture.workflows.condition;

import static com.nurture.workflows.program.StrictYaml.absent;
import static com.nurture.workflows.program.StrictYaml.child;

import com.fasterxml.jackson.databind.JsonNode;
import com.nurture.workflows.journey.EventType;
import com.nurture.workflows.program.ProgramError;
import com.nurture.workflows.program.StrictYaml;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Reads conditions, reporting each problem with its path:
 * <pre>
 *   all: [ ... ]   any: [ ... ]   not: { ... }
 *   { attribute: employees, gte: 100 }          eq | gte | lte | in: [a, b]
 *   { score: total, gte: 70 }                   total | fit | engagement | velocity
 *   { event_seen: { type: page_visited, within: 7d, min: 2, where: { page: pricing } } }
 * </pre>
 * Strict (see {@link StrictYaml}): a key that is not part of the condition's kind, or a value of
 * the wrong type, is an error.
 */
public final class ConditionParser {
  public static final List<String> SCORES = List.of("total", "fit", "engagement", "velocity");
  private static final List<String> OPS = List.of("eq", "gte", "lte", "in");
  private static final List<String> KINDS = List.of("all", "any", "not", "attribute", "score", "event_seen");
  private static final List<String> EVENT_SEEN = List.of("type", "within", "min", "where");

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
    if (!kind.equals("attribute") && !kind.equals("score")) {
      boolean stray = false;
      for (String op : OPS) {
        if (node.has(op)) {
          errors.add(new ProgramError(path + "." + op, "compares an attribute or a score; it does not belong beside '"
              + kind + "'"));
          stray = true;
        }
      }
      if (stray) {
        return null;
      }
    }
    return switch (kind) {
      case "all", "any" -> list(kind, node.get(kind), path + "." + kind, errors);
      case "not" -> {
        Condition inner = parse(node.get("not"), path + ".not", errors);
        yield inner == null ? null : new Condition.Not(inner);
      }
      case "attribute" -> {
        int before = errors.size();
        String name = StrictYaml.text(node.get("attribute"), path + ".attribute", errors).orElse("");
        boolean nameBad = errors.size() > before;
        Comparison c = comparison(node, path, errors);
        if (name.isBlank() && !nameBad) {
          errors.add(new ProgramError(path + ".attribute", "names the attribute to compare, e.g. employees"));
        }
        yield c == null || errors.size() > before ? null : new Condition.AttributeIs(name, c);
      }
      case "score" -> {
        int before = errors.size();
        String score = StrictYaml.text(node.get("score"), path + ".score", errors).orElse("");
        Comparison c = comparison(node, path, errors);
        if (!SCORES.contains(score)) {
          errors.add(new ProgramError(path + ".score", "must be one of " + SCORES));
          yield null;
        }
        if (c != null && c.values().stream().anyMatch(v -> Comparison.number(v) == null)) {
          errors.add(new ProgramError(path, "a score compares with numbers"));
          yield null;
        }
        yield c == null || errors.size() > before ? null : new Condition.ScoreIs(score, c);
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
      int before = errors.size();
      for (int i = 0; i < v.size(); i++) {
        StrictYaml.scalar(v.get(i), path + ".in[" + i + "]", errors).ifPresent(values::add);
      }
      if (errors.size() > before) {
        return null;
      }
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
    if (!StrictYaml.mapping(node, path, "a mapping: { type, within, min, where }", errors)) {
      return null;
    }
    int before = errors.size();
    StrictYaml.onlyKeys(node, path, "event_seen", EVENT_SEEN, errors);
    EventType type = eventType(node.get("type"), path + ".type", errors);
    Duration within = StrictYaml.duration(node.get("within"), path + ".within", errors).orElse(Duration.ZERO);
    if (node.hasNonNull("within") && within.isZero() && errors.size() == before) {
      errors.add(new ProgramError(path + ".within", "must be longer than zero (leave within out for: ever)"));
    }
    int min = StrictYaml.integer(node.get("min"), path + ".min", 1, Integer.MAX_VALUE, errors).orElse(1);
    Map<String, String> where = stringMap(node.get("where"), path + ".where", errors);
    return errors.size() > before ? null : new Condition.EventSeen(type, within, min, where);
  }

  /** An event type by its wire name, or an error listing the known ones. */
  public static EventType eventType(JsonNode node, String path, List<ProgramError> errors) {
    if (!absent(node) && !node.isTextual()) {
      errors.add(new ProgramError(path, "is an event type, not " + StrictYaml.kind(node)));
      return null;
    }
    String name = absent(node) ? "" : node.asText().trim();
    return EventType.fromWire(name).orElseGet(() -> {
      errors.add(new ProgramError(path, name.isEmpty() ? "is required: an event type"
          : "unknown event type '" + name + "' (known: " + String.join(", ", EventType.wireNames()) + ")"));
      return null;
    });
  }

  /** A flat mapping of property names to single values (absent: empty). */
  public static Map<String, String> stringMap(JsonNode node, String path, List<ProgramError> errors) {
    Map<String, String> out = new LinkedHashMap<>();
    if (absent(node)) {
      return out;
    }
    if (!StrictYaml.mapping(node, path, "a mapping of property names to values", errors)) {
      return out;
    }
    node.fields().forEachRemaining(e -> {
      Optional<String> value = StrictYaml.scalar(e.getValue(), child(path, e.getKey()), errors);
      value.ifPresent(v -> out.put(e.getKey(), v));
    });
    return out;
  }
}
