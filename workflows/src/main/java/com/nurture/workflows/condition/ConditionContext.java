package com.nurture.workflows.condition;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** What a condition may read about a lead. */
public interface ConditionContext {
  Optional<Object> attribute(String name);

  /** total, fit, engagement or velocity; 0 for a score the lead has none of. */
  double score(String name);

  /** Events seen, oldest first. */
  List<SeenEvent> events();

  Instant now();
}
