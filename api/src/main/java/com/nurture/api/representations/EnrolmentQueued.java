package com.nurture.api.representations;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Instant;
import java.util.Optional;

/**
 * 202 answer to an enrolment Temporal could not take (away, or later than {@code
 * temporal.call_timeout}): it is stored in the outbox and the journey starts as soon as Temporal
 * answers, before any event of the lead accepted after it. Nothing to do for the client; a repeat is
 * answered the same until the journey has started (then 200 with the journey). {@code program} is
 * absent when none was named (the track of the lead's quadrant is chosen when it starts); {@code
 * status} is always {@code QUEUED}.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_ABSENT)
public record EnrolmentQueued(String leadId, Optional<String> program, String status, Instant queuedAt, String detail) {
  public static EnrolmentQueued of(String leadId, Optional<String> program, Instant queuedAt) {
    return new EnrolmentQueued(leadId, program, "QUEUED", queuedAt, "the workflow service did not answer in time; "
        + "the enrolment is stored and the journey starts as soon as it answers");
  }
}
