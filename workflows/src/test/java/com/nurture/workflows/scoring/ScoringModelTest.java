package com.nurture.workflows.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import com.nurture.workflows.condition.ConditionContext;
import com.nurture.workflows.condition.SeenEvent;
import com.nurture.workflows.journey.EventType;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The shipped scoring model: the golden walk-through, caps, decay and velocity windows. */
class ScoringModelTest {
  private static final Instant T0 = Instant.parse("2026-04-01T09:00:00Z");
  private final ScoringModel model = load();
  private final List<ScoredEvent> scored = new ArrayList<>();
  private long seq;

  static ScoringModel load() {
    try (InputStream in = ScoringModelTest.class.getClassLoader().getResourceAsStream("nurture/scoring.yaml")) {
      return ScoringModelParser.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static ConditionContext attributes(Map<String, Object> attributes) {
    return ConditionContext.of(attributes, name -> 0, List.of(), T0);
  }

  private double add(EventType type, Instant at, Map<String, String> props) {
    SeenEvent e = new SeenEvent(seq++, type, at, props);
    double points = model.pointsFor(e, scored);
    scored.add(new ScoredEvent("e" + seq, type, at, points));
    return points;
  }

  @Test
  void theGoldenWalkThrough() {
    int fit = model.fit(attributes(Map.of("employees", 250, "role", "VP", "industry", "Manufacturing")));
    assertThat(fit).isEqualTo(40);
    assertThat(model.score(fit, scored, T0).total()).isEqualTo(40);

    add(EventType.CONTENT_DOWNLOADED, T0.plus(Duration.ofDays(1)), Map.of("asset_type", "case_study"));
    add(EventType.CONTENT_DOWNLOADED, T0.plus(Duration.ofDays(9)), Map.of("asset_type", "case_study"));
    assertThat(model.score(fit, scored, T0.plus(Duration.ofDays(9))).total()).isEqualTo(52);
    add(EventType.WEBINAR_ATTENDED, T0.plus(Duration.ofDays(17)), Map.of());
    Score afterWebinar = model.score(fit, scored, T0.plus(Duration.ofDays(17)));
    assertThat(afterWebinar.total()).isEqualTo(68);
    assertThat(afterWebinar.velocity()).as("below the velocity rule, so no hand-off yet").isEqualTo(16);
    SeenEvent pricing = new SeenEvent(seq, EventType.PAGE_VISITED, T0.plus(Duration.ofDays(20)), Map.of("page", "pricing"));
    add(EventType.PAGE_VISITED, pricing.at(), pricing.properties());
    Score afterPricing = model.score(fit, scored, T0.plus(Duration.ofDays(20)));
    assertThat(afterPricing.total()).isEqualTo(83);
    assertThat(afterPricing.total()).isGreaterThanOrEqualTo(model.mqlThreshold());
    assertThat(model.highIntent(pricing)).isPresent();
  }

  @Test
  void opensCountLittleAndAreCappedPerDay() {
    for (int i = 0; i < 5; i++) {
      add(EventType.EMAIL_OPENED, T0.plusSeconds(60L * i), Map.of());
    }
    add(EventType.EMAIL_OPENED, T0.plus(Duration.ofDays(1)), Map.of());
    assertThat(model.score(0, scored, T0.plus(Duration.ofDays(1))).engagement()).isEqualTo(3);
  }

  @Test
  void engagementDecaysAfterThirtyDaysByHalfEveryNinety() {
    add(EventType.WEBINAR_ATTENDED, T0, Map.of());
    assertThat(model.score(0, scored, T0.plus(Duration.ofDays(30))).engagement()).isEqualTo(16);
    assertThat(model.score(0, scored, T0.plus(Duration.ofDays(120))).engagement()).isEqualTo(8);
    assertThat(model.score(0, scored, T0.plus(Duration.ofDays(210))).engagement()).isEqualTo(4);
  }

  @Test
  void velocityCountsOnlyTheWindow() {
    add(EventType.WEBINAR_ATTENDED, T0, Map.of());
    add(EventType.FORM_SUBMITTED, T0.plus(Duration.ofDays(6)), Map.of("form", "newsletter"));
    assertThat(model.score(0, scored, T0.plus(Duration.ofDays(6))).velocity()).isEqualTo(26);
    assertThat(model.score(0, scored, T0.plus(Duration.ofDays(8))).velocity()).isEqualTo(10);
  }

  @Test
  void subTypesWithoutTheirOwnValueGetTheDefault() {
    assertThat(add(EventType.PAGE_VISITED, T0, Map.of("page", "blog"))).isEqualTo(1);
    assertThat(add(EventType.CONTENT_DOWNLOADED, T0, Map.of("asset_type", "ebook"))).isEqualTo(3);
    assertThat(add(EventType.UNSUBSCRIBED, T0, Map.of())).isZero();
  }
}
