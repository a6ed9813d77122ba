package com.nurture.api.openapi;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.Schema;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Bean Validation's {@code @Pattern} matches the whole value; JSON Schema's {@code pattern} matches
 * anywhere in it ({@code [a-z]+} accepts {@code "1a!"}). So every pattern in the description is
 * anchored, {@code ^(?:...)$}, to say what the API really accepts.
 */
final class SchemaPatterns {
  private SchemaPatterns() {}

  static void anchor(OpenAPI api) {
    Set<Schema<?>> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    if (api.getComponents() != null && api.getComponents().getSchemas() != null) {
      api.getComponents().getSchemas().values().forEach(s -> walk(s, seen));
    }
    if (api.getPaths() == null) {
      return;
    }
    api.getPaths().values().forEach(item -> item.readOperations().forEach(op -> operation(op, seen)));
  }

  static String anchored(String pattern) {
    return pattern.startsWith("^") && pattern.endsWith("$") ? pattern : "^(?:" + pattern + ")$";
  }

  private static void operation(Operation op, Set<Schema<?>> seen) {
    if (op.getParameters() != null) {
      op.getParameters().forEach(p -> walk(p.getSchema(), seen));
    }
    if (op.getRequestBody() != null) {
      content(op.getRequestBody().getContent(), seen);
    }
    if (op.getResponses() != null) {
      op.getResponses().values().forEach(r -> content(r.getContent(), seen));
    }
  }

  private static void content(Content content, Set<Schema<?>> seen) {
    if (content != null) {
      content.values().forEach(m -> walk(m.getSchema(), seen));
    }
  }

  @SuppressWarnings({"rawtypes", "unchecked"})
  private static void walk(Schema<?> schema, Set<Schema<?>> seen) {
    if (schema == null || !seen.add(schema)) {
      return;
    }
    if (schema.getPattern() != null) {
      schema.setPattern(anchored(schema.getPattern()));
    }
    Stream.of(schema.getAllOf(), schema.getAnyOf(), schema.getOneOf(), schema.getPrefixItems())
        .filter(l -> l != null).flatMap(List::stream).forEach(s -> walk((Schema<?>) s, seen));
    if (schema.getProperties() != null) {
      ((java.util.Map<String, Schema>) (java.util.Map) schema.getProperties()).values().forEach(s -> walk(s, seen));
    }
    if (schema.getPatternProperties() != null) {
      ((java.util.Map<String, Schema>) (java.util.Map) schema.getPatternProperties()).values().forEach(s -> walk(s, seen));
    }
    walk(schema.getItems(), seen);
    walk(schema.getNot(), seen);
    walk(schema.getPropertyNames(), seen);
    if (schema.getAdditionalProperties() instanceof Schema<?> extra) {
      walk(extra, seen);
    }
  }
}
