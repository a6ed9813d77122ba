package com.nurture.workflows.condition;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.nurture.workflows.journey.EventType;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The one condition language of programs: branch cases, audiences, and (later) graduation rules.
 * Pure: {@link #test(ConditionContext)} reads only the context it is given.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({
  @JsonSubTypes.Type(value = Condition.All.class, name = "all"),
  @JsonSubTypes.Type(value = Condition.Any.class, name = "any"),
  @JsonSubTypes.Type(value = Condition.Not.class, name = "not"),
  @JsonSubTypes.Type(value = Condition.AttributeIs.class, name = "attribute"),
  @JsonSubTypes.Type(value = Condition.ScoreIs.class, name = "score"),
  @JsonSubTypes.Type(value = Condition.EventSeen.class, name = "event_seen")
})
public sealed interface Condition {
  boolean test(ConditionContext context);

  /** Every one holds (true when empty). */
  record All(List<Condition> conditions) implements Condition {
    @Override
    public boolean test(ConditionContext c) {
      return conditions.stream().allMatch(x -> x.test(c));
    }
  }

  /** At least one holds. */
  record Any(List<Condition> conditions) implements Condition {
    @Override
    public boolean test(ConditionContext c) {
      return conditions.stream().anyMatch(x -> x.test(c));
    }
  }

  record Not(Condition condition) implements Condition {
    @Override
    public boolean test(ConditionContext c) {
      return !condition.test(c);
    }
  }

  /** A lead attribute compared with a value: {@code { attribute: employees, gte: 100 }}. */
  record AttributeIs(String name, Comparison comparison) implements Condition {
    @Override
    public boolean test(ConditionContext c) {
      return c.attribute(name).map(comparison::holdsFor).orElse(false);
    }
  }

  /** A score compared with a number: {@code { score: total, gte: 70 }} (total, fit, engagement, velocity). */
  record ScoreIs(String score, Comparison comparison) implements Condition {
    @Override
    public boolean test(ConditionContext c) {
      return comparison.holdsFor(c.score(score));
    }
  }

  /**
   * The lead did something, at least {@code min} times, within the window before now (a zero
   * window means ever): {@code { event_seen: { type: page_visited, within: 7d, where: { page: pricing } } }}.
   */
  record EventSeen(EventType type, Duration within, int min, Map<String, String> where) implements Condition {
    @Override
    public boolean test(ConditionContext c) {
      long count = c.events().stream()
          .filter(e -> e.type() == type)
          .filter(e -> within.isZero() || !e.at().isBefore(c.now().minus(within)))
          .filter(e -> e.matches(where))
          .count();
      return count >= min;
    }
  }
}
