package com.nurture.workflows.condition;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToDoubleFunction;

/** What a condition may read about a lead. */
public interface ConditionContext {
  Optional<Object> attribute(String name);

  /** total, fit, engagement or velocity; 0 for a score the lead has none of. */
  double score(String name);

  /** Events seen, oldest first. */
  List<SeenEvent> events();

  Instant now();

  /** A context over given facts; {@code scores} maps a score name to its value. */
  static ConditionContext of(Map<String, Object> attributes, ToDoubleFunction<String> scores, List<SeenEvent> events,
      Instant now) {
    return new ConditionContext() {
      @Override
      public Optional<Object> attribute(String name) {
        return Optional.ofNullable(attributes.get(name));
      }

      @Override
      public double score(String name) {
        return scores.applyAsDouble(name);
      }

      @Override
      public List<SeenEvent> events() {
        return events;
      }

      @Override
      public Instant now() {
        return now;
      }
    };
  }
}
