package com.nurture.workflows.scoring;

import static com.nurture.workflows.program.StrictYaml.absent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;
import com.nurture.workflows.condition.Condition;
import com.nurture.workflows.condition.ConditionParser;
import com.nurture.workflows.journey.EventType;
import com.nurture.workflows.program.EventMatch;
import com.nurture.workflows.program.InvalidProgramException;
import com.nurture.workflows.program.ProgramError;
import com.nurture.workflows.program.StrictYaml;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a scoring model from YAML (programs/scoring.yaml), reporting every error with its path and
 * line. Strict like programs (see {@link StrictYaml}): an unknown key at any level, a value of the
 * wrong type or a bad duration is an error. A part that is left out takes its documented default
 * (docs/scoring-and-handoff.md): decay after 30d, half-life 90d, velocity 20 in 7d, MQL threshold
 * 70; no touches rule, definitions, high-intent actions, fast track, alert or track matrix.
 */
public final class ScoringModelParser {
  static final String ID = "scoring";
  private static final List<String> TOP_LEVEL = List.of("fit", "events", "decay", "mql_threshold", "velocity",
      "touches", "mql_definitions", "high_intent", "fast_track", "alerts", "tracks");
  private static final List<String> FIT_RULE = List.of("when", "points");
  private static final List<String> EVENT_POINTS = List.of("points", "by", "values", "daily_cap");
  private static final List<String> DECAY = List.of("after", "half_life");
  private static final List<String> VELOCITY = List.of("window", "threshold");
  private static final List<String> TOUCHES = List.of("min", "within", "priority");
  private static final List<String> DEFINITION = List.of("name", "priority", "when");
  private static final List<String> EVENT_MATCH = List.of("event", "where");
  private static final List<String> FAST_TRACK = List.of("fit", "sources");
  private static final List<String> ALERTS = List.of("quiet_high_fit");
  private static final List<String> QUIET_HIGH_FIT = List.of("fit", "after");
  private static final List<String> TRACKS = List.of("fit", "engagement", "programs", "reassign", "after_rejection",
      "reentry_on");
  private static final List<String> LEVELS = List.of("low", "medium", "high");
  private static final List<String> BANDS = List.of("medium", "high");
  /** Points one rule or event may give or take. */
  private static final int MAX_POINTS = 1000;

  private ScoringModelParser() {}

  /** @throws InvalidProgramException (program id "scoring") listing every error with its path and line */
  public static ScoringModel parse(String yaml) {
    JsonNode root = StrictYaml.read(yaml, ID);
    try {
      return parse(root);
    } catch (InvalidProgramException e) {
      throw e.withLinesFrom(yaml);
    }
  }

