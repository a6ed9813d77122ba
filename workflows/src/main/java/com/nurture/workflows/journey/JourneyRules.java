package com.nurture.workflows.journey;

import com.nurture.workflows.program.Program;
import java.util.Optional;

/** The journey-level rules that do not depend on the program: what events and commands do. */
public final class JourneyRules {
  private JourneyRules() {}

  /** What an event does to the journey, beyond being on the lead's timeline. */
  public enum Reaction {
    /** Stop at once, suppress the address, never send again. */
    END_UNSUBSCRIBED,
    /** A hard bounce or a spam complaint: suppress the address and end (UNSUBSCRIBED: no more mail). */
    END_SUPPRESSED,
    /** Disqualifying information (wrong size, competitor, student...): DISQUALIFIED for good. */
    END_DISQUALIFIED,
    /** Stop sending until a human resumes the journey. */
    HOLD_FOR_HUMAN,
    /** No journey-level reaction: scored, seen by conditions and wait_for, on the timeline. */
    RECORD
  }

  public static Reaction reactionTo(EventType type) {
    return reactionTo(new LeadEvent("", type, java.time.Instant.EPOCH, java.util.Map.of()));
  }

  public static Reaction reactionTo(LeadEvent e) {
    return switch (e.type()) {
      case UNSUBSCRIBED -> Reaction.END_UNSUBSCRIBED;
      case COMPLAINED -> Reaction.END_SUPPRESSED;
      case BOUNCED -> isHardBounce(e) ? Reaction.END_SUPPRESSED : Reaction.RECORD;
      case DISQUALIFIED -> Reaction.END_DISQUALIFIED;
      case REPLIED -> Reaction.HOLD_FOR_HUMAN;
      default -> Reaction.RECORD;
    };
  }

  /**
   * Whether an event counts as engagement for the inactivity rule: a click, visit, download,
   * reply, form, webinar or demo request. Opens alone do not (privacy proxies open mail by themselves).
   */
  public static boolean isEngagement(EventType type) {
    return switch (type) {
      case EMAIL_CLICKED, PAGE_VISITED, CONTENT_DOWNLOADED, REPLIED, FORM_SUBMITTED, WEBINAR_ATTENDED,
          WEBINAR_REGISTERED, DEMO_REQUESTED -> true;
      default -> false;
    };
  }

  /** A bounce is hard when its {@code hard} property is true (or its type says permanent). */
  public static boolean isHardBounce(LeadEvent e) {
    Object hard = e.properties().get("hard");
    Object kind = e.properties().get("bounce_type");
    return "true".equalsIgnoreCase(String.valueOf(hard)) || "hard".equalsIgnoreCase(String.valueOf(kind))
        || "permanent".equalsIgnoreCase(String.valueOf(kind));
  }

  /**
   * Why a journey cannot move to {@code to} now, or empty when it can: only a running journey,
   * only to another version of the program it runs, and only when the step it is on exists there.
   */
  public static Optional<String> migrationRejection(JourneyStatus status, Program running, int stepIndex, Program to) {
    if (status.isTerminal()) {
      return Optional.of("the journey has ended (" + status + ")");
    }
    if (!to.id().equals(running.id())) {
      return Optional.of("the journey runs " + running.ref() + ", not a version of " + to.id());
    }
    if (to.version() == running.version()) {
      return Optional.of("the journey already runs " + running.ref());
    }
    if (stepIndex >= running.steps().size()) {
      return Optional.of("the journey has finished its steps");
    }
    String step = running.steps().get(stepIndex).id();
    if (to.indexOf(step) < 0) {
      return Optional.of("its current step '" + step + "' does not exist in " + to.ref());
    }
    return Optional.empty();
  }

  /** Why sales feedback cannot apply now, or empty when it can. */
  public static Optional<String> feedbackRejection(JourneyStatus status, SalesFeedback f, java.time.Instant now) {
    if (f == null || f.outcome() == null) {
      return Optional.of("feedback needs an outcome: accepted, rejected or not_now");
    }
    if (status != JourneyStatus.HANDED_OFF) {
      return Optional.of("the lead is not handed to sales; its journey is " + status);
    }
    if (f.outcome() == SalesFeedback.Outcome.NOT_NOW && (f.until().isEmpty() || !f.until().get().isAfter(now))) {
      return Optional.of("not_now needs an until in the future");
    }
    return Optional.empty();
  }

  /**
   * Why a command cannot apply in the given status, or empty when it can. The workflow's update
   * validator rejects with this text, which reaches the API caller as a 409.
   */
  public static Optional<String> rejection(JourneyStatus status, JourneyCommand.Kind kind) {
    if (status.isTerminal()) {
      return Optional.of("the journey has ended (" + status + ")");
    }
    return switch (kind) {
      case PAUSE -> status == JourneyStatus.ACTIVE
          ? Optional.empty()
          : Optional.of("only an ACTIVE journey can be paused; this one is " + status);
      case RESUME -> status == JourneyStatus.PAUSED || status == JourneyStatus.WAITING_FOR_HUMAN
          || status == JourneyStatus.HANDED_OFF
          ? Optional.empty()
          : Optional.of("only a PAUSED, WAITING_FOR_HUMAN or HANDED_OFF journey can be resumed; this one is " + status);
      case EXIT -> Optional.empty();
    };
  }
}
