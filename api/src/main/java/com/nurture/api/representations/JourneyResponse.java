package com.nurture.api.representations;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.nurture.activities.db.HandOffRow;
import com.nurture.activities.db.JourneyRow;
import com.nurture.activities.db.MessageRow;
import com.nurture.workflows.journey.JourneyView;
import com.nurture.workflows.journey.Touch;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * A lead's journey. {@code source} says where it came from: {@code live} (the workflow answered a
 * query; a closed workflow answers too, while Temporal keeps it) or {@code mirror} (PostgreSQL: the
 * journeys row, the send ledger and the timeline, when Temporal could not answer).
 *
 * <p>{@code emails_sent} and {@code last_touches} are never null (0 and [] when nothing was sent);
 * {@code exit_reason} is null only while the journey runs. {@code workflow_status} is Temporal's
 * status of the journey's latest workflow run (RUNNING, COMPLETED, CONTINUED_AS_NEW, FAILED,
 * TERMINATED, TIMED_OUT, CANCELED), NOT_FOUND when Temporal no longer has it (past the namespace's
 * retention) or UNKNOWN when Temporal did not answer. {@code handoff} is the journey's latest
 * hand-off to sales, or null when it has none.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record JourneyResponse(
    String leadId,
    String workflowId,
    String status,
    String program,
    int programVersion,
    String currentStep,
    Instant nextActionAt,
    String exitReason,
    Instant enrolledAt,
    Integer emailsSent,
    List<TouchResponse> lastTouches,
    ScoreResponse score,
    String source,
    String workflowStatus,
    HandOffResponse handoff) {

  /** The workflow run is executing. */
  public static final String RUNNING = "RUNNING";
  /** Temporal did not answer. */
  public static final String UNKNOWN = "UNKNOWN";
  /** Temporal has no such workflow (any more). */
  public static final String NOT_FOUND = "NOT_FOUND";

  /** fit + engagement = total; velocity: engagement points in the last 7 days. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record ScoreResponse(Integer fit, Integer engagement, int total, Integer velocity) {}

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record TouchResponse(String step, String template, String subject, String outcome, String messageId, Instant at) {
    static TouchResponse of(Touch t) {
      return new TouchResponse(t.stepId(), t.template(), t.subject(), t.outcome(), t.messageId(), t.at());
    }

    /** A send ledger row as the workflow reports the touch: the outcome in the workflow's words. */
    public static TouchResponse of(MessageRow m) {
      String outcome = switch (m.status()) {
        case "sending" -> "OUTCOME_UNKNOWN";
        // The lead's own preference held the send back: the workflow was told HELD_OUT (not sent, goes on).
        case "suppressed_by_preference" -> "HELD_OUT";
        default -> m.status().toUpperCase(Locale.ROOT);
      };
      return new TouchResponse(m.stepId(), m.template(), m.subject(), outcome,
          m.status().equals("sent") || m.status().equals("sending") ? m.messageId() : "", m.sentAt().orElse(m.createdAt()));
    }
  }

  /**
   * A hand-off to sales: why, how urgent, who owns the lead (the owner emailed about it, else the
   * lead's owner_email attribute, else the configured default owner; null when none is known),
   * when sales must have followed up, and what sales said (null while open).
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record HandOffResponse(String reason, String priority, int score, String owner, Instant slaDueAt,
      Instant handedOffAt, String outcome, Instant outcomeAt) {
    public static HandOffResponse of(HandOffRow h, String owner) {
      return new HandOffResponse(h.reason(), h.priority(), h.score(), owner, h.slaDueAt(), h.createdAt(),
          h.outcome().orElse(null), h.outcomeAt().orElse(null));
    }
  }

  public static JourneyResponse live(JourneyRow row, JourneyView v) {
    return new JourneyResponse(v.leadId(), row.workflowId(), v.status().name(), v.programId(), v.programVersion(),
        v.currentStep(), v.nextActionAt().orElse(null), v.exitReason().orElse(null), v.enrolledAt(), v.emailsSent(),
        v.lastTouches().stream().map(TouchResponse::of).toList(),
        new ScoreResponse(v.score().fit(), v.score().engagement(), v.score().total(), v.score().velocity()), "live",
        RUNNING, null);
  }

  /**
   * The journey as PostgreSQL knows it: the mirror row, with what the send ledger and the timeline
   * add (a journey that has just started: nothing sent yet).
   */
  public static JourneyResponse mirror(JourneyRow row, String exitReason, int emailsSent, List<TouchResponse> lastTouches) {
    return new JourneyResponse(row.leadId(), row.workflowId(), row.status(), row.programId(), row.programVersion(),
        row.currentStep(), row.nextActionAt().orElse(null), exitReason, row.enrolledAt(), emailsSent,
        List.copyOf(lastTouches), new ScoreResponse(null, null, row.score(), null), "mirror", UNKNOWN, null);
  }

  /** This answer with Temporal's status of the workflow and the journey's latest hand-off. */
  public JourneyResponse with(String workflowStatus, HandOffResponse handoff) {
    return new JourneyResponse(leadId, workflowId, status, program, programVersion, currentStep, nextActionAt, exitReason,
        enrolledAt, emailsSent, lastTouches, score, source, workflowStatus, handoff);
  }

  /** This answer with {@code reason} as its exit reason when it has none. */
  public JourneyResponse orExitReason(String reason) {
    return exitReason != null ? this : new JourneyResponse(leadId, workflowId, status, program, programVersion,
        currentStep, nextActionAt, reason, enrolledAt, emailsSent, lastTouches, score, source, workflowStatus, handoff);
  }
}
