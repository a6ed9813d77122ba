package com.nurture.api.representations;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.nurture.activities.db.JourneyRow;
import com.nurture.workflows.journey.JourneyView;
import com.nurture.workflows.journey.Touch;
import java.time.Instant;
import java.util.List;

/**
 * A lead's journey. {@code source} says where it came from: {@code live} (the workflow answered a
 * query) or {@code mirror} (the PostgreSQL row, for ended journeys or when Temporal is unreachable).
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
    String source) {

  /** fit + engagement = total; velocity: engagement points in the last 7 days. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record ScoreResponse(Integer fit, Integer engagement, int total, Integer velocity) {}

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record TouchResponse(String step, String template, String subject, String outcome, String messageId, Instant at) {
    static TouchResponse of(Touch t) {
      return new TouchResponse(t.stepId(), t.template(), t.subject(), t.outcome(), t.messageId(), t.at());
    }
  }

  public static JourneyResponse live(JourneyRow row, JourneyView v) {
    return new JourneyResponse(v.leadId(), row.workflowId(), v.status().name(), v.programId(), v.programVersion(),
        v.currentStep(), v.nextActionAt().orElse(null), v.exitReason().orElse(null), v.enrolledAt(), v.emailsSent(),
        v.lastTouches().stream().map(TouchResponse::of).toList(),
        new ScoreResponse(v.score().fit(), v.score().engagement(), v.score().total(), v.score().velocity()), "live");
  }

  public static JourneyResponse mirror(JourneyRow row) {
    return new JourneyResponse(row.leadId(), row.workflowId(), row.status(), row.programId(), row.programVersion(),
        row.currentStep(), row.nextActionAt().orElse(null), null, row.enrolledAt(), null, null,
        new ScoreResponse(null, null, row.score(), null), "mirror");
  }
}
