package com.nurture.workflows.journey;

import static com.nurture.workflows.journey.Journey.detail;

import com.nurture.workflows.activities.ConfirmationRequest;
import com.nurture.workflows.activities.OperatorAlert;
import com.nurture.workflows.program.DurationText;

/**
 * Double opt-in (DOMAIN.md, consent): a lead enrolled with consent {@code pending} is first sent a
 * confirmation email, and the journey waits in AWAITING_CONFIRMATION. The lead following the link
 * ({@code consent_confirmed}) starts the program; no confirmation within the window ends the journey
 * as UNCONFIRMED. While it waits nothing else is sent and nothing moves it forward: an unsubscribe,
 * a hard bounce, a complaint or a disqualification still end it; a reply alerts a person but leaves
 * it waiting for the confirmation.
 */
final class Consent {
  private Consent() {}

  static void requestConfirmation(Journey j) {
    JourneyState s = j.s;
    s.status = JourneyStatus.AWAITING_CONFIRMATION;
    s.confirmBy = j.now.plus(s.confirmWithin);
    j.note("confirmation_requested", detail("confirm_by", s.confirmBy.toString(),
        "within", DurationText.format(s.confirmWithin)));
    j.emit(new Effect.RequestConfirmation(new ConfirmationRequest(j.leadId, s.journeyKey, s.confirmBy)));
  }

  /** @return true when the event was handled here (the usual reactions must not run) */
  static boolean react(Journey j, LeadEvent e) {
    JourneyState s = j.s;
    if (e.type() == EventType.CONSENT_CONFIRMED) {
      s.status = JourneyStatus.ACTIVE;
      s.confirmBy = null;
      j.note("confirmed", detail("event_id", e.id()));
      Graduation.fastTrack(j);
      return true;
    }
    if (JourneyRules.reactionTo(e) == JourneyRules.Reaction.HOLD_FOR_HUMAN) {
      // Holding for a person and resuming would start sending to a lead that never confirmed.
      j.emit(new Effect.CreateTask(new OperatorAlert(j.leadId, "reply",
          "The lead wrote before confirming its subscription; nothing is sent until it confirms.",
          detail("event_id", e.id(), "text", e.properties().get("text")), "reply/" + e.id())));
      return true;
    }
    return false;
  }

  static void expire(Journey j) {
    JourneyState s = j.s;
    s.end(JourneyStatus.UNCONFIRMED, "the lead did not confirm its subscription within "
        + DurationText.format(s.confirmWithin));
    s.confirmBy = null;
    j.note("unconfirmed", detail("reason", s.exitReason));
  }
}
