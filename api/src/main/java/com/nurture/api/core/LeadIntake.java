package com.nurture.api.core;

import com.nurture.activities.db.JsonObjectColumn;
import com.nurture.activities.db.LeadDao;
import com.nurture.activities.db.LeadRecord;
import com.nurture.api.errors.FieldError;
import com.nurture.api.errors.Problem;
import com.nurture.api.errors.ProblemException;
import com.nurture.api.limits.PayloadLimits;
import com.nurture.api.representations.EventAccepted;
import com.nurture.api.representations.EventRequest;
import com.nurture.api.representations.LeadRequest;
import com.nurture.workflows.journey.IntakeLane;
import com.nurture.workflows.journey.EventType;
import com.nurture.workflows.journey.LeadEvent;
import com.nurture.workflows.program.DurationText;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;
import org.jdbi.v3.core.statement.PreparedBatch;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * Leads and events as the MA systems send them, one at a time (PUT /v1/leads/{id}, POST
 * /v1/leads/{id}/events) or many (the batch endpoints, the MA adapters): the one path all of them
 * take. A batch of lead upserts is written in one transaction; what follows each (the strategic
 * account check, the journey hearing of changed attributes or consent) runs after it commits.
 */
public final class LeadIntake {
  private final Jdbi jdbi;
  private final JourneyService journeys;
  private final EventIntake events;
  private final StrategicAccounts strategic;
  private final Clock clock;
  /** How far in the future an event's occurred_at may be (events.max_clock_skew). */
  private final Duration maxClockSkew;
  /** The caps on event properties and lead attributes (limits.*). */
  private final PayloadLimits limits;

  /** The earliest occurred_at taken: anything before is a sender's bug (an epoch of 0, a two-digit year). */
  public static final Instant EARLIEST_EVENT = Instant.parse("2000-01-01T00:00:00Z");

  public LeadIntake(Jdbi jdbi, JourneyService journeys, EventIntake events, StrategicAccounts strategic, Clock clock,
      Duration maxClockSkew, PayloadLimits limits) {
    this.limits = limits;
    this.jdbi = jdbi;
    this.journeys = journeys;
    this.events = events;
    this.strategic = strategic;
    this.clock = clock;
    this.maxClockSkew = maxClockSkew;
  }

  /** One lead to upsert: our id and the validated request. */
  public record LeadItem(String id, LeadRequest lead) {}

  /** A stored lead, whether it is new, and what it was before (empty when new). */
  public record Upserted(LeadRecord stored, boolean created, Optional<LeadRecord> before) {}

  public JourneyService journeys() {
    return journeys;
  }

  public EventIntake events() {
    return events;
  }

  /** The leads with these ids that exist, by id: one query. */
  public Map<String, LeadRecord> existing(List<String> ids) {
    return ids.isEmpty() ? Map.of() : jdbi.withHandle(h -> read(h, ids));
  }

  /** The 422 errors of a lead's attributes against the caps (limits.*); empty when it keeps them. */
  public List<FieldError> limitErrors(LeadRequest lead) {
    return limits.check("attributes", lead.attributes());
  }

  /** PUT /v1/leads/{id}: upsert, then the follow-ups. */
  public Upserted upsert(String id, LeadRequest lead) {
    Upserted u = store(List.of(new LeadItem(id, lead))).get(0);
    followUp(u);
    return u;
  }

  /** The same statement as {@link LeadDao#upsert}, run once per batch. */
  private static final String UPSERT = """
      INSERT INTO leads (id, email, timezone, consent, attributes)
      VALUES (:id, :email, nullif(:timezone, ''), nullif(:consent, ''), :attributes)
      ON CONFLICT (id) DO UPDATE SET email = excluded.email, timezone = excluded.timezone,
        consent = excluded.consent, attributes = excluded.attributes, updated_at = now(), erased_at = NULL""";
  /**
   * Writes every lead in one transaction, in order, with three statements whatever the number of
   * leads (read before, one batched upsert, read after); no follow-ups yet. A lead id repeated in
   * the batch: the later wins; its first occurrence carries the change, the later ones none.
   */
  public List<Upserted> store(List<LeadItem> items) {
    if (items.isEmpty()) {
      return List.of();
    }
    for (LeadItem item : items) {
      List<FieldError> errors = limitErrors(item.lead());
      if (!errors.isEmpty()) {
        throw new ProblemException(Problem.UNPROCESSABLE, "the request has invalid fields", errors);
      }
    }
    List<String> ids = items.stream().map(LeadItem::id).distinct().toList();
    return jdbi.inTransaction(h -> {
      Map<String, LeadRecord> before = read(h, ids);
      PreparedBatch batch = h.prepareBatch(UPSERT);
      for (LeadItem item : items) {
        LeadRequest lead = item.lead();
        batch.bind("id", item.id()).bind("email", lead.email().trim()).bind("timezone", orEmpty(lead.timezone()))
            .bind("consent", orEmpty(lead.consent())).bindByType("attributes", lead.allAttributes(), JsonObjectColumn.TYPE).add();
      }
      batch.execute();
      Map<String, LeadRecord> after = read(h, ids);
      Set<String> seen = new HashSet<>();
      List<Upserted> out = new ArrayList<>(items.size());
      for (LeadItem item : items) {
        LeadRecord stored = after.get(item.id());
        boolean first = seen.add(item.id());
        Optional<LeadRecord> prior = first ? Optional.ofNullable(before.get(item.id())) : Optional.of(stored);
        out.add(new Upserted(stored, prior.isEmpty(), prior));
      }
      return out;
    });
  }

