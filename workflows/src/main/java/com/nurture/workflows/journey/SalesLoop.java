package com.nurture.workflows.journey;

import static com.nurture.workflows.journey.Journey.detail;

import com.nurture.workflows.activities.HandOff;
import com.nurture.workflows.activities.OperatorAlert;
import com.nurture.workflows.program.DurationText;
import com.nurture.workflows.program.Program;
import com.nurture.workflows.scoring.Score;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The closed loop with sales: the hand-off (recorded, sales and owner notified), escalations when
 * sales does not follow up within the SLA (at 1x and 2x), and sales' answer: accepted (graduated),
 * rejected (back to nurture), or not now (paused until a date, then re-engagement).
 */
final class SalesLoop {
  /** The program a lead sales said "not now" to enters when that time has come. */
  static final String RE_ENGAGEMENT = "dormant-re-engagement";

  private SalesLoop() {}

  /** Hands the lead to sales: recorded with its reasons, score and the events behind it; nurture holds. */
  static void handOff(Journey j, List<String> reasons, String priority, String key) {
    JourneyState s = j.s;
    Score now = j.score();
    List<Map<String, Object>> events = s.scored.stream()
        .map(x -> detail("event_id", x.eventId(), "type", x.type().wireName(), "points", x.points(), "at", x.at().toString()))
        .toList();
    s.hold(JourneyStatus.HANDED_OFF, j.now);
    Map<String, Object> d = detail("reason", String.join("; ", reasons), "priority", priority,
        "score", s.scoring == null ? null : now.total(), "events", s.scoring == null ? null : events);
    j.note("handed_off", d);
    j.emit(new Effect.RaiseAlert(new OperatorAlert(j.leadId, "handoff", "Hand to sales (" + priority + " priority): "
        + String.join("; ", reasons), d, "handoff/" + s.journeyKey + "/" + key)));
    s.handOff = new HandOff(s.journeyKey + "/" + key, j.leadId, String.join("; ", reasons), now.total(), priority,
        s.scoring == null ? List.of() : events, j.now.plus(s.handOffSla), j.now);
    s.slaAlerts = 0;
    j.emit(new Effect.HandOffToSales(s.handOff));
  }

  /** The next SLA escalation of an open hand-off, while handed off. */
  static Optional<Instant> nextEscalation(JourneyState s) {
    if (s.status == JourneyStatus.HANDED_OFF && s.handOff != null && s.slaAlerts < 2) {
      return Optional.of(s.handOff.at().plus(s.handOffSla.multipliedBy(s.slaAlerts + 1L)));
    }
    return Optional.empty();
  }

  static void escalate(Journey j) {
    JourneyState s = j.s;
    s.slaAlerts++;
    String message = s.slaAlerts == 1
        ? "No feedback from sales within the " + DurationText.format(s.handOffSla) + " SLA: follow up this lead"
        : "Still no feedback from sales, twice the SLA after the hand-off: escalate";
    j.note("sla_breached", detail("level", s.slaAlerts, "handoff", s.handOff.key()));
    j.emit(new Effect.RaiseAlert(new OperatorAlert(j.leadId, "sla_breach", message,
        detail("level", s.slaAlerts, "priority", s.handOff.priority(), "handoff", s.handOff.key()),
        "sla/" + s.handOff.key() + "/" + s.slaAlerts)));
  }

  /** Sales' answer (validated by JourneyRules.feedbackRejection). */
  static void feedback(Journey j, SalesFeedback f) {
    JourneyState s = j.s;
    Map<String, Object> d = detail("outcome", f.outcome().name().toLowerCase(), "note", f.note(), "actor", f.actor(),
        "until", f.until().map(Instant::toString).orElse(null));
    switch (f.outcome()) {
      case ACCEPTED -> {
        s.end(JourneyStatus.GRADUATED, "accepted by sales");
        j.note("sales_accepted", d);
      }
      case REJECTED -> {
        s.release(j.now);
        j.note("sales_rejected", d);
        j.rejected = true;
      }
      case NOT_NOW -> {
        s.status = JourneyStatus.PAUSED;
        s.notNowUntil = f.until().orElseThrow();
        j.note("sales_not_now", d);
      }
    }
    if (s.handOff != null) {
      j.emit(new Effect.RecordSalesOutcome(s.handOff.key(), f.outcome().name().toLowerCase()));
      s.handOff = null;
    }
  }

  /** "Not now" has passed: the re-engagement program starts (when it is published). */
  static void notNowOver(Journey j) {
    j.s.notNowUntil = null;
    j.load(RE_ENGAGEMENT, (k, next) -> {
      k.note("not_now_over", detail("program", next.map(Program::ref).orElse("(missing: " + RE_ENGAGEMENT + ")")));
      if (next.isPresent()) {
        k.switchTo(next.get());
        k.s.heldRemaining = null;
      }
      k.s.status = JourneyStatus.ACTIVE;
    });
  }
}
