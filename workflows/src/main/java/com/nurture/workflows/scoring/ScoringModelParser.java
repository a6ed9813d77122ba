package com.nurture.workflows.scoring;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.nurture.workflows.condition.Condition;
import com.nurture.workflows.condition.ConditionParser;
import com.nurture.workflows.journey.EventType;
import com.nurture.workflows.program.EventMatch;
import com.nurture.workflows.program.DurationText;
import com.nurture.workflows.program.InvalidProgramException;
import com.nurture.workflows.program.ProgramError;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Reads a scoring model from YAML (programs/scoring.yaml), reporting every error with its path. */
public final class ScoringModelParser {
  private ScoringModelParser() {}

  public static ScoringModel parse(String yaml) {
    JsonNode root;
    try {
      root = new YAMLMapper().readTree(yaml);
    } catch (JsonProcessingException e) {
      throw new InvalidProgramException("scoring", List.of(new ProgramError("$", "not valid YAML: " + e.getOriginalMessage())));
    }
    List<ProgramError> errors = new ArrayList<>();
    List<ScoringModel.FitRule> fit = new ArrayList<>();
    JsonNode fitNode = root.path("fit");
    for (int i = 0; i < fitNode.size(); i++) {
      Condition c = ConditionParser.parse(fitNode.get(i).get("when"), "fit[" + i + "].when", errors);
      if (c != null) {
        fit.add(new ScoringModel.FitRule(c, fitNode.get(i).path("points").asInt()));
      }
    }
    Map<EventType, ScoringModel.EventPoints> events = new EnumMap<>(EventType.class);
    root.path("events").fields().forEachRemaining(e -> {
      EventType type = ConditionParser.eventType(new com.fasterxml.jackson.databind.node.TextNode(e.getKey()),
          "events." + e.getKey(), errors);
      JsonNode v = e.getValue();
      if (type == null) {
        return;
      }
      if (v.isNumber()) {
        events.put(type, new ScoringModel.EventPoints(v.asInt(), "", Map.of(), 0));
      } else {
        Map<String, Integer> values = new HashMap<>();
        v.path("values").fields().forEachRemaining(x -> values.put(x.getKey().toLowerCase(Locale.ROOT), x.getValue().asInt()));
        events.put(type, new ScoringModel.EventPoints(v.path("points").asInt(0), v.path("by").asText(""), values,
            v.path("daily_cap").asInt(0)));
      }
    });
    List<EventMatch> highIntent = eventMatches(root.path("high_intent"), "high_intent", errors);
    Duration decayAfter = duration(root.path("decay").path("after"), "decay.after", "30d", errors);
    Duration halfLife = duration(root.path("decay").path("half_life"), "decay.half_life", "90d", errors);
    Duration window = duration(root.path("velocity").path("window"), "velocity.window", "7d", errors);
    JsonNode t = root.path("touches");
    ScoringModel.Touches touches = t.isMissingNode() ? ScoringModel.Touches.OFF : new ScoringModel.Touches(
        t.path("min").asInt(0), duration(t.path("within"), "touches.within", "3d", errors),
        high(t, "touches.priority", errors));
    List<ScoringModel.MqlDefinition> definitions = new ArrayList<>();
    JsonNode defs = root.path("mql_definitions");
    for (int i = 0; i < defs.size(); i++) {
      String path = "mql_definitions[" + i + "]";
      String name = defs.get(i).path("name").asText("");
      if (name.isBlank()) {
        errors.add(new ProgramError(path + ".name", "a definition needs a name (it names the hand-off reason)"));
      }
      Condition when = ConditionParser.parse(defs.get(i).get("when"), path + ".when", errors);
      boolean high = high(defs.get(i), path + ".priority", errors);
      if (when != null && !name.isBlank()) {
        definitions.add(new ScoringModel.MqlDefinition(name, when, high));
      }
    }
    JsonNode q = root.path("alerts").path("quiet_high_fit");
    ScoringModel.QuietHighFit quiet = q.isMissingNode() ? ScoringModel.QuietHighFit.OFF
        : new ScoringModel.QuietHighFit(q.path("fit").asInt(0), duration(q.path("after"), "alerts.quiet_high_fit.after", "21d", errors));
    Tracks tracks = tracks(root.path("tracks"), errors);
    JsonNode threshold = root.path("mql_threshold");
    int mql = threshold.isMissingNode() ? 70 : threshold.isInt() ? threshold.asInt()
        : "off".equals(threshold.asText()) || threshold.isBoolean() && !threshold.asBoolean() ? 0 : -1;
    if (mql < 0) {
      errors.add(new ProgramError("mql_threshold", "must be a number of points, or off"));
    }
    if (!errors.isEmpty()) {
      throw new InvalidProgramException("scoring", errors);
    }
    List<String> sources = new ArrayList<>();
    root.path("fast_track").path("sources").forEach(x -> sources.add(x.asText()));
    return new ScoringModel(fit, events, decayAfter, halfLife, mql, window,
        root.path("velocity").path("threshold").asInt(20), highIntent, root.path("fast_track").path("fit").asInt(0), sources,
        touches, definitions, quiet, tracks);
  }

