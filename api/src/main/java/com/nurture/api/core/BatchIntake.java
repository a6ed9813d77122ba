package com.nurture.api.core;

import com.nurture.workflows.journey.IntakeLane;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nurture.activities.db.LeadRecord;
import com.nurture.api.errors.FieldError;
import com.nurture.api.errors.Problem;
import com.nurture.api.errors.ProblemException;
import com.nurture.api.errors.ProblemMappers;
import com.nurture.api.representations.BatchResult;
import com.nurture.api.representations.EventAccepted;
import com.nurture.api.representations.EventRequest;
import com.nurture.api.representations.LeadId;
import com.nurture.api.representations.LeadRequest;
import com.nurture.workflows.journey.EventDeliveries;
import jakarta.validation.Validator;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * POST /v1/events:batch and PUT /v1/leads:batch: each item read and validated on its own (the same
 * Bean Validation constraints as the single calls), answered on its own, and taken through
 * {@link LeadIntake} as the single calls are. Leads are written in one transaction; the work that
 * talks to Temporal (signals, follow-ups) runs concurrently across leads and in order within one.
 *
 * <p>A batch answers within {@code intake.batch_deadline}: an item whose turn comes later does not
 * call Temporal but is left to the event outbox, as when Temporal is away (202, {@code delivered:
 * false}; the dispatcher delivers it). The answer is the whole document or nothing: a request that
 * outlived the connection's idle timeout lost its answer at its first write (a 200 cut after the
 * first 32 KiB buffer, or no answer at all), so the deadline is kept below that timeout.
 */
public final class BatchIntake {
  private static final Logger log = LoggerFactory.getLogger(BatchIntake.class);

  private final LeadIntake intake;
  private final ObjectMapper json;
  private final Validator validator;
  private final Executor executor;
  private final int max;
  private final Clock clock;
  private final Duration deadline;

  public BatchIntake(LeadIntake intake, ObjectMapper json, Validator validator, Executor executor, int max, Clock clock,
      Duration deadline) {
    this.intake = intake;
    this.json = json;
    this.validator = validator;
    this.executor = executor;
    this.max = max;
    this.clock = clock;
    this.deadline = deadline;
  }

  /** Whether an item may still call Temporal: before the batch's deadline. Counts the items that may not. */
  private record Deadline(Clock clock, Instant at, AtomicInteger late) {
    /** For {@code items} items at once: whether they may call Temporal; counted as late when not. */
    boolean inTime(int items) {
      if (clock.instant().isBefore(at)) {
        return true;
      }
      late.addAndGet(items);
      return false;
    }
  }

  private Deadline start() {
    return new Deadline(clock, clock.instant().plus(deadline), new AtomicInteger());
  }

  private record Parsed<T>(int index, String id, String leadId, Optional<T> value, Optional<Problem> problem) {}

