package com.nurture.workflows.program;

import com.fasterxml.jackson.databind.JsonNode;
import com.nurture.workflows.condition.Condition;
import com.nurture.workflows.condition.ConditionParser;
import com.nurture.workflows.journey.EventType;
import com.nurture.workflows.policy.SendPolicy;
import com.nurture.workflows.policy.SendPolicyParser;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Reads a program from YAML (or JSON, which is YAML too) and validates it, collecting every error
 * with its path (and line, when read from text) instead of stopping at the first. Strict (see
 * {@link StrictYaml}): an unknown key at any level, a value of the wrong type or a bad duration is
 * an error, never a silent default. Beyond the shape of each field it checks the program as a
 * graph: step references exist, every step is reachable, and no loop runs without a wait.
 */
public final class ProgramParser {
  static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");
  private static final Set<String> STEP_KINDS = Set.of("send", "wait", "wait_for", "branch", "handoff", "goto", "exit");
  /** Fields a step may have beside its id and kind. */
  private static final Set<String> STEP_EXTRAS = Set.of("on_event", "on_timeout");
  private static final Set<String> TOP_LEVEL = Set.of("id", "name", "priority", "trigger", "audience", "on_complete",
      "holdout_percent", "send_policy", "graduate", "steps", "on_send_failure");
  private static final List<String> SEND_FIELDS = List.of("template", "immediate", "variants");
  private static final List<String> VARIANT_FIELDS = List.of("id", "subject", "template");
  private static final List<String> WAIT_FOR_FIELDS = List.of("any", "all", "timeout");
  private static final List<String> CASE_FIELDS = List.of("when", "goto", "else");
  private static final List<String> TRIGGER_FIELDS = List.of("event", "where");
  private static final List<String> ON_COMPLETE_FIELDS = List.of("then", "start");

  private final Predicate<String> templateExists;

  /** @param templateExists tells whether a template id can be rendered by the sender */
  public ProgramParser(Predicate<String> templateExists) {
    this.templateExists = templateExists;
  }

  /** Parses the text as the program's given version (assigned by the catalog); errors carry lines. */
  public Program parse(String text, int version) {
    JsonNode root = StrictYaml.read(text, "?");
    try {
      return parse(root, version);
    } catch (InvalidProgramException e) {
      throw e.withLinesFrom(text);
    }
  }

