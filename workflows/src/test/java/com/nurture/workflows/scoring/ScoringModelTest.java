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

  private static ConditionContext lead(Map<String, Object> attributes, List<SeenEvent> events, Instant now) {
    return ConditionContext.of(attributes, name -> 0, events, now);
  }

  @Test
  void theTrackMatrixPlacesLeadsByFitAndEngagement() {
    Tracks tracks = model.tracks();
    assertThat(tracks.on()).isTrue();
    Map<Score, String> expected = Map.of(
        new Score(40, 0, 40, 0), "product-education",
        new Score(40, 30, 70, 0), "accelerated",
        new Score(20, 10, 30, 0), "onboarding",
        new Score(19, 29, 48, 0), "general-nurture",
        new Score(10, 45, 55, 0), "general-nurture",
        new Score(25, 45, 70, 0), "onboarding");
    expected.forEach((score, program) -> assertThat(tracks.programFor(tracks.quadrant(score))).as(score.toString())
        .contains(program));
    assertThat(tracks.quadrant(new Score(39, 9, 48, 0)).key()).isEqualTo("medium/low");
    assertThat(tracks.quadrant(new Score(40, 30, 70, 0)).describe()).isEqualTo("high fit, high engagement");
  }

  @Test
  void renewedInterestIsAFormDownloadOrHighIntentVisitNotABlogReadOrAnOpen() {
    Tracks tracks = model.tracks();
    assertThat(tracks.showsRenewedInterest(new SeenEvent(0, EventType.CONTENT_DOWNLOADED, T0, Map.of()))).isTrue();
    assertThat(tracks.showsRenewedInterest(new SeenEvent(0, EventType.FORM_SUBMITTED, T0, Map.of("form", "contact")))).isTrue();
    assertThat(tracks.showsRenewedInterest(new SeenEvent(0, EventType.PAGE_VISITED, T0, Map.of("page", "pricing")))).isTrue();
    assertThat(tracks.showsRenewedInterest(new SeenEvent(0, EventType.PAGE_VISITED, T0, Map.of("page", "blog")))).isFalse();
    assertThat(tracks.showsRenewedInterest(new SeenEvent(0, EventType.EMAIL_OPENED, T0, Map.of()))).isFalse();
  }

  @Test
  void touchesCountEngagementInTheWindowButNotOpens() {
    List<SeenEvent> events = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      events.add(new SeenEvent(i, EventType.EMAIL_CLICKED, T0.plus(Duration.ofHours(i)), Map.of()));
    }
    events.add(new SeenEvent(3, EventType.EMAIL_OPENED, T0.plus(Duration.ofHours(4)), Map.of()));
    ConditionContext three = lead(Map.of(), events, T0.plus(Duration.ofHours(5)));
    assertThat(model.holding(Score.NONE, three)).extracting(ScoringModel.RuleHolds::rule).doesNotContain("touches");
    events.add(new SeenEvent(4, EventType.CONTENT_DOWNLOADED, T0.plus(Duration.ofHours(6)), Map.of()));
    assertThat(model.holding(Score.NONE, lead(Map.of(), events, T0.plus(Duration.ofHours(7)))))
        .extracting(ScoringModel.RuleHolds::rule).containsExactly("touches");
    assertThat(model.holding(Score.NONE, lead(Map.of(), events, T0.plus(Duration.ofDays(3)).plus(Duration.ofHours(3)))))
        .as("the first clicks are older than 3 days by then").isEmpty();
  }

  @Test
  void theShippedEnterpriseDefinitionNeedsScorePricingAndSize() {
    List<SeenEvent> pricing = List.of(new SeenEvent(0, EventType.PAGE_VISITED, T0, Map.of("page", "pricing")));
    Score hundred = new Score(40, 60, 100, 0);
    java.util.function.BiFunction<Map<String, Object>, List<SeenEvent>, ConditionContext> at100 =
        (attributes, events) -> ConditionContext.of(attributes, name -> name.equals("total") ? 100 : 0, events, T0);
    assertThat(model.holding(hundred, at100.apply(Map.of("employees", 150), pricing)))
        .extracting(ScoringModel.RuleHolds::rule).containsExactly("mql_threshold", "mql:enterprise-pricing");
    assertThat(model.holding(hundred, at100.apply(Map.of("employees", 99), pricing)))
        .extracting(ScoringModel.RuleHolds::rule).containsExactly("mql_threshold");
    assertThat(model.holding(hundred, at100.apply(Map.of("employees", 150), List.of())))
        .extracting(ScoringModel.RuleHolds::rule).containsExactly("mql_threshold");
  }

  @Test
  void aLeadsScoreFromItsEventsMatchesTheWalkThrough() {
    List<SeenEvent> events = List.of(
        new SeenEvent(0, EventType.CONTENT_DOWNLOADED, T0.plus(Duration.ofDays(1)), Map.of("asset_type", "case_study")),
        new SeenEvent(1, EventType.CONTENT_DOWNLOADED, T0.plus(Duration.ofDays(9)), Map.of("asset_type", "case_study")),
        new SeenEvent(2, EventType.WEBINAR_ATTENDED, T0.plus(Duration.ofDays(17)), Map.of()),
        new SeenEvent(3, EventType.PAGE_VISITED, T0.plus(Duration.ofDays(20)), Map.of("page", "pricing")));
    Score s = model.scoreOf(lead(Map.of("employees", 250, "role", "VP", "industry", "Manufacturing"), events,
        T0.plus(Duration.ofDays(20))));
    assertThat(s).isEqualTo(new Score(40, 43, 83, 31));
  }

  @Test
  void aBrokenModelIsRefusedWithEveryPath() {
    var e = org.assertj.core.api.Assertions.catchThrowableOfType(() -> ScoringModelParser.parse("""
        mql_threshold: lots
        touches: { min: 3, within: soon, priority: urgent }
        mql_definitions:
          - { when: { score: total, gte: 100 } }
        tracks:
          fit: { medium: 40, high: 20 }
          engagement: { medium: 10, high: 30 }
          programs:
            high: { low: a, medium: b, high: c }
            medium: { low: d, medium: e }
          after_rejection: "Somewhere Else"
        """), com.nurture.workflows.program.InvalidProgramException.class);
    assertThat(e.errors()).extracting(com.nurture.workflows.program.ProgramError::path).contains(
        "mql_threshold", "touches.within", "touches.priority", "mql_definitions[0].name", "tracks.fit",
        "tracks.programs.medium.high", "tracks.programs.low.low", "tracks.after_rejection");
  }

  @Test
  void everyProgramTheShippedMatrixNamesIsShipped() throws Exception {
    String index;
    try (InputStream in = ScoringModelTest.class.getClassLoader().getResourceAsStream("nurture/index.yaml")) {
      index = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertThat(model.tracks().programs().values()).allSatisfy(program -> assertThat(index).contains("- " + program + "\n"));
  }
}
