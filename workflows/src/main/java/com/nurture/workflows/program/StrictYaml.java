package com.nurture.workflows.program;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/**
 * The one way program and scoring YAML is read. Every mapping is checked for keys it does not
 * know, every value for its type, every duration goes through {@link DurationText}: a value that
 * is present but wrong is an error at its path (the line is added by {@link YamlLines} when the
 * document was text), never a silent default. An absent (or empty) value is "not given": the
 * caller decides whether it is required or has a documented default.
 *
 * <p>Why not Jackson data binding onto a schema of records: it stops at the first problem, while
 * validation reports every error of a program at once; and programs choose their shape by which
 * key is present (a step's kind, a condition's kind, {@code send: <template>} or a mapping), which
 * binding expresses only with custom deserializers that would walk the tree anyway.
 */
public final class StrictYaml {
  private static final YAMLMapper YAML = YAMLMapper.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .build();

  private StrictYaml() {}

  /**
   * Reads YAML (or JSON) text; a key given twice in one mapping is an error, not "the last wins".
   * @throws InvalidProgramException naming the line, for text that is not YAML
   */
  public static JsonNode read(String text, String documentId) {
    try {
      return YAML.readTree(text == null ? "" : text);
    } catch (JsonProcessingException e) {
      int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
      throw new InvalidProgramException(documentId,
          List.of(new ProgramError("$", line, "not valid YAML: " + e.getOriginalMessage())));
    }
  }

  /** Not given: no key, or a key with no value ({@code key:} or {@code key: ~}). */
  public static boolean absent(JsonNode v) {
    return v == null || v.isNull() || v.isMissingNode();
  }

  /** {@code a.b}, or {@code b} at the top. */
  public static String child(String path, String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  /** What a value is, for "is X, not Y" messages. */
  public static String kind(JsonNode v) {
    if (absent(v)) {
      return "empty";
    }
    if (v.isObject()) {
      return "a mapping";
    }
    if (v.isArray()) {
      return "a list";
    }
    if (v.isBoolean()) {
      return "true/false";
    }
    if (v.isNumber()) {
      return "a number (" + v.asText() + ")";
    }
    return "text ('" + v.asText() + "')";
  }

  /** Whether {@code v} is a mapping; otherwise an error "is {@code shape}". */
  public static boolean mapping(JsonNode v, String path, String shape, List<ProgramError> errors) {
    if (v != null && v.isObject()) {
      return true;
    }
    errors.add(new ProgramError(path, "is " + shape + ", not " + kind(v)));
    return false;
  }

  /** Each key of the mapping that is not one of {@code keys} is an error naming the keys it may have. */
  public static void onlyKeys(JsonNode mapping, String path, String what, Collection<String> keys,
      List<ProgramError> errors) {
    for (Iterator<String> it = mapping.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!keys.contains(key)) {
        errors.add(new ProgramError(child(path, key), "is not part of " + what + " (expected one of " + keys + ")"));
      }
    }
  }

  /** A list, or an error "is {@code shape}"; empty when absent or wrong. */
  public static Optional<List<JsonNode>> list(JsonNode v, String path, String shape, List<ProgramError> errors) {
    if (absent(v)) {
      return Optional.empty();
    }
    if (!v.isArray()) {
      errors.add(new ProgramError(path, "is " + shape + ", not " + kind(v)));
      return Optional.empty();
    }
    List<JsonNode> items = new ArrayList<>();
    v.forEach(items::add);
    return Optional.of(items);
  }

  /**
   * Text, trimmed (a number is text as written: {@code id: 2024}); empty when absent. A mapping,
   * a list, or a YAML boolean ({@code yes}, {@code no}, {@code on}, {@code off}) is an error.
   */
  public static Optional<String> text(JsonNode v, String path, List<ProgramError> errors) {
    if (absent(v)) {
      return Optional.empty();
    }
    if (v.isTextual() || v.isNumber()) {
      return Optional.of(v.asText().trim());
    }
    if (v.isBoolean()) {
      errors.add(new ProgramError(path, "YAML reads yes, no, on and off as true or false: quote the text"));
    } else {
      errors.add(new ProgramError(path, "is text, not " + kind(v)));
    }
    return Optional.empty();
  }

  /** A single value (text, number or boolean) as text, untrimmed: a property value to compare with. */
  public static Optional<String> scalar(JsonNode v, String path, List<ProgramError> errors) {
    if (absent(v)) {
      errors.add(new ProgramError(path, "needs a value"));
      return Optional.empty();
    }
    if (!v.isValueNode()) {
      errors.add(new ProgramError(path, "is a single value, not " + kind(v)));
      return Optional.empty();
    }
    return Optional.of(v.asText());
  }

  /** A whole number from {@code min} to {@code max}; empty when absent. */
  public static Optional<Integer> integer(JsonNode v, String path, int min, int max, List<ProgramError> errors) {
    if (absent(v)) {
      return Optional.empty();
    }
    if (!v.isIntegralNumber() || !v.canConvertToInt() || v.asInt() < min || v.asInt() > max) {
      errors.add(new ProgramError(path, max == Integer.MAX_VALUE
          ? "must be a whole number of at least " + min
          : "must be a whole number from " + min + " to " + max));
      return Optional.empty();
    }
    return Optional.of(v.asInt());
  }

  /** {@code true} or {@code false}; empty when absent. */
  public static Optional<Boolean> bool(JsonNode v, String path, List<ProgramError> errors) {
    if (absent(v)) {
      return Optional.empty();
    }
    if (!v.isBoolean()) {
      errors.add(new ProgramError(path, "is true or false"));
      return Optional.empty();
    }
    return Optional.of(v.asBoolean());
  }

  /** One of {@code choices}; empty when absent. */
  public static Optional<String> oneOf(JsonNode v, String path, List<String> choices, String message,
      List<ProgramError> errors) {
    int before = errors.size();
    Optional<String> t = text(v, path, errors);
    if (t.isPresent() && !choices.contains(t.get())) {
      errors.add(new ProgramError(path, message));
      return Optional.empty();
    }
    return errors.size() > before ? Optional.empty() : t;
  }

  /** A duration ({@link DurationText}: {@code 3d}, {@code 1d12h}, {@code PT36H}); empty when absent. */
  public static Optional<Duration> duration(JsonNode v, String path, List<ProgramError> errors) {
    if (absent(v)) {
      return Optional.empty();
    }
    if (!v.isValueNode()) {
      errors.add(new ProgramError(path, "is a duration such as 3d, 12h or 1d12h, not " + kind(v)));
      return Optional.empty();
    }
    try {
      return Optional.of(DurationText.parse(v.asText()));
    } catch (IllegalArgumentException e) {
      errors.add(new ProgramError(path, e.getMessage()));
      return Optional.empty();
    }
  }

  /** A duration longer than zero; when absent: an error, unless {@code dflt} is given. */
  public static Optional<Duration> positiveDuration(JsonNode v, String path, Optional<Duration> dflt,
      List<ProgramError> errors) {
    if (absent(v)) {
      if (dflt.isEmpty()) {
        errors.add(new ProgramError(path, "a duration is required, e.g. 3d, 12h or 1d12h"));
      }
      return dflt;
    }
    Optional<Duration> d = duration(v, path, errors);
    if (d.isPresent() && d.get().isZero()) {
      errors.add(new ProgramError(path, "must be longer than zero"));
      return Optional.empty();
    }
    return d;
  }
}
