package com.nurture.workflows.journey;

import static org.assertj.core.api.Assertions.assertThat;

import com.nurture.workflows.journey.JourneyCommand.Kind;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class JourneyStateTest {
  private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");

  @Test
  void aHeldWaitKeepsItsRemainingTimeAndResumesWithIt() {
    JourneyState s = JourneyState.fresh();
    s.waitUntil = T0.plus(Duration.ofDays(3));
    s.hold(JourneyStatus.WAITING_FOR_HUMAN, T0.plus(Duration.ofDays(1)));
    assertThat(s.status()).isEqualTo(JourneyStatus.WAITING_FOR_HUMAN);
    assertThat(s.waitUntil).isNull();
    assertThat(s.heldRemaining).isEqualTo(Duration.ofDays(2));

    Instant resumedAt = T0.plus(Duration.ofDays(10));
    s.release(resumedAt);
    assertThat(s.status()).isEqualTo(JourneyStatus.ACTIVE);
    assertThat(s.waitUntil).isEqualTo(resumedAt.plus(Duration.ofDays(2)));
  }

  @Test
  void holdingOutsideAWaitLeavesNothingToResume() {
    JourneyState s = JourneyState.fresh();
    s.hold(JourneyStatus.PAUSED, T0);
    s.release(T0.plusSeconds(60));
    assertThat(s.waitUntil).isNull();
    assertThat(s.status()).isEqualTo(JourneyStatus.ACTIVE);
  }

  @Test
  void eventIdsAreSeenOnce() {
    JourneyState s = JourneyState.fresh();
    assertThat(s.markSeen("e1")).isTrue();
    assertThat(s.markSeen("e1")).isFalse();
    assertThat(s.markSeen("e2")).isTrue();
  }

  @Test
  void keepsOnlyTheLastTouches() {
    JourneyState s = JourneyState.fresh();
    for (int i = 0; i < JourneyState.TOUCHES_KEPT + 3; i++) {
      s.addTouch(new Touch("s" + i, "t", "subj", "SENT", "m" + i, T0));
    }
    assertThat(s.touches).hasSize(JourneyState.TOUCHES_KEPT);
    assertThat(s.touches.get(0).stepId()).isEqualTo("s3");
  }

  @Test
  void commandsAreValidatedAgainstTheStatus() {
    assertThat(JourneyRules.rejection(JourneyStatus.ACTIVE, Kind.PAUSE)).isEmpty();
    assertThat(JourneyRules.rejection(JourneyStatus.PAUSED, Kind.PAUSE)).isPresent();
    assertThat(JourneyRules.rejection(JourneyStatus.ACTIVE, Kind.RESUME)).hasValueSatisfying(
        r -> assertThat(r).contains("this one is ACTIVE"));
    assertThat(JourneyRules.rejection(JourneyStatus.WAITING_FOR_HUMAN, Kind.RESUME)).isEmpty();
    assertThat(JourneyRules.rejection(JourneyStatus.UNSUBSCRIBED, Kind.EXIT)).hasValueSatisfying(
        r -> assertThat(r).contains("ended"));
    assertThat(JourneyRules.reactionTo(EventType.UNSUBSCRIBED)).isEqualTo(JourneyRules.Reaction.END_UNSUBSCRIBED);
    assertThat(JourneyRules.reactionTo(EventType.REPLIED)).isEqualTo(JourneyRules.Reaction.HOLD_FOR_HUMAN);
    assertThat(JourneyRules.reactionTo(EventType.PAGE_VISITED)).isEqualTo(JourneyRules.Reaction.RECORD);
  }

  @Test
  void settingsApplyInOneCallWithoutChangingTheStatesJsonShape() throws Exception {
    JourneyState defaults = JourneyState.fresh();
    assertThat(defaults.replyResumeAfter).isEqualTo(JourneySettings.DEFAULTS.replyResumeAfter());
    assertThat(defaults.inactivityLimit).isEqualTo(JourneySettings.DEFAULTS.inactivity());
    assertThat(defaults.handOffSla).isEqualTo(JourneySettings.DEFAULTS.handOffSla());
    assertThat(defaults.sendRetryLimit).isEqualTo(JourneySettings.DEFAULTS.sendRetryLimit());
    assertThat(defaults.historyLimit).as("core runs continue as new every 1,000 history events").isEqualTo(1_000);

    JourneyState s = JourneyState.fresh().withSettings(new JourneySettings(Duration.ofDays(2), Duration.ZERO,
        Duration.ofDays(10), Duration.ofHours(8), Duration.ofHours(3), 25, Duration.ofDays(7)));
    assertThat(s.replyResumeAfter).isEqualTo(Duration.ofDays(2));
    assertThat(s.inactivityLimit).isZero();
    assertThat(s.handOffSla).isEqualTo(Duration.ofHours(8));
    assertThat(s.sendRetryLimit).isEqualTo(Duration.ofHours(3));
    assertThat(s.historyLimit).isEqualTo(25);

    // The state travels as JSON in recorded histories: the settings live in its own fields, as before.
    var json = io.temporal.common.converter.JacksonJsonPayloadConverter.newDefaultObjectMapper().valueToTree(s);
    assertThat(json.has("replyResumeAfter") && json.has("inactivityLimit") && json.has("handOffSla")
        && json.has("sendRetryLimit") && json.has("historyLimit")).isTrue();
    assertThat(json.has("settings")).isFalse();
  }

  @Test
  void settingsOutOfRangeAreRefused() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> JourneySettings.DEFAULTS.withSendRetryLimit(Duration.ZERO))
        .hasMessageContaining("sendRetryLimit must be longer than zero");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> JourneySettings.DEFAULTS.withInactivity(Duration.ofDays(-1)))
        .hasMessageContaining("inactivity must not be negative");
  }
}
