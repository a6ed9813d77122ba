package com.nurture.api.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.nurture.workflows.journey.JourneySettings;
import com.nurture.workflows.program.DurationText;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMin;

/**
 * Journey-level timings (docs/scoring-and-handoff.md), typed: each is read by {@link DurationText}
 * when the configuration is bound, so a bad value ({@code inactivity: 3 weeks}) refuses to start
 * and names its key ({@code journeys.inactivity}). With {@code sales.sla} they make the
 * {@link JourneySettings} (NurtureConfiguration#journeySettings).
 */
public class JourneysConfig {
  /** A journey waiting for a person after a reply resumes by itself after this long ("0s": never). */
  @NotNull
  @JsonDeserialize(using = DurationTextDeserializer.class)
  @JsonProperty("reply_resume_after")
  public Duration replyResumeAfter = JourneySettings.DEFAULTS.replyResumeAfter();

  /** No engagement for this long recycles a journey ("0s": never). */
  @NotNull
  @JsonDeserialize(using = DurationTextDeserializer.class)
  @JsonProperty
  public Duration inactivity = JourneySettings.DEFAULTS.inactivity();

  /** A recycled lead showing renewed interest re-enters no sooner than this after it was recycled. */
  @NotNull
  @JsonDeserialize(using = DurationTextDeserializer.class)
  @JsonProperty("reentry_cooldown")
  public Duration reentryCooldown = JourneySettings.DEFAULTS.reentryCooldown();

  /** Transient send failures (SMTP down, 4xx) are retried this long before the journey gives up on the send. */
  @NotNull
  @DurationMin(seconds = 1, message = "must be longer than zero")
  @JsonDeserialize(using = DurationTextDeserializer.class)
  @JsonProperty("send_retry_limit")
  public Duration sendRetryLimit = JourneySettings.DEFAULTS.sendRetryLimit();

  /** Double opt-in: a lead enrolled with consent pending has this long to confirm before its journey ends UNCONFIRMED. */
  @NotNull
  @DurationMin(seconds = 1, message = "must be longer than zero")
  @JsonDeserialize(using = DurationTextDeserializer.class)
  @JsonProperty("confirm_within")
  public Duration confirmWithin = JourneySettings.DEFAULTS.confirmWithin();
}