  /** @throws InvalidProgramException listing every error with its path */
  public static ScoringModel parse(JsonNode root) {
    List<ProgramError> errors = new ArrayList<>();
    if (root == null || !root.isObject()) {
      throw new InvalidProgramException(ID, List.of(new ProgramError("$",
          "a scoring model is a mapping of " + TOP_LEVEL + ", not " + StrictYaml.kind(root))));
    }
    StrictYaml.onlyKeys(root, "", "a scoring model", TOP_LEVEL, errors);

    List<ScoringModel.FitRule> fit = fitRules(root.get("fit"), errors);
    Map<EventType, ScoringModel.EventPoints> events = events(root.get("events"), errors);
    List<EventMatch> highIntent = eventMatches(root.get("high_intent"), "high_intent", errors);

    JsonNode decay = section(root, "decay", DECAY, errors);
    Duration decayAfter = StrictYaml.duration(decay.get("after"), "decay.after", errors).orElse(Duration.ofDays(30));
    Duration halfLife = StrictYaml.positiveDuration(decay.get("half_life"), "decay.half_life",
        Optional.of(Duration.ofDays(90)), errors).orElse(Duration.ofDays(90));

    JsonNode velocity = section(root, "velocity", VELOCITY, errors);
    Duration window = StrictYaml.positiveDuration(velocity.get("window"), "velocity.window",
        Optional.of(Duration.ofDays(7)), errors).orElse(Duration.ofDays(7));
    int velocityThreshold = StrictYaml.integer(velocity.get("threshold"), "velocity.threshold", 0, Integer.MAX_VALUE, errors)
        .orElse(20);

    ScoringModel.Touches touches = touches(root.get("touches"), errors);
    List<ScoringModel.MqlDefinition> definitions = definitions(root.get("mql_definitions"), errors);

    JsonNode fastTrack = section(root, "fast_track", FAST_TRACK, errors);
    int fastTrackFit = StrictYaml.integer(fastTrack.get("fit"), "fast_track.fit", 0, Integer.MAX_VALUE, errors).orElse(0);
    List<String> sources = new ArrayList<>();
    List<JsonNode> sourceNodes = StrictYaml.list(fastTrack.get("sources"), "fast_track.sources", "a list of lead sources",
        errors).orElse(List.of());
    for (int i = 0; i < sourceNodes.size(); i++) {
      String p = "fast_track.sources[" + i + "]";
      if (absent(sourceNodes.get(i))) {
        errors.add(new ProgramError(p, "needs a value"));
      }
      StrictYaml.text(sourceNodes.get(i), p, errors).ifPresent(sources::add);
    }

    ScoringModel.QuietHighFit quiet = quietHighFit(section(root, "alerts", ALERTS, errors).get("quiet_high_fit"), errors);
    Tracks tracks = tracks(root.get("tracks"), errors);
    int mql = mqlThreshold(root.get("mql_threshold"), errors);
    if (!errors.isEmpty()) {
      throw new InvalidProgramException(ID, errors);
    }
    return new ScoringModel(fit, events, decayAfter, halfLife, mql, window, velocityThreshold, highIntent, fastTrackFit,
        sources, touches, definitions, quiet, tracks);
  }

  /**
   * A mapping of settings under {@code key}, checked for unknown keys; an empty mapping when
   * absent (its settings take their defaults) or not a mapping (an error).
   */
  private static JsonNode section(JsonNode parent, String key, List<String> keys, List<ProgramError> errors) {
    JsonNode node = parent.get(key);
    if (absent(node)) {
      return JsonNodeFactory.instance.objectNode();
    }
    if (!StrictYaml.mapping(node, key, "a mapping of " + keys, errors)) {
      return JsonNodeFactory.instance.objectNode();
    }
    StrictYaml.onlyKeys(node, key, key, keys, errors);
    return node;
  }

  /** {@code fit: [ { when: <condition>, points: 20 } ]}. */
  private static List<ScoringModel.FitRule> fitRules(JsonNode node, List<ProgramError> errors) {
    List<ScoringModel.FitRule> fit = new ArrayList<>();
    List<JsonNode> rules = StrictYaml.list(node, "fit", "a list of { when: <condition>, points: <n> }", errors)
        .orElse(List.of());
    for (int i = 0; i < rules.size(); i++) {
      String path = "fit[" + i + "]";
      JsonNode rule = rules.get(i);
      if (!StrictYaml.mapping(rule, path, "a fit rule: { when: <condition>, points: <n> }", errors)) {
        continue;
      }
      StrictYaml.onlyKeys(rule, path, "a fit rule", FIT_RULE, errors);
      Condition c = ConditionParser.parse(rule.get("when"), path + ".when", errors);
      Optional<Integer> points = required(rule.get("points"), path + ".points", errors,
          v -> StrictYaml.integer(v, path + ".points", -MAX_POINTS, MAX_POINTS, errors));
      if (c != null && points.isPresent()) {
        fit.add(new ScoringModel.FitRule(c, points.get()));
      }
    }
    return fit;
  }

