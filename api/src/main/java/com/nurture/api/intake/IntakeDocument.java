package com.nurture.api.intake;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * Reads a value from an MA system's payload by a configured path: dotted ({@code properties.email}),
 * alternatives separated by {@code |} (the first present and not empty wins). A value wrapped as
 * {@code {"value": ...}} (HubSpot's contact JSON) is read through.
 */
public final class IntakeDocument {
  private IntakeDocument() {}

  /** The node at the path, or empty (no path, absent, null or empty text). */
  public static Optional<JsonNode> node(JsonNode doc, String paths) {
    if (paths == null || paths.isBlank()) {
      return Optional.empty();
    }
    for (String path : paths.split("\\|")) {
      JsonNode n = doc;
      for (String part : path.trim().split("\\.")) {
        n = n == null ? null : n.get(part);
      }
      if (n != null && n.isObject() && n.has("value") && !n.get("value").isContainerNode()) {
        n = n.get("value");
      }
      if (n != null && !n.isNull() && !n.isMissingNode() && !(n.isTextual() && n.asText().isBlank())) {
        return Optional.of(n);
      }
    }
    return Optional.empty();
  }

  /** The value at the path as text (numbers and booleans as written), or empty. */
  public static Optional<String> text(JsonNode doc, String paths) {
    return node(doc, paths).filter(JsonNode::isValueNode).map(n -> n.asText().trim());
  }
}
