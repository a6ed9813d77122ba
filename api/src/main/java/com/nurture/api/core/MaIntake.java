package com.nurture.api.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nurture.activities.db.DatabaseOutage;
import com.nurture.activities.db.LeadDao;
import com.nurture.activities.db.LeadRecord;
import com.nurture.api.config.IntakeSource;
import com.nurture.api.errors.FieldError;
import com.nurture.api.errors.Problem;
import com.nurture.api.errors.ProblemException;
import com.nurture.api.errors.ProblemMappers;
import com.nurture.api.intake.IntakeDocument;
import com.nurture.api.representations.EventAccepted;
import com.nurture.api.representations.EventRequest;
import com.nurture.api.representations.LeadId;
import com.nurture.api.representations.LeadRequest;
import com.nurture.workflows.journey.EventType;
import jakarta.validation.Validator;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One verified document from an MA system, through its source's mapping (docs/integrations.md): the
 * lead upserted (merged into what Nurture has, so a payload with a few fields wipes nothing), the
 * event its name maps to accepted, the program it maps to enrolled. The same paths as the API's own
 * calls ({@link LeadIntake}), with the same validation.
 */
public final class MaIntake {
  private static final Logger log = LoggerFactory.getLogger(MaIntake.class);
  private static final Set<String> TOP_LEVEL = Set.of("first_name", "last_name", "company", "role", "industry",
      "employees", "timezone", "source", "locale", "consent");

  private final LeadIntake leads;
  private final Jdbi jdbi;
  private final ObjectMapper json;
  private final Validator validator;

  public MaIntake(LeadIntake leads, Jdbi jdbi, ObjectMapper json, Validator validator) {
    this.leads = leads;
    this.jdbi = jdbi;
    this.json = json;
    this.validator = validator;
  }

  /** The answer for one document: what happened to the lead, the event and the enrolment. */
  public Map<String, Object> take(String source, IntakeSource mapping, JsonNode doc) {
    Optional<String> email = IntakeDocument.text(doc, mapping.email);
    String leadId = leadId(source, mapping, doc, email);
    Optional<LeadRecord> existing = jdbi.onDemand(LeadDao.class).find(leadId);
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("lead_id", leadId);

    ObjectNode mapped = json.createObjectNode();
    email.ifPresent(e -> mapped.put("email", e));
    mapping.fields.forEach((ours, theirs) -> IntakeDocument.node(doc, theirs).ifPresent(v -> mapped.set(ours, v)));
    LeadRecord lead;
    if (existing.isPresent() && mapped.isEmpty()) {
      lead = existing.get();
      answer.put("lead", "unchanged");
    } else {
      if (existing.isEmpty() && email.isEmpty()) {
        throw ProblemException.invalid("email", "the payload has no email (at " + mapping.email + ") for a lead new to Nurture");
      }
      LeadIntake.Upserted u = leads.upsert(leadId, request(mapping, merged(existing, mapped, mapping)));
      lead = u.stored();
      answer.put("lead", u.created() ? "created" : "updated");
    }

    Optional<String> name = IntakeDocument.text(doc, mapping.eventName);
    Optional<String> type = name.map(mapping.eventMap::get).or(() -> Optional.of(mapping.eventType))
        .filter(t -> !t.isEmpty());
    if (type.isPresent()) {
      EventRequest event = new EventRequest(eventId(source, mapping, doc), EventType.fromWire(type.get()).orElseThrow(),
          occurredAt(doc, mapping.occurredAt).orElse(null), properties(source, mapping, doc, name));
      validate(event);
      EventAccepted a = leads.event(lead, event);
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("id", a.id());
      e.put("type", type.get());
      e.put("duplicate", a.duplicate());
      e.put("delivered_to_journey", a.deliveredToJourney());
      answer.put("event", e);
    }

    Optional<String> program = name.map(mapping.enrolMap::get).or(() -> Optional.of(mapping.enrolProgram))
        .filter(p -> !p.isEmpty());
    program.ifPresent(p -> {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("program", p);
      try {
        JourneyService.Outcome outcome = leads.journeys().enrolIfNew(lead.id(), Optional.of(p));
        e.put("status", outcome.status);
        if (outcome == JourneyService.Outcome.QUEUED) { // Temporal away or late: it starts when Temporal answers
          e.put("queued", true);
        }
      } catch (ProblemException x) {
        // The lead and its event are in; a lead that cannot be enrolled (suppressed, no consent,
        // outside the audience) is told in the answer, not by failing the call the sender would retry.
        // Temporal away or late is no refusal: the enrolment is queued (202). What could not even queue
        // it (PostgreSQL away) is no ProblemException and fails the whole call with its 503, so the
        // sender's retry, idempotent for the lead and the event, enrols.
        e.put("status", x.problem().status());
        e.put("problem", x.problem());
      }
      answer.put("enrolment", e);
    });
    log.info("{} intake: lead {} {}{}{}", source, leadId, answer.get("lead"),
        type.map(t -> ", event " + t).orElse(""), program.map(p -> ", enrolment in " + p).orElse(""));
    return answer;
  }

