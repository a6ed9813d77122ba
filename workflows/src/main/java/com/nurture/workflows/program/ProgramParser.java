package com.nurture.workflows.program;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Reads a program from YAML (or JSON, which is YAML too) and checks it, collecting every error
 * with its path instead of stopping at the first.
 */
public final class ProgramParser {
  static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");
  private static final Set<String> STEP_KINDS = Set.of("send", "wait");
  /** Kinds of the program language that a later release interprets; named so the error says so. */
  private static final Set<String> LATER_KINDS = Set.of("wait_for", "branch", "handoff", "goto", "exit");
  private static final Set<String> TOP_LEVEL = Set.of("id", "name", "steps");
  private static final ObjectMapper YAML = new YAMLMapper();

  private final Predicate<String> templateExists;

  /** @param templateExists tells whether a template id can be rendered by the sender */
  public ProgramParser(Predicate<String> templateExists) {
    this.templateExists = templateExists;
  }

  /** Parses the text as the program's next version; {@code version} is assigned by the catalog. */
  public Program parse(String text, int version) {
    JsonNode root;
    try {
      root = YAML.readTree(text);
    } catch (JsonProcessingException e) {
      throw new InvalidProgramException("?", List.of(new ProgramError("$", "not valid YAML: " + e.getOriginalMessage())));
    }
    return parse(root, version);
  }

  public Program parse(JsonNode root, int version) {
    List<ProgramError> errors = new ArrayList<>();
    if (root == null || !root.isObject()) {
      throw new InvalidProgramException("?", List.of(new ProgramError("$", "a program is a mapping with id, name and steps")));
    }
    String id = text(root, "id");
    if (id.isEmpty()) {
      errors.add(new ProgramError("id", "is required"));
    } else if (!ID.matcher(id).matches()) {
      errors.add(new ProgramError("id", "must be lower-case letters, digits and dashes (at most 64)"));
    }
    for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!TOP_LEVEL.contains(field)) {
        errors.add(new ProgramError(field, "is not a program field (expected one of " + TOP_LEVEL + ")"));
      }
    }
    String name = text(root, "name");
    if (name.isEmpty()) {
      name = id;
    }
    List<Step> steps = new ArrayList<>();
    JsonNode stepNodes = root.get("steps");
    if (stepNodes == null || !stepNodes.isArray() || stepNodes.isEmpty()) {
      errors.add(new ProgramError("steps", "needs at least one step"));
    } else {
      Set<String> seen = new HashSet<>();
      for (int i = 0; i < stepNodes.size(); i++) {
        Step step = parseStep(stepNodes.get(i), "steps[" + i + "]", errors);
        if (step != null && !seen.add(step.id())) {
          errors.add(new ProgramError("steps[" + i + "].id", "'" + step.id() + "' is used by an earlier step"));
        }
        if (step != null) {
          steps.add(step);
        }
      }
    }
    if (!errors.isEmpty()) {
      throw new InvalidProgramException(id.isEmpty() ? "?" : id, errors);
    }
    return new Program(id, version, name, steps);
  }

  private Step parseStep(JsonNode node, String path, List<ProgramError> errors) {
    if (node == null || !node.isObject()) {
      errors.add(new ProgramError(path, "a step is a mapping with an id and one kind (send, wait)"));
      return null;
    }
    String id = text(node, "id");
    if (id.isEmpty()) {
      errors.add(new ProgramError(path + ".id", "is required"));
    } else if (!ID.matcher(id).matches()) {
      errors.add(new ProgramError(path + ".id", "must be lower-case letters, digits and dashes (at most 64)"));
    }
    List<String> kinds = new ArrayList<>();
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (field.equals("id")) {
        continue;
      }
      if (STEP_KINDS.contains(field)) {
        kinds.add(field);
      } else if (LATER_KINDS.contains(field)) {
        errors.add(new ProgramError(path + "." + field, "step kind '" + field + "' is not supported by this version of Nurture"));
        return null;
      } else {
        errors.add(new ProgramError(path + "." + field, "unknown step field (a step has an id and one of " + STEP_KINDS + ")"));
      }
    }
    if (kinds.size() != 1) {
      if (kinds.isEmpty()) {
        errors.add(new ProgramError(path, "needs exactly one kind: " + STEP_KINDS));
      } else {
        errors.add(new ProgramError(path, "has more than one kind: " + kinds));
      }
      return null;
    }
    return switch (kinds.get(0)) {
      case "send" -> parseSend(id, node.get("send"), path + ".send", errors);
      case "wait" -> parseWait(id, node.get("wait"), path + ".wait", errors);
      default -> throw new IllegalStateException("unreachable");
    };
  }

  private Step parseSend(String id, JsonNode send, String path, List<ProgramError> errors) {
    String template = send != null && send.isTextual() ? send.asText() : send == null ? "" : text(send, "template");
    if (template.isEmpty()) {
      errors.add(new ProgramError(path + ".template", "is required"));
      return null;
    }
    if (!templateExists.test(template)) {
      errors.add(new ProgramError(path + ".template", "unknown template '" + template + "'"));
      return null;
    }
    return new SendStep(id, template);
  }

  private Step parseWait(String id, JsonNode wait, String path, List<ProgramError> errors) {
    try {
      Duration d = DurationText.parse(wait == null || wait.isNull() ? "" : wait.asText());
      if (d.isZero() || d.isNegative()) {
        errors.add(new ProgramError(path, "must be longer than zero"));
        return null;
      }
      return new WaitStep(id, d);
    } catch (IllegalArgumentException e) {
      errors.add(new ProgramError(path, e.getMessage()));
      return null;
    }
  }

  private static String text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v == null || v.isNull() || !v.isValueNode() ? "" : v.asText().trim();
  }
}