  /** {@code events: { <type>: <points> | { points, by, values: { <value>: <points> }, daily_cap } }}. */
  private static Map<EventType, ScoringModel.EventPoints> events(JsonNode node, List<ProgramError> errors) {
    Map<EventType, ScoringModel.EventPoints> events = new EnumMap<>(EventType.class);
    if (absent(node) || !StrictYaml.mapping(node, "events", "a mapping of event types to points", errors)) {
      return events;
    }
    node.fields().forEachRemaining(e -> {
      String path = "events." + e.getKey();
      EventType type = ConditionParser.eventType(new TextNode(e.getKey()), path, errors);
      JsonNode v = e.getValue();
      if (v != null && v.isObject()) {
        StrictYaml.onlyKeys(v, path, "an event's points", EVENT_POINTS, errors);
        int before = errors.size();
        int points = StrictYaml.integer(v.get("points"), path + ".points", 0, MAX_POINTS, errors).orElse(0);
        String by = StrictYaml.text(v.get("by"), path + ".by", errors).orElse("");
        Map<String, Integer> values = new HashMap<>();
        JsonNode valueNode = v.get("values");
        if (!absent(valueNode) && StrictYaml.mapping(valueNode, path + ".values", "a mapping of property values to points", errors)) {
          if (by.isEmpty()) {
            errors.add(new ProgramError(path + ".values", "needs by: the property whose values they are (e.g. by: page)"));
          }
          valueNode.fields().forEachRemaining(x -> required(x.getValue(), path + ".values." + x.getKey(), errors,
                  n -> StrictYaml.integer(n, path + ".values." + x.getKey(), 0, MAX_POINTS, errors))
              .ifPresent(n -> values.put(x.getKey().toLowerCase(Locale.ROOT), n)));
        }
        int cap = StrictYaml.integer(v.get("daily_cap"), path + ".daily_cap", 0, Integer.MAX_VALUE, errors).orElse(0);
        if (type != null && errors.size() == before) {
          events.put(type, new ScoringModel.EventPoints(points, by, values, cap));
        }
      } else {
        required(v, path, errors, x -> StrictYaml.integer(x, path, 0, MAX_POINTS, errors)).ifPresent(points -> {
          if (type != null) {
            events.put(type, new ScoringModel.EventPoints(points, "", Map.of(), 0));
          }
        });
      }
    });
    return events;
  }

  /** {@code touches: { min: 4, within: 3d, priority: high }}: absent, off. */
  private static ScoringModel.Touches touches(JsonNode node, List<ProgramError> errors) {
    if (absent(node) || !StrictYaml.mapping(node, "touches", "a mapping of " + TOUCHES, errors)) {
      return ScoringModel.Touches.OFF;
    }
    StrictYaml.onlyKeys(node, "touches", "touches", TOUCHES, errors);
    int min = required(node.get("min"), "touches.min", errors,
        v -> StrictYaml.integer(v, "touches.min", 0, Integer.MAX_VALUE, errors)).orElse(0);
    Duration within = StrictYaml.positiveDuration(node.get("within"), "touches.within", Optional.of(Duration.ofDays(3)),
        errors).orElse(Duration.ofDays(3));
    return new ScoringModel.Touches(min, within, high(node.get("priority"), "touches.priority", errors));
  }

  /** {@code mql_definitions: [ { name, priority, when } ]}. */
  private static List<ScoringModel.MqlDefinition> definitions(JsonNode node, List<ProgramError> errors) {
    List<ScoringModel.MqlDefinition> definitions = new ArrayList<>();
    List<JsonNode> defs = StrictYaml.list(node, "mql_definitions", "a list of { name, priority, when }", errors)
        .orElse(List.of());
    Set<String> names = new HashSet<>();
    for (int i = 0; i < defs.size(); i++) {
      String path = "mql_definitions[" + i + "]";
      JsonNode def = defs.get(i);
      if (!StrictYaml.mapping(def, path, "a definition: { name, priority, when }", errors)) {
        continue;
      }
      StrictYaml.onlyKeys(def, path, "an MQL definition", DEFINITION, errors);
      int before = errors.size();
      String name = StrictYaml.text(def.get("name"), path + ".name", errors).orElse("");
      if (name.isBlank() && errors.size() == before) {
        errors.add(new ProgramError(path + ".name", "a definition needs a name (it names the hand-off reason)"));
      } else if (!name.isBlank() && !names.add(name)) {
        errors.add(new ProgramError(path + ".name", "'" + name + "' is used by an earlier definition"));
      }
      Condition when = ConditionParser.parse(def.get("when"), path + ".when", errors);
      boolean high = high(def.get("priority"), path + ".priority", errors);
      if (when != null && !name.isBlank()) {
        definitions.add(new ScoringModel.MqlDefinition(name, when, high));
      }
    }
    return definitions;
  }