  /** Each document answered on its own (a Segment batch): its answer, or its status and problem. */
  public Map<String, Object> takeOne(String source, IntakeSource mapping, JsonNode doc, int index) {
    try {
      Map<String, Object> answer = new LinkedHashMap<>();
      answer.put("index", index);
      answer.put("status", 200);
      answer.putAll(take(source, mapping, doc));
      return answer;
    } catch (RuntimeException e) {
      if (transientFailure(e)) {
        // Temporal or PostgreSQL away: the whole list fails, so the sender sends it again (every
        // document's lead, event and enrolment are idempotent); a 503 inside a 200 would be dropped.
        throw e;
      }
      Problem p = ProblemMappers.problemOf(e);
      Map<String, Object> answer = new LinkedHashMap<>();
      answer.put("index", index);
      answer.put("status", p.status());
      answer.put("problem", p);
      return answer;
    }
  }

  /**
   * A failure the same call gets past by being sent again: Temporal away or late (a gRPC UNAVAILABLE
   * or DEADLINE_EXCEEDED, or presumed down), or PostgreSQL away. Not every 503 the mappers answer:
   * a Temporal refusal such as INVALID_ARGUMENT, which they also map to 503, fails the same way on
   * every retry, so it stays one document's answer.
   */
  private static boolean transientFailure(RuntimeException e) {
    return TemporalAvailability.isUnavailable(e) || DatabaseOutage.is(e);
  }

  private String leadId(String source, IntakeSource mapping, JsonNode doc, Optional<String> email) {
    Optional<String> theirs = IntakeDocument.text(doc, mapping.leadId);
    if (theirs.isPresent()) {
      String id = mapping.leadIdPrefix + theirs.get();
      if (!LeadId.valid(id)) {
        throw ProblemException.invalid("lead_id", "the lead id at " + mapping.leadId + " " + LeadId.MESSAGE);
      }
      return id;
    }
    String address = email.orElseThrow(() -> ProblemException.invalid("email",
        "the payload has neither a lead id (at " + mapping.leadId + ") nor an email (at " + mapping.email + ")"));
    return jdbi.onDemand(LeadDao.class).findByEmail(address).map(LeadRecord::id)
        .orElseGet(() -> mapping.leadIdPrefix + hash(address.toLowerCase(Locale.ROOT)).substring(0, 24));
  }

  /** What Nurture has for the lead, with what the payload maps laid over it. */
  private ObjectNode merged(Optional<LeadRecord> existing, ObjectNode mapped, IntakeSource mapping) {
    ObjectNode lead = json.createObjectNode();
    ObjectNode attributes = lead.putObject("attributes");
    existing.ifPresent(r -> {
      lead.put("email", r.email());
      if (!r.timezone().isEmpty()) {
        lead.put("timezone", r.timezone());
      }
      if (!r.consent().isEmpty()) {
        lead.put("consent", r.consent());
      }
      attributes.setAll((ObjectNode) json.valueToTree(r.attributes()));
    });
    if (existing.isEmpty() && !mapping.consent.isEmpty()) {
      lead.put("consent", mapping.consent);
    }
    mapped.fields().forEachRemaining(f -> {
      if (f.getKey().startsWith("attributes.")) {
        attributes.set(f.getKey().substring("attributes.".length()), f.getValue());
      } else if (TOP_LEVEL.contains(f.getKey()) || f.getKey().equals("email")) {
        lead.put(f.getKey(), f.getValue().asText());
        attributes.remove(f.getKey());
      }
    });
    return lead;
  }

  private LeadRequest request(IntakeSource mapping, ObjectNode lead) {
    LeadRequest request;
    try {
      request = json.treeToValue(lead, LeadRequest.class);
    } catch (JsonProcessingException e) {
      throw new ProblemException(Problem.UNPROCESSABLE, "the mapped lead has invalid fields",
          ProblemMappers.Json.problem(e).errors());
    }
    validate(request);
    return request;
  }

  private void validate(Object bean) {
    List<FieldError> errors = validator.validate(bean).stream()
        .map(v -> new FieldError(ProblemMappers.Violations.fieldOf(v), v.getMessage())).distinct().toList();
    if (!errors.isEmpty()) {
      throw new ProblemException(Problem.UNPROCESSABLE, "the mapped " + (bean instanceof LeadRequest ? "lead" : "event")
          + " has invalid fields", errors);
    }
  }

  private String eventId(String source, IntakeSource mapping, JsonNode doc) {
    return source + "-" + IntakeDocument.text(doc, mapping.eventId)
        .orElseGet(() -> hash(doc.toString()).substring(0, 32));
  }

  private static Optional<Instant> occurredAt(JsonNode doc, String path) {
    return IntakeDocument.text(doc, path).map(t -> {
      try {
        return t.matches("\\d{10,16}") ? Instant.ofEpochMilli(Long.parseLong(t)) : Instant.parse(t);
      } catch (DateTimeParseException | NumberFormatException e) {
        throw ProblemException.invalid("occurred_at", "the time at " + path + " is neither ISO-8601 nor epoch milliseconds");
      }
    });
  }

  private static Map<String, Object> properties(String source, IntakeSource mapping, JsonNode doc, Optional<String> name) {
    Map<String, Object> p = new LinkedHashMap<>();
    IntakeDocument.node(doc, mapping.eventProperties).filter(JsonNode::isObject).ifPresent(o -> o.fields()
        .forEachRemaining(f -> {
          JsonNode v = f.getValue();
          if (v.isTextual()) {
            p.put(f.getKey(), v.asText());
          } else if (v.isNumber()) {
            p.put(f.getKey(), v.numberValue());
          } else if (v.isBoolean()) {
            p.put(f.getKey(), v.booleanValue());
          }
        }));
    p.put("source", source);
    name.ifPresent(n -> p.put("name", n));
    return p;
  }

  private static String hash(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