  private static Map<String, LeadRecord> read(Handle h, List<String> ids) {
    Map<String, LeadRecord> found = new HashMap<>();
    h.createQuery("SELECT " + LeadDao.COLUMNS + " FROM leads WHERE id = ANY(:ids) AND erased_at IS NULL")
        .bindArray("ids", String.class, ids)
        .registerRowMapper(ConstructorMapper.factory(LeadRecord.class))
        .mapTo(LeadRecord.class)
        .forEach(r -> found.put(r.id(), r));
    return found;
  }

  /**
   * After a lead is stored: the strategic account check, and the running journey told what changed
   * (its conditions read attributes) and of consent the MA system confirmed itself.
   */
  public void followUp(Upserted u) {
    followUp(u, true, IntakeLane.ONE_AT_A_TIME);
  }

  /**
   * {@link #followUp}; with {@code temporalNow} false, its events are left to the outbox (EventIntake);
   * a journey its events start goes in {@code lane} (a batch's: {@link IntakeLane#BULK}).
   */
  public void followUp(Upserted u, boolean temporalNow, IntakeLane lane) {
    LeadRecord stored = u.stored();
    strategic.check(stored);
    if (u.before().isPresent() && !u.before().get().attributes().equals(stored.attributes())) {
      events.accept(stored, new LeadEvent("attributes@" + stored.updatedAt().toEpochMilli(), EventType.ATTRIBUTE_CHANGED,
          stored.updatedAt(), withoutNulls(stored.attributes())), temporalNow, lane);
    }
    if (u.before().isPresent() && "pending".equals(u.before().get().consent()) && "double_opt_in".equals(stored.consent())) {
      // The MA system ran the double opt-in itself: a journey waiting for the confirmation starts its program.
      events.accept(stored, new LeadEvent("consent@" + stored.updatedAt().toEpochMilli(), EventType.CONSENT_CONFIRMED,
          stored.updatedAt(), Map.of("source", "lead update")), temporalNow, lane);
    }
  }

  /** POST /v1/leads/{id}/events: 404 for an unknown lead, 422 for an event the API refuses. */
  public EventAccepted event(String leadId, EventRequest request) {
    LeadRecord lead = journeys.lead(leadId);
    return events.accept(lead, toEvent(request));
  }

  /** An event of a lead already read (the adapters, which have just upserted it). */
  public EventAccepted event(LeadRecord lead, EventRequest request) {
    return events.accept(lead, toEvent(request));
  }

  /** The checks Bean Validation cannot make (they need the clock or the type's meaning); 422 naming the field. */
  public LeadEvent toEvent(EventRequest request) {
    Instant now = clock.instant();
    if (request.occurredAt() != null && request.occurredAt().isAfter(now.plus(maxClockSkew))) {
      // An event from the future is a sender bug (a clock or time-zone error): stored, it would
      // count as engagement that has not happened and sort after everything real.
      throw ProblemException.invalid("occurred_at", "is in the future (more than " + DurationText.format(maxClockSkew)
          + " after the server's clock, " + now.truncatedTo(ChronoUnit.SECONDS) + "); send when the event happened, in UTC");
    }
    if (request.occurredAt() != null && request.occurredAt().isBefore(EARLIEST_EVENT)) {
      throw ProblemException.invalid("occurred_at", "is before " + EARLIEST_EVENT + "; send when the event happened, in UTC");
    }
    List<FieldError> errors = limits.check("properties", request.properties());
    if (!errors.isEmpty()) {
      throw new ProblemException(Problem.UNPROCESSABLE, "the request has invalid fields", errors);
    }
    if (request.type() == EventType.CONSENT_CONFIRMED) {
      throw ProblemException.invalid("type", "consent_confirmed is recorded by Nurture's own confirmation link; a lead "
          + "that confirmed elsewhere is sent with PUT /v1/leads/{id} and consent double_opt_in");
    }
    Map<String, Object> properties = request.properties() == null ? Map.of() : request.properties();
    if (request.type() == EventType.CONVERTED_TO_CUSTOMER) {
      try { // the revenue it carries is attributed to the emails before it (docs/analytics.md)
        com.nurture.api.analytics.ConversionAmount.of(properties);
      } catch (com.nurture.api.analytics.ConversionAmount.RefusedAmount e) {
        throw ProblemException.invalid("properties." + e.refusal().property(), e.refusal().message());
      }
    }
    return new LeadEvent(request.id(), request.type(), request.occurredAt() == null ? now : request.occurredAt(),
        withoutNulls(properties));
  }

  /**
   * A property or attribute sent as null has no value: left out of the event the journey hears
   * (its properties are an immutable map, which holds no null). Found by the fuzz run: an update
   * with {@code "attributes": {"k": null}} answered 500 after storing the lead.
   */
  static Map<String, Object> withoutNulls(Map<String, Object> values) {
    Map<String, Object> kept = new java.util.LinkedHashMap<>();
    values.forEach((k, v) -> {
      if (k != null && v != null) {
        kept.put(k, v);
      }
    });
    return kept;
  }

  static String orEmpty(String s) {
    return s == null ? "" : s.trim();
  }
}
