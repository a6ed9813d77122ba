package com.nurture.workflows.journey;

import static org.assertj.core.api.Assertions.assertThat;

import com.nurture.workflows.scoring.ScoringModel;
import com.nurture.workflows.scoring.ScoringModelParser;
import io.temporal.common.converter.DefaultDataConverter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A lead that does a lot stays cheap: what the journey keeps is bounded, and the state carried
 * across continue-as-new (the workflow input, as Temporal serialises it) stays under 64 KiB.
 */
class BoundedStateTest {
  private static final String PROGRAM = """
      id: long
      send_policy: none
      graduate: false
      steps: [ { id: hello, send: hello }, { id: long, wait: 365d }, { id: bye, send: bye } ]
      """;

  @Test
  void tenThousandEventsKeepTheCarriedStateUnder64KiB() {
    ScoringModel scoring = ScoringModelParser.parse(resource("nurture/scoring.yaml"));
    JourneyInput input = JourneyInput.enrol("busy", Map.of("first_name", "Pat", "industry", "logistics",
        "employees", 150, "timezone", "Europe/London"), CoreDriver.PARSER.parse(PROGRAM, 1));
    input.state().withScoring(scoring);
    CoreDriver d = new CoreDriver(input).begin().sent();
    List<EventType> kinds = List.of(EventType.EMAIL_OPENED, EventType.EMAIL_CLICKED, EventType.PAGE_VISITED,
        EventType.CONTENT_DOWNLOADED);
    for (int i = 0; i < 10_000; i++) {
      d.now = d.now.plus(Duration.ofMinutes(45));
      EventType type = kinds.get(i % kinds.size());
      Map<String, Object> properties = type == EventType.PAGE_VISITED
          ? Map.of("page", "blog", "url", "https://www.example.com/blog/post-" + i)
          : type == EventType.CONTENT_DOWNLOADED ? Map.of("asset_type", "ebook", "asset", "guide-" + (i % 50))
          : Map.of("message_id", "<" + i + "@mail.example>");
      LeadEvent e = new LeadEvent("evt-" + i, type, d.now, properties);
      if (d.journey.admit(e)) {
        d.then(d.journey.react(e, d.now));
      }
    }
    JourneyState s = d.journey.state();
    assertThat(s.seenEventIds).hasSize(JourneyState.SEEN_IDS_KEPT);
    assertThat(s.seenEventIds).as("the most recent are kept").contains("evt-9999").doesNotContain("evt-0");
    assertThat(s.seen).hasSize(JourneyState.CORE_EVENTS_KEPT);
    assertThat(s.scored.stream().filter(x -> !x.eventId().startsWith(JourneyState.ROLLUP)))
        .hasSize(JourneyState.CORE_SCORED_KEPT);
    assertThat(s.scored).hasSizeLessThanOrEqualTo(JourneyState.CORE_SCORED_KEPT + JourneyState.ROLLUPS_KEPT);

    JourneyInput carried = d.journey.continueAsNew(List.of(), List.of());
    int bytes = DefaultDataConverter.newDefaultInstance().toPayload(carried).orElseThrow().getSerializedSize();
    assertThat(bytes).as("the workflow input carried across continue-as-new, in bytes").isLessThan(64 * 1024);
  }

  @Test
  void olderEngagementIsSummedPerWeekWithoutLosingPoints() {
    JourneyState s = JourneyState.fresh();
    java.time.Instant monday = java.time.Instant.parse("2026-06-01T00:00:00Z");
    double total = 0;
    for (int i = 0; i < JourneyState.CORE_SCORED_KEPT + 20; i++) {
      s.scored.add(new com.nurture.workflows.scoring.ScoredEvent("e-" + i, EventType.EMAIL_CLICKED,
          monday.plus(Duration.ofHours(6L * i)), 3));
      total += 3;
      s.keepScoredBounded();
    }
    assertThat(s.scored.stream().mapToDouble(com.nurture.workflows.scoring.ScoredEvent::points).sum()).isEqualTo(total);
    assertThat(s.scored.get(0)).satisfies(rollup -> {
      assertThat(rollup.eventId()).isEqualTo("rollup/2026-06-01");
      assertThat(rollup.at()).isEqualTo(monday);
      assertThat(rollup.points()).isEqualTo(60);
    });
    assertThat(s.scored.subList(1, s.scored.size())).extracting(com.nurture.workflows.scoring.ScoredEvent::eventId)
        .first().isEqualTo("e-20");
  }

  @Test
  void aRepeatOfAnEventStillRememberedIsIgnored() {
    CoreDriver d = new CoreDriver(PROGRAM).begin().sent();
    LeadEvent click = new LeadEvent("c-1", EventType.EMAIL_CLICKED, d.now, Map.of());
    assertThat(d.journey.admit(click)).isTrue();
    assertThat(d.journey.admit(click)).isFalse();
  }

  private static String resource(String path) {
    try {
      return HistoryRecorder.resource(path);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
