package com.nurture.api.limits;

import com.nurture.api.errors.FieldError;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The caps on a free-form JSON object a client sends (an event's {@code properties}, a lead's
 * {@code attributes}): how many properties in all (every key and list element, at any depth), how
 * deep, how long a key, how long a string. Pure: {@link #check} answers one error per broken cap,
 * each naming the field as the client wrote it and the configuration key that sets the cap.
 */
public record PayloadLimits(int maxProperties, int maxDepth, int maxKeyLength, int maxStringLength) {
  public static final PayloadLimits DEFAULTS = new PayloadLimits(100, 5, 64, 10_000);

  /** The errors of {@code value} found at {@code field}; empty when it keeps every cap. */
  public List<FieldError> check(String field, Map<String, ?> value) {
    if (value == null || value.isEmpty()) {
      return List.of();
    }
    Walk walk = new Walk();
    walk.object(field, value, 1);
    if (walk.properties > maxProperties) {
      String count = walk.properties > maxProperties * 2 ? "over " + maxProperties * 2 : String.valueOf(walk.properties);
      walk.errors.add(0, new FieldError(field, "has " + count + " properties (nested ones and list items "
          + "included); at most " + maxProperties + " (limits.max_properties)"));
    }
    return List.copyOf(walk.errors);
  }

  /** One pass over the value; the first error of each kind is kept (one is enough to fix the sender). */
  private final class Walk {
    final List<FieldError> errors = new ArrayList<>();
    int properties;
    boolean tooDeep;
    boolean keyTooLong;
    boolean stringTooLong;

    void object(String path, Map<?, ?> map, int depth) {
      if (depth > maxDepth) {
        deep(path);
        return;
      }
      for (Map.Entry<?, ?> e : map.entrySet()) {
        properties++;
        String key = String.valueOf(e.getKey());
        if (key.length() > maxKeyLength && !keyTooLong) {
          keyTooLong = true;
          errors.add(new FieldError(path + "." + key.substring(0, Math.min(key.length(), 32)) + "...",
              "key is " + key.length() + " characters long; at most " + maxKeyLength + " (limits.max_key_length)"));
        }
        value(path + "." + key, e.getValue(), depth);
        if (properties > maxProperties * 2) {
          return; // counted enough to refuse it; no need to walk a hostile body to its end
        }
      }
    }

    void value(String path, Object v, int depth) {
      if (v instanceof Map<?, ?> m) {
        object(path, m, depth + 1);
      } else if (v instanceof List<?> list) {
        if (depth + 1 > maxDepth) {
          deep(path);
          return;
        }
        for (int i = 0; i < list.size() && properties <= maxProperties * 2; i++) {
          properties++;
          value(path + "[" + i + "]", list.get(i), depth + 1);
        }
      } else if (v instanceof CharSequence s && s.length() > maxStringLength && !stringTooLong) {
        stringTooLong = true;
        errors.add(new FieldError(path, "is " + s.length() + " characters long; at most " + maxStringLength
            + " (limits.max_string_length)"));
      }
    }

    private void deep(String path) {
      if (!tooDeep) {
        tooDeep = true;
        errors.add(new FieldError(path, "is nested more than " + maxDepth + " levels deep (limits.max_depth)"));
      }
    }
  }
}