  public Program parse(JsonNode root, int version) {
    List<ProgramError> errors = new ArrayList<>();
    if (root == null || !root.isObject()) {
      throw new InvalidProgramException("?", List.of(new ProgramError("$", "a program is a mapping with id, name and steps")));
    }
    for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!TOP_LEVEL.contains(field)) {
        errors.add(new ProgramError(field, "is not a program field (expected one of " + new TreeSet<>(TOP_LEVEL) + ")"));
      }
    }
    String id = id(root.get("id"), "id", errors);
    String name = StrictYaml.text(root.get("name"), "name", errors).orElse("");
    int priority = StrictYaml.integer(root.get("priority"), "priority", 0, 1000, errors).orElse(0);
    int holdout = StrictYaml.integer(root.get("holdout_percent"), "holdout_percent", 0, 100, errors).orElse(0);
    Optional<Trigger> trigger = StrictYaml.absent(root.get("trigger")) ? Optional.empty()
        : Optional.ofNullable(trigger(root.get("trigger"), errors));
    Optional<Condition> audience = StrictYaml.absent(root.get("audience")) ? Optional.empty()
        : Optional.ofNullable(ConditionParser.parse(root.get("audience"), "audience", errors));
    OnComplete onComplete = StrictYaml.absent(root.get("on_complete")) ? OnComplete.COMPLETE
        : onComplete(root.get("on_complete"), id, errors);
    SendPolicy sendPolicy = SendPolicyParser.parse(root.get("send_policy"), "send_policy", errors);
    boolean graduate = StrictYaml.bool(root.get("graduate"), "graduate", errors).orElse(true);
    Program.OnSendFailure onSendFailure = StrictYaml.oneOf(root.get("on_send_failure"), "on_send_failure",
            List.of("skip", "pause"), "is skip (go on with the next step) or pause (hold for an operator)", errors)
        .map(f -> f.equals("pause") ? Program.OnSendFailure.PAUSE : Program.OnSendFailure.SKIP)
        .orElse(Program.OnSendFailure.SKIP);

    List<Step> steps = new ArrayList<>();
    JsonNode stepNodes = root.get("steps");
    if (stepNodes != null && !stepNodes.isNull() && !stepNodes.isArray()) {
      errors.add(new ProgramError("steps", "is a list of steps, not " + StrictYaml.kind(stepNodes)));
    } else if (stepNodes == null || stepNodes.isEmpty()) {
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
    return new Program(id, version, name.isEmpty() ? id : name, priority, trigger, audience, onComplete, holdout,
        sendPolicy, graduate, steps, onSendFailure);
  }

  /** A program, step or variant id: required, lower-case letters, digits and dashes. */
  private static String id(JsonNode node, String path, List<ProgramError> errors) {
    int before = errors.size();
    String id = stepRef(node, path, errors);
    if (errors.size() > before) {
      return "";
    }
    if (id.isEmpty()) {
      errors.add(new ProgramError(path, "is required"));
    } else if (!ID.matcher(id).matches()) {
      errors.add(new ProgramError(path, "must be lower-case letters, digits and dashes (at most 64)"));
    }
    return id;
  }

  /** A step id (or a reference to one): text; YAML's yes/no/on/off are named, they read as booleans. */
  private static String stepRef(JsonNode node, String path, List<ProgramError> errors) {
    if (node != null && node.isBoolean()) {
      errors.add(new ProgramError(path, "YAML reads yes, no, on and off as true or false: quote the step id"));
      return "";
    }
    return StrictYaml.text(node, path, errors).orElse("");
  }

  private Step parseStep(JsonNode node, String path, List<ProgramError> errors) {
    if (node == null || !node.isObject()) {
      errors.add(new ProgramError(path, "a step is a mapping with an id and one kind of " + STEP_KINDS));
      return null;
    }
    int before = errors.size();
    String id = stepRef(node.get("id"), path + ".id", errors);
    if (errors.size() == before) {
      if (id.isEmpty()) {
        errors.add(new ProgramError(path + ".id", "is required"));
      } else if (!ID.matcher(id).matches()) {
        errors.add(new ProgramError(path + ".id", "must be lower-case letters, digits and dashes (at most 64)"));
      }
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
      case "wait" -> new WaitStep(id, StrictYaml.positiveDuration(body, p, Optional.empty(), errors).orElse(Duration.ZERO));
      case "wait_for" -> waitFor(id, body, node, path, errors);
      case "branch" -> branch(id, body, p, errors);
      case "handoff" -> handoff(id, body, p, errors);
      case "goto" -> {
        String target = stepRef(body, p, errors);
        if (StrictYaml.absent(body)) {
          errors.add(new ProgramError(p, "is required: the id of the step to go to"));
        }
        yield new GotoStep(id, target);
      }
      case "exit" -> exit(id, body, p, errors);
      default -> throw new IllegalStateException("unreachable");
    };
    // A step whose content has errors still takes part in the graph checks, so references and
    // reachability are reported in the same pass; only a step without a usable id is left out.
    return id.isEmpty() || !ID.matcher(id).matches() ? null : step;
  }

  /** {@code send: <template>} or {@code send: { template, immediate, variants }}. */
  private Step send(String id, JsonNode send, String path, List<ProgramError> errors) {
    String template = "";
    boolean immediate = false;
    List<Variant> variants = List.of();
    if (send != null && send.isObject()) {
      StrictYaml.onlyKeys(send, path, "send", SEND_FIELDS, errors);
      int before = errors.size();
      template = StrictYaml.text(send.get("template"), path + ".template", errors).orElse("");
      if (template.isEmpty() && errors.size() == before) {
        errors.add(new ProgramError(path + ".template", "is required"));
      }
      immediate = StrictYaml.bool(send.get("immediate"), path + ".immediate", errors).orElse(false);
      if (send.has("variants")) {
        variants = variants(send.get("variants"), path + ".variants", errors);
      }
    } else if (send != null && (send.isTextual() || send.isNumber())) {
      template = send.asText().trim();
    } else {
      errors.add(new ProgramError(path, "is a template id or { template, immediate, variants }, not " + StrictYaml.kind(send)));
    }
    if (!template.isEmpty() && !templateExists.test(template)) {
      errors.add(new ProgramError(path + ".template", "unknown template '" + template + "'"));
    }
    return new SendStep(id, template, immediate, variants);
  }

  /** {@code variants: [ { id: a, subject: "..." }, { id: b, template: other } ]}: at least two, distinct ids. */
  private List<Variant> variants(JsonNode list, String path, List<ProgramError> errors) {
    List<Variant> out = new ArrayList<>();
    if (list == null || !list.isArray() || list.size() < 2) {
      errors.add(new ProgramError(path, "is a list of at least two variants: { id, subject and/or template }"));
      return out;
    }
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < list.size(); i++) {
      JsonNode v = list.get(i);
      String p = path + "[" + i + "]";
      if (!StrictYaml.mapping(v, p, "a variant: { id, subject and/or template }", errors)) {
        continue;
      }
      StrictYaml.onlyKeys(v, p, "a variant", VARIANT_FIELDS, errors);
      int before = errors.size();
      String vid = stepRef(v.get("id"), p + ".id", errors);
      String subject = StrictYaml.text(v.get("subject"), p + ".subject", errors).orElse("");
      String template = StrictYaml.text(v.get("template"), p + ".template", errors).orElse("");
      if (errors.size() > before) {
        continue;
      }
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
      out.add(new Variant(vid, subject, template));
    }
    return out;
  }

  private Step waitFor(String id, JsonNode body, JsonNode step, String path, List<ProgramError> errors) {
    String p = path + ".wait_for";
    String onEvent = stepRef(step.get("on_event"), path + ".on_event", errors);
    String onTimeout = stepRef(step.get("on_timeout"), path + ".on_timeout", errors);
    if (!StrictYaml.mapping(body, p, "a mapping: { any|all: [events], timeout }", errors)) {
      return null;
    }
    StrictYaml.onlyKeys(body, p, "wait_for", WAIT_FOR_FIELDS, errors);
    boolean any = body.has("any");
    boolean all = body.has("all");
    Duration timeout = StrictYaml.positiveDuration(body.get("timeout"), p + ".timeout", Optional.empty(), errors)
        .orElse(Duration.ZERO);
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
    return new WaitForStep(id, any ? WaitForStep.Mode.ANY : WaitForStep.Mode.ALL, matches, timeout, onEvent, onTimeout);
  }

  /** {@code { event: email_clicked, step: case-study, page: pricing }}: other keys filter properties. */
  private EventMatch eventMatch(JsonNode node, String path, List<ProgramError> errors) {
    if (!StrictYaml.mapping(node, path, "a mapping: { event: <type>, step: <step id>, <property>: <value> }", errors)) {
      return null;
    }
    int before = errors.size();
    EventType type = ConditionParser.eventType(node.get("event"), path + ".event", errors);
    String step = stepRef(node.get("step"), path + ".step", errors);
    Map<String, String> where = new LinkedHashMap<>();
    node.fields().forEachRemaining(e -> {
      if (!e.getKey().equals("event") && !e.getKey().equals("step")) {
        StrictYaml.scalar(e.getValue(), path + "." + e.getKey(), errors).ifPresent(v -> where.put(e.getKey(), v));
      }
    });
    return type == null || errors.size() > before ? null : new EventMatch(type, step, where);
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
      if (c == null || !c.isObject()) {
        errors.add(new ProgramError(p, "a case is { when: <condition>, goto: <step> } or { else: <step> }"));
        continue;
      }
      StrictYaml.onlyKeys(c, p, "a branch case", CASE_FIELDS, errors);
      if (c.has("else")) {
        if (c.has("when") || c.has("goto")) {
          errors.add(new ProgramError(p, "an else case has nothing but else: { else: <step> }"));
        } else if (i != body.size() - 1) {
          errors.add(new ProgramError(p, "else must be the last case"));
        }
        otherwise = stepRef(c.get("else"), p + ".else", errors);
        if (StrictYaml.absent(c.get("else"))) {
          errors.add(new ProgramError(p + ".else", "is required: the id of the step to go to"));
        }
        continue;
      }
      if (!c.has("when") || !c.has("goto")) {
        errors.add(new ProgramError(p, "a case is { when: <condition>, goto: <step> } or { else: <step> }"));
        continue;
      }
      Condition when = ConditionParser.parse(c.get("when"), p + ".when", errors);
      String target = stepRef(c.get("goto"), p + ".goto", errors);
      if (StrictYaml.absent(c.get("goto"))) {
        errors.add(new ProgramError(p + ".goto", "is required: the id of the step to go to"));
      }
      cases.add(new BranchStep.Case(when, target));
    }
    if (cases.isEmpty() && errors.stream().noneMatch(e -> e.path().startsWith(path))) {
      errors.add(new ProgramError(path, "needs at least one { when, goto } case"));
    }
    return new BranchStep(id, cases, otherwise);
  }

  /** {@code handoff: { reason: ... }}, {@code handoff: <reason>} or {@code handoff:} (reason: handed to sales). */
  private static Step handoff(String id, JsonNode body, String path, List<ProgramError> errors) {
    return new HandoffStep(id, reason(body, path, List.of("reason"), "a hand-off", "handed to sales", errors));
  }

  /** {@code exit: { reason, recycle }}, {@code exit: <reason>} or {@code exit:}. */
  private static Step exit(String id, JsonNode body, String path, List<ProgramError> errors) {
    String reason = reason(body, path, List.of("reason", "recycle"), "an exit", "exit step " + id, errors);
    boolean recycle = body != null && body.isObject()
        && StrictYaml.bool(body.get("recycle"), path + ".recycle", errors).orElse(false);
    return new ExitStep(id, reason, recycle);
  }

  private static String reason(JsonNode body, String path, List<String> fields, String what, String dflt,
      List<ProgramError> errors) {
    if (StrictYaml.absent(body)) {
      return dflt;
    }
    Optional<String> r;
    if (body.isObject()) {
      StrictYaml.onlyKeys(body, path, what, fields, errors);
      r = StrictYaml.text(body.get("reason"), path + ".reason", errors);
    } else if (body.isValueNode()) {
      r = StrictYaml.text(body, path, errors);
    } else {
      errors.add(new ProgramError(path, "is a reason or a mapping of " + fields + ", not " + StrictYaml.kind(body)));
      r = Optional.empty();
    }
    return r.filter(x -> !x.isBlank()).orElse(dflt);
  }

  /** {@code { event: <type> | [types], where: { <property>: <value> } }}. */
  private static Trigger trigger(JsonNode node, List<ProgramError> errors) {
    if (!StrictYaml.mapping(node, "trigger", "a mapping: { event: <type>, where: { <property>: <value> } }", errors)) {
      return null;
    }
    int before = errors.size();
    StrictYaml.onlyKeys(node, "trigger", "a trigger", TRIGGER_FIELDS, errors);
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
    return errors.size() > before ? null : new Trigger(types, where);
  }

  private static OnComplete onComplete(JsonNode node, String self, List<ProgramError> errors) {
    String shape = "{ then: complete | recycle }, { start: <program> } or resume_previous";
    if (node.isTextual()) {
      if (node.asText().trim().equals("resume_previous")) {
        return new OnComplete(OnComplete.Kind.RESUME_PREVIOUS, "");
      }
      errors.add(new ProgramError("on_complete", "is " + shape + ", not '" + node.asText() + "'"));
      return OnComplete.COMPLETE;
    }
    if (!StrictYaml.mapping(node, "on_complete", shape, errors)) {
      return OnComplete.COMPLETE;
    }
    StrictYaml.onlyKeys(node, "on_complete", "on_complete", ON_COMPLETE_FIELDS, errors);
    if (node.has("then") == node.has("start")) {
      errors.add(new ProgramError("on_complete", "is " + shape + ": exactly one of then or start"));
      return OnComplete.COMPLETE;
    }
    if (node.has("then")) {
      Optional<String> then = StrictYaml.oneOf(node.get("then"), "on_complete.then",
          List.of("complete", "recycle", "resume_previous"), "must be complete, recycle or resume_previous", errors);
      if (then.isEmpty() && StrictYaml.absent(node.get("then"))) {
        errors.add(new ProgramError("on_complete.then", "must be complete, recycle or resume_previous"));
      }
      return switch (then.orElse("complete")) {
        case "recycle" -> new OnComplete(OnComplete.Kind.RECYCLE, "");
        case "resume_previous" -> new OnComplete(OnComplete.Kind.RESUME_PREVIOUS, "");
        default -> OnComplete.COMPLETE;
      };
    }
    int before = errors.size();
    String program = StrictYaml.text(node.get("start"), "on_complete.start", errors).orElse("");
    if (errors.size() > before) {
      return OnComplete.COMPLETE;
    }
    if (!ID.matcher(program).matches()) {
      errors.add(new ProgramError("on_complete.start", "is the id of the program to start"));
    } else if (program.equals(self)) {
      errors.add(new ProgramError("on_complete.start", "cannot start the program itself"));
    }
    return new OnComplete(OnComplete.Kind.START, program);
  }
}