  /** {@code quiet_high_fit: { fit: 40, after: 21d }}: absent, off. */
  private static ScoringModel.QuietHighFit quietHighFit(JsonNode node, List<ProgramError> errors) {
    String path = "alerts.quiet_high_fit";
    if (absent(node) || !StrictYaml.mapping(node, path, "a mapping of " + QUIET_HIGH_FIT, errors)) {
      return ScoringModel.QuietHighFit.OFF;
    }
    StrictYaml.onlyKeys(node, path, "quiet_high_fit", QUIET_HIGH_FIT, errors);
    int fit = required(node.get("fit"), path + ".fit", errors,
        v -> StrictYaml.integer(v, path + ".fit", 0, Integer.MAX_VALUE, errors)).orElse(0);
    Duration after = StrictYaml.positiveDuration(node.get("after"), path + ".after", Optional.of(Duration.ofDays(21)),
        errors).orElse(Duration.ofDays(21));
    return new ScoringModel.QuietHighFit(fit, after);
  }

  /** A number of points, or {@code off} (or {@code false}): 0, only the other rules graduate. Absent: 70. */
  private static int mqlThreshold(JsonNode threshold, List<ProgramError> errors) {
    if (absent(threshold)) {
      return 70;
    }
    if (threshold.isTextual() && threshold.asText().trim().equals("off") || threshold.isBoolean() && !threshold.asBoolean()) {
      return 0;
    }
    if (threshold.isIntegralNumber() && threshold.canConvertToInt() && threshold.asInt() >= 0) {
      return threshold.asInt();
    }
    errors.add(new ProgramError("mql_threshold", "must be a number of points, or off"));
    return 0;
  }

  /** The fit x engagement matrix: every one of the nine cells must name a program. */
  private static Tracks tracks(JsonNode node, List<ProgramError> errors) {
    if (absent(node) || !StrictYaml.mapping(node, "tracks", "a mapping of " + TRACKS, errors)) {
      return Tracks.NONE;
    }
    StrictYaml.onlyKeys(node, "tracks", "tracks", TRACKS, errors);
    Map<String, String> programs = new HashMap<>();
    JsonNode matrix = node.get("programs");
    boolean matrixOk = absent(matrix)
        || StrictYaml.mapping(matrix, "tracks.programs", "a mapping: fit level -> engagement level -> program", errors);
    if (matrixOk && !absent(matrix)) {
      StrictYaml.onlyKeys(matrix, "tracks.programs", "the matrix (fit levels)", LEVELS, errors);
    }
    for (String fit : LEVELS) {
      JsonNode row = matrixOk && !absent(matrix) ? matrix.get(fit) : null;
      String rowPath = "tracks.programs." + fit;
      if (!absent(row) && !StrictYaml.mapping(row, rowPath, "a mapping: engagement level -> program", errors)) {
        continue;
      }
      if (!absent(row)) {
        StrictYaml.onlyKeys(row, rowPath, "a matrix row (engagement levels)", LEVELS, errors);
      }
      for (String engagement : LEVELS) {
        String cellPath = rowPath + "." + engagement;
        int before = errors.size();
        String program = StrictYaml.text(absent(row) ? null : row.get(engagement), cellPath, errors).orElse("");
        if (errors.size() > before) {
          continue;
        }
        if (program.isBlank()) {
          errors.add(new ProgramError(cellPath, "names no program: each of the nine fit x engagement cells needs one"));
        } else {
          programs.put(fit + "/" + engagement, program);
        }
      }
    }
    List<EventMatch> reentry = eventMatches(node.get("reentry_on"), "tracks.reentry_on", errors);
    String afterRejection = StrictYaml.text(node.get("after_rejection"), "tracks.after_rejection", errors).orElse(Tracks.RESUME);
    if (!afterRejection.matches("[a-z0-9][a-z0-9-]{0,63}")) {
      errors.add(new ProgramError("tracks.after_rejection", "must be resume, matrix or a program id"));
    }
    boolean reassign = StrictYaml.bool(node.get("reassign"), "tracks.reassign", errors).orElse(true);
    return new Tracks(bands(node.get("fit"), "tracks.fit", errors), bands(node.get("engagement"), "tracks.engagement", errors),
        programs, reassign, reentry, afterRejection);
  }