  private static final List<String> LEVELS = List.of("low", "medium", "high");

  /** The fit x engagement matrix: every one of the nine cells must name a program. */
  private static Tracks tracks(JsonNode node, List<ProgramError> errors) {
    if (node.isMissingNode()) {
      return Tracks.NONE;
    }
    Map<String, String> programs = new HashMap<>();
    for (String fit : LEVELS) {
      for (String engagement : LEVELS) {
        JsonNode cell = node.path("programs").path(fit).path(engagement);
        if (!cell.isTextual() || cell.asText().isBlank()) {
          errors.add(new ProgramError("tracks.programs." + fit + "." + engagement,
              "names no program: each of the nine fit x engagement cells needs one"));
        } else {
          programs.put(fit + "/" + engagement, cell.asText());
        }
      }
    }
    List<EventMatch> reentry = eventMatches(node.path("reentry_on"), "tracks.reentry_on", errors);
    String afterRejection = node.path("after_rejection").asText(Tracks.RESUME);
    if (!afterRejection.matches("[a-z0-9][a-z0-9-]{0,63}")) {
      errors.add(new ProgramError("tracks.after_rejection", "must be resume, matrix or a program id"));
    }
    return new Tracks(bands(node.path("fit"), "tracks.fit", errors), bands(node.path("engagement"), "tracks.engagement", errors),
        programs, node.path("reassign").asBoolean(true), reentry, afterRejection);
  }

  /** A list of {@code { event: <type>, where: { property: value } }}. */
  private static List<EventMatch> eventMatches(JsonNode list, String path, List<ProgramError> errors) {
    List<EventMatch> matches = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      EventType type = ConditionParser.eventType(list.get(i).get("event"), path + "[" + i + "].event", errors);
      Map<String, String> where = ConditionParser.stringMap(list.get(i).get("where"), path + "[" + i + "].where", errors);
      if (type != null) {
        matches.add(EventMatch.of(type, where));
      }
    }
    return matches;
  }

  private static Tracks.Bands bands(JsonNode node, String path, List<ProgramError> errors) {
    int medium = node.path("medium").asInt(-1);
    int high = node.path("high").asInt(-1);
    if (medium < 0 || high <= medium) {
      errors.add(new ProgramError(path, "needs medium and high points, high above medium"));
    }
    return new Tracks.Bands(medium, high);
  }

  private static boolean high(JsonNode node, String path, List<ProgramError> errors) {
    String p = node.path("priority").asText("normal");
    if (!p.equals("normal") && !p.equals("high")) {
      errors.add(new ProgramError(path, "must be normal or high"));
    }
    return p.equals("high");
  }

  private static Duration duration(JsonNode node, String path, String dflt, List<ProgramError> errors) {
    try {
      return DurationText.parse(node.isMissingNode() ? dflt : node.asText());
    } catch (IllegalArgumentException e) {
      errors.add(new ProgramError(path, e.getMessage()));
      return DurationText.parse(dflt);
    }
  }
}
