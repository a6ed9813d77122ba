package com.nurture.api.core;

import com.nurture.activities.catalog.ProgramCatalog;
import com.nurture.activities.db.LeadRecord;
import com.nurture.activities.db.TimelineDao;
import com.nurture.workflows.journey.IntakeLane;
import com.nurture.workflows.journey.LeadEvent;
import com.nurture.workflows.program.Program;
import com.nurture.workflows.program.Trigger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts (or offers) the programs whose trigger an event matches, for leads in their audience.
 * Every decision is on the lead's timeline.
 */
public final class TriggerRouter {
  private static final Logger log = LoggerFactory.getLogger(TriggerRouter.class);
  private static final String OUTSIDE_AUDIENCE = "not started: the lead is outside the program's audience";
  private final ProgramCatalog catalog;
  private final JourneyService journeys;
  private final Jdbi jdbi;

  public TriggerRouter(ProgramCatalog catalog, JourneyService journeys, Jdbi jdbi) {
    this.catalog = catalog;
    this.journeys = journeys;
    this.jdbi = jdbi;
  }

  /** The published programs whose trigger this event matches (the catalog's answer; no decision). */
  public List<Program> matching(LeadEvent event) {
    return catalog.withTriggers().stream().filter(p -> {
      Trigger trigger = p.trigger().orElseThrow();
      return trigger.firesOn(event.type()) && event.seen(0).matches(trigger.where());
    }).toList();
  }

  /**
   * For a lead with no running journey (a running one decides for itself, see EventDelivery):
   * starts the programs the event triggers, when the lead is in their audience and may re-enter.
   *
   * @return true when a program's trigger claimed the event (started, offered, or refused by the
   *     re-entry rules); false when none matched or only audiences refused it
   */
  public boolean route(LeadRecord lead, LeadEvent event, List<Program> matching, IntakeLane lane) {
    boolean claimed = false;
    for (Program program : matching) {
      String outcome = journeys.inAudience(lead, program) ? journeys.triggered(lead, program, event, lane)
          : OUTSIDE_AUDIENCE;
      claimed |= !outcome.equals(OUTSIDE_AUDIENCE);
      Map<String, Object> detail = new LinkedHashMap<>();
      detail.put("program", program.ref());
      detail.put("event_id", event.id());
      detail.put("outcome", outcome);
      jdbi.onDemand(TimelineDao.class).append(lead.id(), event.occurredAt(), "triggered", detail,
          "triggered/" + lead.id() + "/" + event.id() + "/" + program.id());
      log.info("event {} of lead {} triggers {}: {}", event.id(), lead.id(), program.ref(), outcome);
    }
    return claimed;
  }
}
