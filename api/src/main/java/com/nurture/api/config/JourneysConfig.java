package com.nurture.api.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.nurture.workflows.program.DurationText;
import java.time.Duration;

/** Journey-level timings (docs/scoring-and-handoff.md). */
public class JourneysConfig {
  /** A journey waiting for a person after a reply resumes by itself after this long ("0s": never). */
  @JsonProperty("reply_resume_after")
  public String replyResumeAfter = "5d";

  /** No engagement for this long recycles a journey ("0s": never). */
  @JsonProperty
  public String inactivity = "180d";

  /** A recycled lead showing renewed interest re-enters no sooner than this after it was recycled. */
  @JsonProperty("reentry_cooldown")
  public String reentryCooldown = "30d";

  /** Transient send failures (SMTP down, 4xx) are retried this long before the journey gives up on the send. */
  @JsonProperty("send_retry_limit")
  public String sendRetryLimit = "24h";

  public Duration sendRetry() {
    return DurationText.parse(sendRetryLimit);
  }

  public Duration replyResume() {
    return DurationText.parse(replyResumeAfter);
  }

  public Duration inactivityLimit() {
    return DurationText.parse(inactivity);
  }

  public Duration cooldown() {
    return DurationText.parse(reentryCooldown);
  }
}
