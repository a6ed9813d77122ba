package com.nurture.api.representations;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.nurture.api.core.Simulator;
import com.nurture.api.errors.FieldError;
import com.nurture.api.errors.Problem;
import com.nurture.api.errors.ProblemException;
import com.nurture.workflows.journey.EventType;
import com.nurture.workflows.program.DurationText;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A preview: an imagined lead, a start time and a script of events at offsets from the start.
 * <pre>
 * lead: { first_name: Pat, industry: manufacturing, timezone: Europe/Berlin }
 * start: 2026-03-03T09:00:00Z          # default: now
 * horizon: 200d                         # default: 400d; the simulation stops there
 * events:
 *   - { at: 3d, type: email_clicked, step: case-study }
 *   - { at: 4d12h, type: page_visited, properties: { page: pricing } }
 * source: |                             # optional: a draft program to preview instead of a published one
 *   id: ...
 * </pre>
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record SimulationRequest(
    @Min(1) Integer version,
    String source,
    Map<String, Object> lead,
    Instant start,
    String horizon,
    @Size(max = 1000) List<@Valid @NotNull ScriptedEvent> events) {

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record ScriptedEvent(@NotNull String at, @NotNull EventType type, String step, Map<String, Object> properties) {}

  private static final Duration MAX_HORIZON = Duration.ofDays(3 * 365);

  /** @throws ProblemException naming each bad field */
  public Simulator.Script script(Clock clock) {
    List<FieldError> errors = new ArrayList<>();
    Duration h = Duration.ofDays(400);
    if (horizon != null) {
      try {
        h = DurationText.parse(horizon);
        if (h.isZero() || h.compareTo(MAX_HORIZON) > 0) {
          errors.add(new FieldError("horizon", "must be between 1s and 3 years"));
        }
      } catch (IllegalArgumentException e) {
        errors.add(new FieldError("horizon", e.getMessage()));
      }
    }
    List<Simulator.ScriptedEvent> scripted = new ArrayList<>();
    List<ScriptedEvent> given = events == null ? List.of() : events;
    for (int i = 0; i < given.size(); i++) {
      ScriptedEvent e = given.get(i);
      Map<String, Object> props = new HashMap<>(e.properties() == null ? Map.of() : e.properties());
      if (e.step() != null && !e.step().isBlank()) {
        props.put("step", e.step());
      }
      try {
        scripted.add(new Simulator.ScriptedEvent(DurationText.parse(e.at()), e.type(), props));
      } catch (IllegalArgumentException ex) {
        errors.add(new FieldError("events[" + i + "].at", ex.getMessage()));
      }
    }
    if (!errors.isEmpty()) {
      throw new ProblemException(Problem.UNPROCESSABLE, "the simulation request has invalid fields", errors);
    }
    return new Simulator.Script(lead == null ? Map.of() : lead, start == null ? clock.instant() : start, h, scripted);
  }
}