  /** A list of {@code { event: <type>, where: { property: value } }}. */
  private static List<EventMatch> eventMatches(JsonNode node, String path, List<ProgramError> errors) {
    List<EventMatch> matches = new ArrayList<>();
    List<JsonNode> list = StrictYaml.list(node, path, "a list of { event: <type>, where: { <property>: <value> } }", errors)
        .orElse(List.of());
    for (int i = 0; i < list.size(); i++) {
      String p = path + "[" + i + "]";
      JsonNode item = list.get(i);
      if (!StrictYaml.mapping(item, p, "a mapping: { event: <type>, where: { <property>: <value> } }", errors)) {
        continue;
      }
      StrictYaml.onlyKeys(item, p, "an event match (property values go under where)", EVENT_MATCH, errors);
      EventType type = ConditionParser.eventType(item.get("event"), p + ".event", errors);
      Map<String, String> where = ConditionParser.stringMap(item.get("where"), p + ".where", errors);
      if (type != null) {
        matches.add(EventMatch.of(type, where));
      }
    }
    return matches;
  }

  /** {@code { medium: 20, high: 40 }}: both required, high above medium. */
  private static Tracks.Bands bands(JsonNode node, String path, List<ProgramError> errors) {
    if (!absent(node) && !StrictYaml.mapping(node, path, "a mapping: { medium: <points>, high: <points> }", errors)) {
      return new Tracks.Bands(0, 0);
    }
    if (!absent(node)) {
      StrictYaml.onlyKeys(node, path, "bands", BANDS, errors);
    }
    int before = errors.size();
    Optional<Integer> medium = StrictYaml.integer(absent(node) ? null : node.get("medium"), path + ".medium", 0,
        Integer.MAX_VALUE, errors);
    Optional<Integer> high = StrictYaml.integer(absent(node) ? null : node.get("high"), path + ".high", 0,
        Integer.MAX_VALUE, errors);
    if (errors.size() == before && (medium.isEmpty() || high.isEmpty() || high.get() <= medium.get())) {
      errors.add(new ProgramError(path, "needs medium and high points, high above medium"));
    }
    return new Tracks.Bands(medium.orElse(-1), high.orElse(-1));
  }

  /** {@code priority: normal | high}; absent: normal. */
  private static boolean high(JsonNode node, String path, List<ProgramError> errors) {
    return StrictYaml.oneOf(node, path, List.of("normal", "high"), "must be normal or high", errors)
        .map("high"::equals).orElse(false);
  }

  /** A value that must be given: an error "is required" when absent. */
  private static <T> Optional<T> required(JsonNode v, String path, List<ProgramError> errors,
      java.util.function.Function<JsonNode, Optional<T>> read) {
    if (absent(v)) {
      errors.add(new ProgramError(path, "is required"));
      return Optional.empty();
    }
    return read.apply(v);
  }
}