  public BatchResult events(JsonNode body) {
    Deadline until = start();
    List<JsonNode> items = items(body, "events");
    List<BatchResult.Item> results = new ArrayList<>(java.util.Collections.nCopies(items.size(), null));
    Map<String, List<Parsed<EventRequest>>> byLead = new LinkedHashMap<>();
    for (int i = 0; i < items.size(); i++) {
      Parsed<EventRequest> p = parse(i, items.get(i), "lead_id", EventRequest.class);
      if (p.problem().isPresent()) {
        results.set(i, BatchResult.Item.failed(i, p.id(), p.leadId(), p.problem().get()));
      } else {
        byLead.computeIfAbsent(p.leadId(), k -> new ArrayList<>()).add(p);
      }
    }
    // One query for the leads, one transaction for every event; then signals, concurrently across leads.
    Map<String, LeadRecord> leads;
    try {
      leads = intake.existing(List.copyOf(byLead.keySet()));
    } catch (RuntimeException e) { // the database is away: each item says so (503), the batch itself is answered
      byLead.values().forEach(group -> group.forEach(p ->
          results.set(p.index(), BatchResult.Item.failed(p.index(), p.id(), p.leadId(), ProblemMappers.problemOf(e)))));
      return BatchResult.of(results);
    }
    List<EventIntake.Arrival> arrivals = new ArrayList<>();
    List<Integer> indexes = new ArrayList<>();
    for (List<Parsed<EventRequest>> group : byLead.values()) {
      for (Parsed<EventRequest> p : group) {
        try {
          LeadRecord lead = Optional.ofNullable(leads.get(p.leadId())).orElseGet(() -> intake.journeys().lead(p.leadId()));
          arrivals.add(new EventIntake.Arrival(lead, intake.toEvent(p.value().orElseThrow())));
          indexes.add(p.index());
        } catch (RuntimeException e) {
          results.set(p.index(), BatchResult.Item.failed(p.index(), p.id(), p.leadId(), ProblemMappers.problemOf(e)));
        }
      }
    }
    List<Boolean> fresh;
    try {
      fresh = intake.events().record(arrivals, IntakeLane.BULK);
    } catch (RuntimeException e) {
      for (int k = 0; k < arrivals.size(); k++) {
        EventIntake.Arrival a = arrivals.get(k);
        results.set(indexes.get(k), BatchResult.Item.failed(indexes.get(k), a.event().id(), a.lead().id(),
            ProblemMappers.problemOf(e)));
      }
      fresh = List.of();
    }
    // Events that need no Temporal call (no journey runs, none starts) are handed over together.
    Map<Integer, EventAccepted> quiet;
    try {
      quiet = intake.events().handOverQuiet(arrivals, fresh);
    } catch (RuntimeException e) { // stored already: each goes the ordinary way
      log.warn("event batch: events that need no Temporal call go one by one: {}", e.toString());
      quiet = Map.of();
    }
    quiet.forEach((k, accepted) -> results.set(indexes.get(k), accepted(indexes.get(k), arrivals.get(k), accepted)));
    Map<String, List<Integer>> recordedByLead = new LinkedHashMap<>();
    for (int k = 0; k < fresh.size(); k++) {
      if (!quiet.containsKey(k)) {
        recordedByLead.computeIfAbsent(arrivals.get(k).lead().id(), x -> new ArrayList<>()).add(k);
      }
    }
    List<Boolean> isNew = fresh;
    // A lead's fresh events go to Temporal together (one signal to its journey); its repeats one by one.
    perLead(recordedByLead, group -> {
      List<Integer> newOnes = group.stream().filter(isNew::get).toList();
      for (List<Integer> freshOnes : EventDeliveries.signals(newOnes, k -> arrivals.get(k).event())) { // a signal's worth each
        EventIntake.Arrival first = arrivals.get(freshOnes.get(0));
        try {
          List<EventAccepted> accepted = intake.events().deliveredTogether(first.lead(),
              freshOnes.stream().map(k -> arrivals.get(k).event()).toList(), until.inTime(freshOnes.size()),
              IntakeLane.BULK);
          for (int j = 0; j < freshOnes.size(); j++) {
            int k = freshOnes.get(j);
            results.set(indexes.get(k), accepted(indexes.get(k), arrivals.get(k), accepted.get(j)));
          }
        } catch (RuntimeException e) {
          freshOnes.forEach(k -> results.set(indexes.get(k), BatchResult.Item.failed(indexes.get(k),
              arrivals.get(k).event().id(), first.lead().id(), ProblemMappers.problemOf(e))));
        }
      }
      for (int k : group) {
        if (isNew.get(k)) {
          continue;
        }
        EventIntake.Arrival a = arrivals.get(k);
        int index = indexes.get(k);
        try {
          EventAccepted accepted = intake.events().repeat(a.lead(), a.event(), until.inTime(1));
          results.set(index, accepted(index, a, accepted));
        } catch (RuntimeException e) {
          results.set(index, BatchResult.Item.failed(index, a.event().id(), a.lead().id(), ProblemMappers.problemOf(e)));
        }
      }
    });
    BatchResult answer = BatchResult.of(results);
    log.info("event batch: {} items, {} accepted, {} refused, {} left to the outbox at intake.batch_deadline",
        items.size(), answer.succeeded(), answer.failed(), until.late().get());
    return answer;
  }

  private static BatchResult.Item accepted(int index, EventIntake.Arrival a, EventAccepted accepted) {
    return new BatchResult.Item(index, a.event().id(), a.lead().id(), 202, accepted.duplicate(),
        accepted.deliveredToJourney(), accepted.delivered(), null);
  }

