package com.nurture.workflows.program;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.nurture.workflows.condition.Condition;
import com.nurture.workflows.condition.ConditionParser;
import com.nurture.workflows.journey.EventType;
import com.nurture.workflows.policy.SendPolicy;
import com.nurture.workflows.policy.SendPolicyParser;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Reads a program from YAML (or JSON, which is YAML too) and validates it, collecting every error
 * with its path (and line, when read from text) instead of stopping at the first. Beyond the
 * shape of each field it checks the program as a graph: step references exist, every step is
 * reachable, and no loop runs without a wait.
 */
public final class ProgramParser {
  static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");
  private static final Set<String> STEP_KINDS = Set.of("send", "wait", "wait_for", "branch", "handoff", "goto", "exit");
  /** Fields a step may have beside its id and kind. */
  private static final Set<String> STEP_EXTRAS = Set.of("on_event", "on_timeout");
  private static final Set<String> TOP_LEVEL = Set.of("id", "name", "priority", "trigger", "audience", "on_complete",
      "holdout_percent", "send_policy", "graduate", "steps", "on_send_failure");
  private static final ObjectMapper YAML = new YAMLMapper();

  private final Predicate<String> templateExists;

  /** @param templateExists tells whether a template id can be rendered by the sender */
  public ProgramParser(Predicate<String> templateExists) {
    this.templateExists = templateExists;
  }

