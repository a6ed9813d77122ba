package com.nurture.workflows.journey;

import com.nurture.workflows.activities.SendOutcome;
import com.nurture.workflows.program.Program;
import com.nurture.workflows.program.ProgramParser;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Drives the journey core by hand for its unit tests: no Temporal, no clock but the one the test
 * moves. Keeps every effect and timeline entry the core produced.
 */
final class CoreDriver {
  static final ProgramParser PARSER = new ProgramParser(t -> true);
  final Journey journey;
  final List<Effect> effects = new ArrayList<>();
  final List<Effect.Note> notes = new ArrayList<>();
  Instant now = Instant.parse("2026-06-01T09:00:00Z");
  Effect.Block block;

  CoreDriver(String programYaml) {
    this(JourneyInput.enrol("lead-1", Map.of(), PARSER.parse(programYaml, 1)));
  }

  CoreDriver(JourneyInput input) {
    journey = Journey.of(input);
  }

  CoreDriver begin() {
    keep(journey.begin("run-1", now));
    return next();
  }

  /** The core goes as far as it can now. */
  CoreDriver next() {
    keep(journey.settle(now));
    keep(journey.next(now));
    return this;
  }

  /** Answers the pending send as sent, then goes on. */
  CoreDriver sent() {
    Effect.Send send = (Effect.Send) block;
    keep(journey.sent(new SendOutcome(SendOutcome.Status.SENT, "<m-" + send.request().stepId() + ">",
        "Subject", send.request().template(), now), now));
    return next();
  }

  /** Keeps what an input to the core returned, then goes on. */
  CoreDriver then(List<Effect> returned) {
    keep(returned);
    return next();
  }

  CoreDriver loaded(Optional<Program> program) {
    keep(journey.loaded(program, now));
    return next();
  }

  CoreDriver at(Duration later) {
    now = now.plus(later);
    return next();
  }

  /** Jumps to when the core said it sleeps until, and goes on. */
  CoreDriver wake() {
    now = ((Effect.Sleep) block).until().orElseThrow();
    return next();
  }

  CoreDriver event(EventType type, Map<String, Object> properties) {
    LeadEvent e = new LeadEvent("e-" + notes.size() + "-" + type.wireName() + "-" + now.toEpochMilli(), type, now,
        properties);
    if (journey.admit(e)) {
      keep(journey.react(e, now));
    }
    return next();
  }

  private void keep(List<Effect> batch) {
    for (Effect e : batch) {
      if (e instanceof Effect.RecordTransitions r) {
        notes.addAll(r.notes());
      } else if (e instanceof Effect.Block b) {
        block = b;
      } else {
        effects.add(e);
      }
    }
  }

  List<String> kinds() {
    return notes.stream().map(Effect.Note::kind).toList();
  }

  <T extends Effect> List<T> effects(Class<T> type) {
    return effects.stream().filter(type::isInstance).map(type::cast).toList();
  }

  JourneyStatus status() {
    return journey.state().status();
  }
}