  public BatchResult leads(JsonNode body) {
    Deadline until = start();
    List<JsonNode> items = items(body, "leads");
    List<BatchResult.Item> results = new ArrayList<>(java.util.Collections.nCopies(items.size(), null));
    List<Parsed<LeadRequest>> valid = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      Parsed<LeadRequest> p = parse(i, items.get(i), "id", LeadRequest.class);
      if (p.problem().isPresent()) {
        results.set(i, BatchResult.Item.failed(i, p.id(), null, p.problem().get()));
      } else {
        valid.add(p);
      }
    }
    List<LeadIntake.Upserted> stored = intake.store(valid.stream()
        .map(p -> new LeadIntake.LeadItem(p.leadId(), p.value().orElseThrow())).toList());
    Map<String, List<Integer>> byLead = new LinkedHashMap<>();
    for (int k = 0; k < valid.size(); k++) {
      byLead.computeIfAbsent(valid.get(k).leadId(), x -> new ArrayList<>()).add(k);
    }
    perLead(byLead, group -> {
      for (int k : group) {
        Parsed<LeadRequest> p = valid.get(k);
        LeadIntake.Upserted u = stored.get(k);
        try {
          intake.followUp(u, until.inTime(1), IntakeLane.BULK);
          results.set(p.index(), new BatchResult.Item(p.index(), p.id(), null, u.created() ? 201 : 200, null, null, null,
              null));
        } catch (RuntimeException e) {
          results.set(p.index(), BatchResult.Item.failed(p.index(), p.id(), null, ProblemMappers.problemOf(e)));
        }
      }
    });
    BatchResult answer = BatchResult.of(results);
    log.info("lead batch: {} items, {} stored, {} refused, {} follow-ups left to the outbox at intake.batch_deadline",
        items.size(), answer.succeeded(), answer.failed(), until.late().get());
    return answer;
  }

  /** Each lead's items in order on one task; different leads at once. Waits for all. */
  private <T> void perLead(Map<String, List<T>> byLead, Consumer<List<T>> work) {
    if (byLead.size() == 1) {
      work.accept(byLead.values().iterator().next());
      return;
    }
    CompletableFuture.allOf(byLead.values().stream()
        .map(group -> CompletableFuture.runAsync(() -> work.accept(group), executor))
        .toArray(CompletableFuture[]::new)).join();
  }

  private List<JsonNode> items(JsonNode body, String name) {
    if (body == null || !body.isObject()) {
      throw ProblemException.invalid(name, "is required: {\"" + name + "\": [...]}");
    }
    java.util.Iterator<String> keys = body.fieldNames();
    while (keys.hasNext()) {
      String key = keys.next();
      if (!key.equals(name)) {
        throw ProblemException.invalid(key, "is not a known field");
      }
    }
    JsonNode list = body.path(name);
    if (!list.isArray() || list.isEmpty()) {
      throw ProblemException.invalid(name, "must be a list of 1 to " + max + " items");
    }
    if (list.size() > max) {
      throw new ProblemException(Problem.UNPROCESSABLE, "a batch holds at most " + max
          + " items; split it", List.of(new FieldError(name, "has " + list.size() + " items; at most " + max
              + " (intake.batch_max)")));
    }
    List<JsonNode> out = new ArrayList<>(list.size());
    list.forEach(out::add);
    return out;
  }

  /** One item: its lead id (field {@code idField}) checked, the rest bound and validated as the single call's body. */
  private <T> Parsed<T> parse(int index, JsonNode item, String idField, Class<T> type) {
    if (!item.isObject()) {
      return failed(index, null, null, List.of(new FieldError("body", "must be an object")));
    }
    ObjectNode copy = ((ObjectNode) item).deepCopy();
    JsonNode idNode = copy.remove(idField);
    String leadId = idNode != null && idNode.isTextual() ? idNode.asText() : null;
    String id = idField.equals("id") ? leadId : (copy.path("id").isTextual() ? copy.path("id").asText() : null);
    List<FieldError> errors = new ArrayList<>();
    if (!LeadId.valid(leadId)) {
      errors.add(new FieldError(idField, idNode == null ? "is required" : LeadId.MESSAGE));
    }
    T value;
    try {
      value = json.readerFor(type).readValue(copy);
    } catch (JsonProcessingException e) {
      Problem p = ProblemMappers.Json.problem(e);
      errors.addAll(p.errors().isEmpty() ? List.of(new FieldError("body", p.detail())) : p.errors());
      return failed(index, id, leadId, errors);
    } catch (IOException e) {
      errors.add(new FieldError("body", "cannot be read"));
      return failed(index, id, leadId, errors);
    }
    validator.validate(value).stream()
        .map(v -> new FieldError(ProblemMappers.Violations.fieldOf(v), v.getMessage()))
        .distinct()
        .forEach(errors::add);
    if (errors.isEmpty() && value instanceof LeadRequest lead) {
      errors.addAll(intake.limitErrors(lead));
    }
    if (!errors.isEmpty()) {
      return failed(index, id, leadId, errors);
    }
    return new Parsed<>(index, id, leadId, Optional.of(value), Optional.empty());
  }

  private static <T> Parsed<T> failed(int index, String id, String leadId, List<FieldError> errors) {
    List<FieldError> sorted = errors.stream().sorted(Comparator.comparing(FieldError::field)).toList();
    return new Parsed<>(index, id, leadId, Optional.empty(),
        Optional.of(Problem.of(Problem.UNPROCESSABLE, "item " + index + " has invalid fields", sorted)));
  }
}