  /** Parses the text as the program's given version (assigned by the catalog); errors carry lines. */
  public Program parse(String text, int version) {
    JsonNode root;
    try {
      root = YAML.readTree(text);
    } catch (JsonProcessingException e) {
      int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
      throw new InvalidProgramException("?", List.of(new ProgramError("$", line, "not valid YAML: " + e.getOriginalMessage())));
    }
    try {
      return parse(root, version);
    } catch (InvalidProgramException e) {
      YamlLines lines = YamlLines.of(text);
      throw new InvalidProgramException(e.programId(),
          e.errors().stream().map(err -> err.atLine(lines.lineOf(err.path()))).toList());
    }
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
        errors.add(new ProgramError(field, "is not a program field (expected one of " + new java.util.TreeSet<>(TOP_LEVEL) + ")"));
      }
    }
    String name = text(root, "name");
    int priority = integer(root, "priority", 0, 0, 1000, errors);
    int holdout = integer(root, "holdout_percent", 0, 0, 100, errors);
    Optional<Trigger> trigger = root.hasNonNull("trigger") ? Optional.ofNullable(trigger(root.get("trigger"), errors)) : Optional.empty();
    Optional<Condition> audience = root.hasNonNull("audience")
        ? Optional.ofNullable(ConditionParser.parse(root.get("audience"), "audience", errors)) : Optional.empty();
    OnComplete onComplete = root.hasNonNull("on_complete") ? onComplete(root.get("on_complete"), id, errors) : OnComplete.COMPLETE;
    SendPolicy sendPolicy = SendPolicyParser.parse(root.get("send_policy"), "send_policy", errors);

    List<Step> steps = new ArrayList<>();
    JsonNode stepNodes = root.get("steps");
    if (stepNodes == null || !stepNodes.isArray() || stepNodes.isEmpty()) {
      errors.add(new ProgramError("steps", "needs at least one step"));
    } else {
      Set<String> seen = new HashSet<>();
      boolean complete = true;
      for (int i = 0; i < stepNodes.size(); i++) {
        Step step = parseStep(stepNodes.get(i), "steps[" + i + "]", errors);
        if (step == null) {
          complete = false;
          continue;
        }
        if (!seen.add(step.id())) {
          errors.add(new ProgramError("steps[" + i + "].id", "'" + step.id() + "' is used by an earlier step"));
          complete = false;
        }
        steps.add(step);
      }
      if (complete) {
        new StepGraph(steps).validate(errors);
      }
    }
    if (!errors.isEmpty()) {
      throw new InvalidProgramException(id.isEmpty() ? "?" : id, errors);
    }
    JsonNode graduate = root.get("graduate");
    if (graduate != null && !graduate.isBoolean()) {
      errors.add(new ProgramError("graduate", "is true or false"));
    }
    Program.OnSendFailure onSendFailure = Program.OnSendFailure.SKIP;
    JsonNode failure = root.get("on_send_failure");
    if (failure != null && !failure.isNull()) {
      switch (failure.asText()) {
        case "skip" -> onSendFailure = Program.OnSendFailure.SKIP;
        case "pause" -> onSendFailure = Program.OnSendFailure.PAUSE;
        default -> errors.add(new ProgramError("on_send_failure", "is skip (go on with the next step) or pause (hold for an operator)"));
      }
    }
    if (!errors.isEmpty()) {
      throw new InvalidProgramException(id.isEmpty() ? "?" : id, errors);
    }
    return new Program(id, version, name.isEmpty() ? id : name, priority, trigger, audience, onComplete, holdout,
        sendPolicy, graduate == null || graduate.asBoolean(true), steps, onSendFailure);
  }

  private Step parseStep(JsonNode node, String path, List<ProgramError> errors) {
    if (node == null || !node.isObject()) {
      errors.add(new ProgramError(path, "a step is a mapping with an id and one kind of " + STEP_KINDS));
      return null;
    }
    String id = text(node, "id");
    for (String ref : List.of("id", "goto", "on_event", "on_timeout")) {
      if (node.path(ref).isBoolean()) {
        errors.add(new ProgramError(path + "." + ref, "YAML reads yes, no, on and off as true or false: quote the step id"));
      }
    }
    if (id.isEmpty()) {
      errors.add(new ProgramError(path + ".id", "is required"));
    } else if (!ID.matcher(id).matches()) {
      errors.add(new ProgramError(path + ".id", "must be lower-case letters, digits and dashes (at most 64)"));
    }
    List<String> kinds = new ArrayList<>();
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (field.equals("id") || STEP_EXTRAS.contains(field)) {
        continue;
      }
      if (STEP_KINDS.contains(field)) {
        kinds.add(field);
      } else {
        errors.add(new ProgramError(path + "." + field, "unknown step field (a step has an id and one of " + STEP_KINDS + ")"));
      }
    }
    if (kinds.size() != 1) {
      errors.add(new ProgramError(path, kinds.isEmpty() ? "needs exactly one kind: " + STEP_KINDS : "has more than one kind: " + kinds));
      return null;
    }
    String kind = kinds.get(0);
    if (!kind.equals("wait_for")) {
      for (String extra : STEP_EXTRAS) {
        if (node.has(extra)) {
          errors.add(new ProgramError(path + "." + extra, "belongs to a wait_for step"));
        }
      }
    }
    JsonNode body = node.get(kind);
    String p = path + "." + kind;
    Step step = switch (kind) {
      case "send" -> send(id, body, p, errors);
      case "wait" -> new WaitStep(id, positiveDuration(body, p, errors));
      case "wait_for" -> waitFor(id, body, node, path, errors);
      case "branch" -> branch(id, body, p, errors);
      case "handoff" -> new HandoffStep(id, reason(body, "reason", "handed to sales"));
      case "goto" -> new GotoStep(id, body == null ? "" : body.asText(""));
      case "exit" -> new ExitStep(id, reason(body, "reason", "exit step " + id),
          body != null && body.isObject() && body.path("recycle").asBoolean(false));
      default -> throw new IllegalStateException("unreachable");
    };
    // A step whose content has errors still takes part in the graph checks, so references and
    // reachability are reported in the same pass; only a step without a usable id is left out.
    return id.isEmpty() || !ID.matcher(id).matches() ? null : step;
  }

  private Step send(String id, JsonNode send, String path, List<ProgramError> errors) {
    String template = send != null && send.isTextual() ? send.asText() : send == null ? "" : text(send, "template");
    boolean immediate = false;
    if (send != null && send.isObject()) {
      send.fieldNames().forEachRemaining(f -> {
        if (!Set.of("template", "immediate", "variants").contains(f)) {
          errors.add(new ProgramError(path + "." + f, "is not part of send (template, immediate, variants)"));
        }
      });
      JsonNode im = send.get("immediate");
      if (im != null && !im.isBoolean()) {
        errors.add(new ProgramError(path + ".immediate", "is true or false"));
      }
      immediate = im != null && im.asBoolean(false);
    }
    if (template.isEmpty()) {
      errors.add(new ProgramError(path + ".template", "is required"));
    } else if (!templateExists.test(template)) {
      errors.add(new ProgramError(path + ".template", "unknown template '" + template + "'"));
    }
    List<Variant> variants = send != null && send.has("variants") ? variants(send.get("variants"), path + ".variants", errors)
        : List.of();
    return new SendStep(id, template, immediate, variants);
  }

  /** {@code variants: [ { id: a, subject: "..." }, { id: b, template: other } ]}: at least two, distinct ids. */
  private List<Variant> variants(JsonNode list, String path, List<ProgramError> errors) {
    List<Variant> out = new ArrayList<>();
    if (!list.isArray() || list.size() < 2) {
      errors.add(new ProgramError(path, "is a list of at least two variants: { id, subject and/or template }"));
      return out;
    }
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < list.size(); i++) {
      JsonNode v = list.get(i);
      String p = path + "[" + i + "]";
      String vid = v.isObject() ? text(v, "id") : "";
      String subject = v.isObject() ? text(v, "subject") : "";
      String template = v.isObject() ? text(v, "template") : "";
      if (vid.isEmpty() || !ID.matcher(vid).matches()) {
        errors.add(new ProgramError(p + ".id", "is required: lower-case letters, digits and dashes"));
      } else if (!ids.add(vid)) {
        errors.add(new ProgramError(p + ".id", "'" + vid + "' is used by an earlier variant"));
      }
      if (subject.isEmpty() && template.isEmpty()) {
        errors.add(new ProgramError(p, "changes the subject, the template or both"));
      }
      if (!template.isEmpty() && !templateExists.test(template)) {
        errors.add(new ProgramError(p + ".template", "unknown template '" + template + "'"));
      }
      if (v.isObject()) {
        v.fieldNames().forEachRemaining(f -> {
          if (!Set.of("id", "subject", "template").contains(f)) {
            errors.add(new ProgramError(p + "." + f, "is not part of a variant (id, subject, template)"));
          }
        });
      }
      out.add(new Variant(vid, subject, template));
    }
    return out;
  }

  private Step waitFor(String id, JsonNode body, JsonNode step, String path, List<ProgramError> errors) {
    String p = path + ".wait_for";
    if (body == null || !body.isObject()) {
      errors.add(new ProgramError(p, "is a mapping: { any|all: [events], timeout }"));
      return null;
    }
    boolean any = body.has("any");
    boolean all = body.has("all");
    if (any == all) {
      errors.add(new ProgramError(p, "needs exactly one of any or all"));
      return null;
    }
    String mode = any ? "any" : "all";
    JsonNode list = body.get(mode);
    List<EventMatch> matches = new ArrayList<>();
    if (list == null || !list.isArray() || list.isEmpty()) {
      errors.add(new ProgramError(p + "." + mode, "is a list of at least one event"));
    } else {
      for (int i = 0; i < list.size(); i++) {
        EventMatch m = eventMatch(list.get(i), p + "." + mode + "[" + i + "]", errors);
        if (m != null) {
          matches.add(m);
        }
      }
    }
    body.fieldNames().forEachRemaining(f -> {
      if (!Set.of("any", "all", "timeout").contains(f)) {
        errors.add(new ProgramError(p + "." + f, "is not part of wait_for (any, all, timeout)"));
      }
    });
    Duration timeout = positiveDuration(body.get("timeout"), p + ".timeout", errors);
    return new WaitForStep(id, any ? WaitForStep.Mode.ANY : WaitForStep.Mode.ALL, matches, timeout,
        text(step, "on_event"), text(step, "on_timeout"));
  }

  /** {@code { event: email_clicked, step: case-study, page: pricing }}: other keys filter properties. */
  private EventMatch eventMatch(JsonNode node, String path, List<ProgramError> errors) {
    if (node == null || !node.isObject()) {
      errors.add(new ProgramError(path, "is a mapping: { event: <type>, step: <step id>, <property>: <value> }"));
      return null;
    }
    EventType type = ConditionParser.eventType(node.get("event"), path + ".event", errors);
    String step = text(node, "step");
    Map<String, String> where = new java.util.LinkedHashMap<>();
    node.fields().forEachRemaining(e -> {
      if (!e.getKey().equals("event") && !e.getKey().equals("step")) {
        if (e.getValue().isValueNode()) {
          where.put(e.getKey(), e.getValue().asText());
        } else {
          errors.add(new ProgramError(path + "." + e.getKey(), "is a single value"));
        }
      }
    });
    return type == null ? null : new EventMatch(type, step, where);
  }

  /**
   * <pre>
   * branch:
   *   - when: { ... }
   *     goto: step-a
   *   - else: step-b
   * </pre>
   */
  private Step branch(String id, JsonNode body, String path, List<ProgramError> errors) {
    if (body == null || !body.isArray() || body.isEmpty()) {
      errors.add(new ProgramError(path, "is a list of cases: { when: <condition>, goto: <step> }, then optionally { else: <step> }"));
      return null;
    }
    List<BranchStep.Case> cases = new ArrayList<>();
    String otherwise = "";
    for (int i = 0; i < body.size(); i++) {
      JsonNode c = body.get(i);
      String p = path + "[" + i + "]";
      if (c != null && c.isObject() && c.has("else") && c.size() == 1) {
        if (i != body.size() - 1) {
          errors.add(new ProgramError(p, "else must be the last case"));
        }
        otherwise = c.get("else").asText("");
        continue;
      }
      if (c == null || !c.isObject() || !c.has("when") || !c.has("goto") || c.size() != 2) {
        errors.add(new ProgramError(p, "a case is { when: <condition>, goto: <step> } or { else: <step> }"));
        continue;
      }
      Condition when = ConditionParser.parse(c.get("when"), p + ".when", errors);
      cases.add(new BranchStep.Case(when, c.get("goto").asText("")));
    }
    if (cases.isEmpty() && errors.stream().noneMatch(e -> e.path().startsWith(path))) {
      errors.add(new ProgramError(path, "needs at least one { when, goto } case"));
    }
    return new BranchStep(id, cases, otherwise);
  }

  private Trigger trigger(JsonNode node, List<ProgramError> errors) {
    if (!node.isObject()) {
      errors.add(new ProgramError("trigger", "is a mapping: { event: <type>, where: { <property>: <value> } }"));
      return null;
    }
    int before = errors.size();
    List<EventType> types = new ArrayList<>();
    JsonNode event = node.get("event");
    if (event != null && event.isArray()) {
      for (int i = 0; i < event.size(); i++) {
        types.add(ConditionParser.eventType(event.get(i), "trigger.event[" + i + "]", errors));
      }
      if (event.isEmpty()) {
        errors.add(new ProgramError("trigger.event", "names at least one event type"));
      }
    } else {
      types.add(ConditionParser.eventType(event, "trigger.event", errors));
    }
    Map<String, String> where = ConditionParser.stringMap(node.get("where"), "trigger.where", errors);
    node.fieldNames().forEachRemaining(f -> {
      if (!f.equals("event") && !f.equals("where")) {
        errors.add(new ProgramError("trigger." + f, "is not part of a trigger (event, where)"));
      }
    });
    return errors.size() > before ? null : new Trigger(types, where);
  }

  private static OnComplete onComplete(JsonNode node, String self, List<ProgramError> errors) {
    if (node.isTextual() && node.asText().equals("resume_previous")) {
      return new OnComplete(OnComplete.Kind.RESUME_PREVIOUS, "");
    }
    if (node.isObject() && node.size() == 1 && node.has("then")) {
      switch (node.get("then").asText("")) {
        case "complete":
          return OnComplete.COMPLETE;
        case "recycle":
          return new OnComplete(OnComplete.Kind.RECYCLE, "");
        case "resume_previous":
          return new OnComplete(OnComplete.Kind.RESUME_PREVIOUS, "");
        default:
          errors.add(new ProgramError("on_complete.then", "must be complete, recycle or resume_previous"));
          return OnComplete.COMPLETE;
      }
    }
    if (node.isObject() && node.size() == 1 && node.has("start")) {
      String program = node.get("start").asText("");
      if (!ID.matcher(program).matches()) {
        errors.add(new ProgramError("on_complete.start", "is the id of the program to start"));
      } else if (program.equals(self)) {
        errors.add(new ProgramError("on_complete.start", "cannot start the program itself"));
      }
      return new OnComplete(OnComplete.Kind.START, program);
    }
    errors.add(new ProgramError("on_complete", "is { then: complete | recycle }, { start: <program> } or resume_previous"));
    return OnComplete.COMPLETE;
  }

  private static Duration positiveDuration(JsonNode node, String path, List<ProgramError> errors) {
    try {
      Duration d = DurationText.parse(node == null || node.isNull() ? "" : node.asText());
      if (d.isZero() || d.isNegative()) {
        errors.add(new ProgramError(path, "must be longer than zero"));
      }
      return d;
    } catch (IllegalArgumentException e) {
      errors.add(new ProgramError(path, e.getMessage()));
      return Duration.ZERO;
    }
  }

  private static int integer(JsonNode root, String field, int dflt, int min, int max, List<ProgramError> errors) {
    JsonNode v = root.get(field);
    if (v == null || v.isNull()) {
      return dflt;
    }
    if (!v.canConvertToInt() || !v.isIntegralNumber() || v.asInt() < min || v.asInt() > max) {
      errors.add(new ProgramError(field, "must be a whole number from " + min + " to " + max));
      return dflt;
    }
    return v.asInt();
  }

  private static String reason(JsonNode body, String field, String dflt) {
    if (body == null || body.isNull()) {
      return dflt;
    }
    String r = body.isTextual() ? body.asText() : text(body, field);
    return r.isBlank() ? dflt : r.trim();
  }

  private static String text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v == null || v.isNull() || !v.isValueNode() ? "" : v.asText().trim();
  }
}
