package com.nurture.workflows.condition;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.nurture.workflows.journey.EventType;
import com.nurture.workflows.program.ProgramError;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConditionTest {
  private static final Instant NOW = Instant.parse("2026-06-10T12:00:00Z");

  private static Condition parse(String yaml) throws Exception {
    JsonNode node = new YAMLMapper().readTree(yaml);
    List<ProgramError> errors = new ArrayList<>();
    Condition c = ConditionParser.parse(node, "c", errors);
    assertThat(errors).isEmpty();
    return c;
  }

  private static ConditionContext lead(Map<String, Object> attributes, double total, List<SeenEvent> events) {
    return ConditionContext.of(attributes, name -> name.equals("total") ? total : 0, events, NOW);
  }

  private static SeenEvent event(long seq, EventType type, Duration ago, Map<String, String> props) {
    return new SeenEvent(seq, type, NOW.minus(ago), props);
  }

  @Test
  void theCompositeMqlDefinitionFromTheDomain() throws Exception {
    Condition mql = parse("""
        all:
          - { score: total, gte: 100 }
          - { event_seen: { type: page_visited, where: { page: pricing } } }
          - { attribute: employees, gte: 100 }
        """);
    SeenEvent pricing = event(0, EventType.PAGE_VISITED, Duration.ofDays(2), Map.of("page", "Pricing"));
    assertThat(mql.test(lead(Map.of("employees", "250"), 104, List.of(pricing)))).isTrue();
    assertThat(mql.test(lead(Map.of("employees", 99), 104, List.of(pricing)))).isFalse();
    assertThat(mql.test(lead(Map.of("employees", 250), 99.5, List.of(pricing)))).isFalse();
    assertThat(mql.test(lead(Map.of(), 104, List.of(pricing)))).as("missing attribute").isFalse();
    assertThat(mql.test(lead(Map.of("employees", 250), 104,
        List.of(event(0, EventType.PAGE_VISITED, Duration.ofDays(2), Map.of("page", "blog")))))).isFalse();
  }

  @Test
  void eventSeenCountsWithinItsWindow() throws Exception {
    Condition twoDownloads = parse("{ event_seen: { type: content_downloaded, within: 7d, min: 2 } }");
    List<SeenEvent> oneOld = List.of(
        event(0, EventType.CONTENT_DOWNLOADED, Duration.ofDays(9), Map.of()),
        event(1, EventType.CONTENT_DOWNLOADED, Duration.ofDays(1), Map.of()));
    assertThat(twoDownloads.test(lead(Map.of(), 0, oneOld))).isFalse();
    List<SeenEvent> twoRecent = List.of(
        event(0, EventType.CONTENT_DOWNLOADED, Duration.ofDays(6), Map.of()),
        event(1, EventType.CONTENT_DOWNLOADED, Duration.ofHours(1), Map.of()));
    assertThat(twoDownloads.test(lead(Map.of(), 0, twoRecent))).isTrue();
  }

  @Test
  void anyNotInAndEqCompareTextCaseInsensitivelyAndNumbersAsNumbers() throws Exception {
    Condition c = parse("""
        any:
          - { attribute: industry, in: [Manufacturing, Logistics] }
          - not: { attribute: employees, lte: 50 }
        """);
    assertThat(c.test(lead(Map.of("industry", "logistics", "employees", 10), 0, List.of()))).isTrue();
    assertThat(c.test(lead(Map.of("industry", "retail", "employees", 10), 0, List.of()))).isFalse();
    assertThat(c.test(lead(Map.of("industry", "retail", "employees", 51), 0, List.of()))).isTrue();
    assertThat(parse("{ attribute: employees, eq: 100 }").test(lead(Map.of("employees", "100.0"), 0, List.of()))).isTrue();
    assertThat(parse("{ attribute: role, eq: CTO }").test(lead(Map.of("role", "cto"), 0, List.of()))).isTrue();
  }
}
