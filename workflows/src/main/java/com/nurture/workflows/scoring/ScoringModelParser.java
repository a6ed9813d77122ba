package com.nurture.workflows.scoring;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.nurture.workflows.condition.Condition;
import com.nurture.workflows.condition.ConditionParser;
import com.nurture.workflows.journey.EventType;
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
    List<ScoringModel.HighIntent> highIntent = new ArrayList<>();
    JsonNode hi = root.path("high_intent");
    for (int i = 0; i < hi.size(); i++) {
      EventType type = ConditionParser.eventType(hi.get(i).get("event"), "high_intent[" + i + "].event", errors);
      Map<String, String> where = ConditionParser.stringMap(hi.get(i).get("where"), "high_intent[" + i + "].where", errors);
      if (type != null) {
        highIntent.add(new ScoringModel.HighIntent(type, where));
      }
    }
    Duration decayAfter = duration(root.path("decay").path("after"), "decay.after", "30d", errors);
    Duration halfLife = duration(root.path("decay").path("half_life"), "decay.half_life", "90d", errors);
    Duration window = duration(root.path("velocity").path("window"), "velocity.window", "7d", errors);
    if (!errors.isEmpty()) {
      throw new InvalidProgramException("scoring", errors);
    }
    List<String> sources = new ArrayList<>();
    root.path("fast_track").path("sources").forEach(x -> sources.add(x.asText()));
    return new ScoringModel(fit, events, decayAfter, halfLife, root.path("mql_threshold").asInt(70), window,
        root.path("velocity").path("threshold").asInt(20), highIntent, root.path("fast_track").path("fit").asInt(0), sources);
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
