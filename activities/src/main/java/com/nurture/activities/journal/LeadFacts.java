package com.nurture.activities.journal;

import com.nurture.activities.db.EventRow;
import com.nurture.activities.db.LeadReads;
import com.nurture.activities.db.LeadRecord;
import com.nurture.workflows.condition.ConditionContext;
import com.nurture.workflows.condition.SeenEvent;
import com.nurture.workflows.journey.EventType;
import com.nurture.workflows.journey.LeadEvent;
import com.nurture.workflows.scoring.ScoringModel;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * What conditions may read about a lead outside its journey (audiences at enrolment, triggers):
 * its stored attributes and recent events. Scores come with the scoring model.
 */
public final class LeadFacts {
  private static final int EVENTS = 500;
  private final Jdbi jdbi;

  private final Optional<ScoringModel> scoring;

  public LeadFacts(Jdbi jdbi) {
    this(jdbi, Optional.empty());
  }

  public LeadFacts(Jdbi jdbi, Optional<ScoringModel> scoring) {
    this.jdbi = jdbi;
    this.scoring = scoring;
  }

  /** The lead's attributes as a journey sees them: its fields, plus its time zone. */
  public static Map<String, Object> attributes(LeadRecord lead) {
    Map<String, Object> all = new HashMap<>(lead.attributes());
    if (!lead.timezone().isEmpty()) {
      all.put("timezone", lead.timezone());
    }
    return all;
  }

  /**
   * What conditions read about a lead outside a journey (audiences, track assignment): its
   * attributes, its recent events and, when a scoring model is given, its score as a journey
   * would compute it.
   */
  public ConditionContext of(LeadRecord lead, Instant now) {
    return of(lead, history(lead), now);
  }

  /** The same, over a {@link #history} the caller already read. */
  public ConditionContext of(LeadRecord lead, List<LeadEvent> history, Instant now) {
    Map<String, Object> attributes = attributes(lead);
    List<SeenEvent> events = new ArrayList<>();
    for (LeadEvent e : history) {
      events.add(e.seen(events.size()));
    }
    ConditionContext facts = ConditionContext.of(attributes, name -> 0, events, now);
    if (scoring.isEmpty()) {
      return facts;
    }
    return ConditionContext.of(attributes, scoring.get().scoreOf(facts)::named, events, now);
  }

  /** The lead's most recent events (at most 500), oldest first; types this release does not know are left out. */
  public List<LeadEvent> history(LeadRecord lead) {
    List<LeadEvent> events = new ArrayList<>();
    for (EventRow e : jdbi.withHandle(h -> LeadReads.recentEvents(h, lead.id(), EVENTS))) {
      EventType.fromWire(e.type()).ifPresent(type -> events.add(new LeadEvent(e.id(), type, e.occurredAt(), e.properties())));
    }
    return events;
  }
}
