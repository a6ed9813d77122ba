package com.nurture.workflows.journey;

import static com.nurture.workflows.journey.Journey.detail;

import com.nurture.workflows.activities.OperatorAlert;
import com.nurture.workflows.condition.SeenEvent;

/**
 * What one event does to the journey: seen (for conditions and wait_for), scored, and by its
 * kind: an unsubscribe, hard bounce or complaint ends the journey and suppresses the address; a
 * disqualification ends it; a reply holds it for a person; competitor interest alerts a person.
 */
final class EventReactions {
  private EventReactions() {}

  static void react(Journey j, LeadEvent e) {
    JourneyState s = j.s;
    if (s.status.isTerminal()) {
      return;
    }
    SeenEvent seen = s.see(e, JourneyState.CORE_EVENTS_KEPT);
    if (JourneyRules.isEngagement(e.type())) {
      s.lastEngagementAt = j.now;
    }
    if (e.type() == EventType.ATTRIBUTE_CHANGED) {
      s.attributes.putAll(e.properties());
      if (s.scoring != null) {
        s.fitPoints = s.scoring.fit(j.conditionContext());
      }
    }
    Graduation.scoreAndGraduate(j, e, seen);
    if (s.status == JourneyStatus.AWAITING_CONFIRMATION && Consent.react(j, e)) {
      return;
    }
    switch (JourneyRules.reactionTo(e)) {
      case END_UNSUBSCRIBED -> {
        s.end(JourneyStatus.UNSUBSCRIBED, "unsubscribed");
        j.emit(new Effect.Suppress("unsubscribed (event " + e.id() + ")"));
        j.note("unsubscribed", detail("event_id", e.id()));
      }
      case END_SUPPRESSED -> {
        String reason = e.type() == EventType.COMPLAINED ? "spam complaint" : "hard bounce";
        s.end(JourneyStatus.UNSUBSCRIBED, reason + "; the address is suppressed");
        j.emit(new Effect.Suppress(reason + " (event " + e.id() + ")"));
        j.note("suppressed", detail("event_id", e.id(), "reason", reason));
      }
      case END_DISQUALIFIED -> {
        String reason = String.valueOf(e.properties().getOrDefault("reason", "disqualified"));
        s.end(JourneyStatus.DISQUALIFIED, reason);
        j.note("disqualified", detail("event_id", e.id(), "reason", reason));
      }
      case HOLD_FOR_HUMAN -> holdForHuman(j, e);
      case RECORD -> {
        if (e.type() == EventType.PAGE_VISITED
            && "comparison".equalsIgnoreCase(String.valueOf(e.properties().getOrDefault("page", "")))) {
          j.emit(new Effect.CreateTask(new OperatorAlert(j.leadId, "competitor_interest",
              "The lead is reading competitor comparisons: time-sensitive, reach out now.",
              detail("event_id", e.id(), "properties", e.properties()), "competitor/" + e.id())));
        }
      }
    }
  }

  private static String abbreviate(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max) + "...";
  }

  /** A reply: nothing more is sent until a person answers (or reply_resume_after passes). */
  private static void holdForHuman(Journey j, LeadEvent e) {
    JourneyState s = j.s;
    Object channel = e.properties().getOrDefault("channel", "email");
    s.hold(JourneyStatus.WAITING_FOR_HUMAN, j.now);
    s.heldForHumanAt = j.now;
    j.note("waiting_for_human", detail("event_id", e.id(), "channel", channel));
    if (!"email".equalsIgnoreCase(String.valueOf(channel))) {
      j.emit(new Effect.CreateTask(new OperatorAlert(j.leadId, "non_standard_channel",
          "The lead wrote through " + channel + ", not by replying to an email: answer them there.",
          detail("event_id", e.id(), "channel", channel), "channel/" + e.id())));
    }
    // A reply that arrived by email carries its text (quoted history stripped): the person who
    // answers should not have to go looking for it.
    Object text = e.properties().get("text");
    String quoted = text == null || String.valueOf(text).isBlank() ? ""
        : ": \"" + abbreviate(String.valueOf(text).strip(), 500) + "\"";
    j.emit(new Effect.CreateTask(new OperatorAlert(j.leadId, "reply",
        "The lead replied (" + channel + ")" + quoted + ". Sending is paused until someone resumes the journey.",
        detail("event_id", e.id(), "channel", channel, "text", text), "reply/" + e.id())));
  }
}
