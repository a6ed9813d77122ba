package com.nurture.activities.journal;

import com.nurture.activities.db.EventDao;
import com.nurture.activities.db.EventRow;
import com.nurture.activities.db.LeadRecord;
import com.nurture.workflows.condition.ConditionContext;
import com.nurture.workflows.condition.SeenEvent;
import com.nurture.workflows.journey.EventType;
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

  public LeadFacts(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /** The lead's attributes as a journey sees them: its fields, plus its time zone. */
  public static Map<String, Object> attributes(LeadRecord lead) {
    Map<String, Object> all = new HashMap<>(lead.attributes());
    if (!lead.timezone().isEmpty()) {
      all.put("timezone", lead.timezone());
    }
    return all;
  }

  public ConditionContext of(LeadRecord lead, Instant now) {
    Map<String, Object> attributes = attributes(lead);
    List<SeenEvent> events = new ArrayList<>();
    long seq = 0;
    for (EventRow e : jdbi.onDemand(EventDao.class).recent(lead.id(), EVENTS)) {
      Optional<EventType> type = EventType.fromWire(e.type());
      if (type.isPresent()) {
        Map<String, String> props = new HashMap<>();
        e.properties().forEach((k, v) -> props.put(k, String.valueOf(v)));
        events.add(new SeenEvent(seq++, type.get(), e.occurredAt(), props));
      }
    }
    return ConditionContext.of(attributes, name -> 0, events, now);
  }
}
