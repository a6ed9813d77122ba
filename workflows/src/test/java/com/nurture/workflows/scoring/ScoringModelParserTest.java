package com.nurture.workflows.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.nurture.workflows.program.InvalidProgramException;
import com.nurture.workflows.program.ProgramError;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** scoring.yaml is read as strictly as programs: every error with its path and line, no silent defaults. */
class ScoringModelParserTest {
  private static List<String> errorsOf(String yaml) {
    return catchThrowableOfType(InvalidProgramException.class, () -> ScoringModelParser.parse(yaml)).errors().stream()
        .map(ProgramError::toString).toList();
  }

  @Test
  void unknownKeysAreErrorsAtEveryLevelWithTheirLine() {
    assertThat(errorsOf("""
        fit:
          - { when: { attribute: employees, gte: 100 }, points: 20, weight: 2 }
        events:
          page_visited: { by: page, values: { pricing: 15 }, points: 1, cap: 30 }
        decay: { after: 30d, halflife: 90d }
        high_intent:
          - { event: page_visited, page: pricing }
        mql_definitions:
          - name: enterprise
            label: big
            when: { score: total, gte: 100 }
        alerts:
          quiet_high_fit: { fit: 40, after: 21d, within: 3d }
          stale_leads: { after: 90d }
        tracks:
          fit: { medium: 20, high: 40, top: 60 }
          engagement: { medium: 10, high: 30 }
          programs:
            high: { low: a, medium: b, high: c, mid: d }
            medium: { low: a, medium: b, high: c }
            low: { low: a, medium: b, high: c }
            hi: { low: a }
        colour: blue
        """)).containsExactlyInAnyOrder(
        "line 2, fit[0].weight: is not part of a fit rule (expected one of [when, points])",
        "line 4, events.page_visited.cap: is not part of an event's points (expected one of [points, by, values, daily_cap])",
        "line 5, decay.halflife: is not part of decay (expected one of [after, half_life])",
        "line 7, high_intent[0].page: is not part of an event match (property values go under where) (expected one of [event, where])",
        "line 10, mql_definitions[0].label: is not part of an MQL definition (expected one of [name, priority, when])",
        "line 13, alerts.quiet_high_fit.within: is not part of quiet_high_fit (expected one of [fit, after])",
        "line 14, alerts.stale_leads: is not part of alerts (expected one of [quiet_high_fit])",
        "line 16, tracks.fit.top: is not part of bands (expected one of [medium, high])",
        "line 19, tracks.programs.high.mid: is not part of a matrix row (engagement levels) (expected one of [low, medium, high])",
        "line 22, tracks.programs.hi: is not part of the matrix (fit levels) (expected one of [low, medium, high])",
        "line 23, colour: is not part of a scoring model (expected one of [fit, events, decay, mql_threshold, velocity, "
            + "touches, mql_definitions, high_intent, fast_track, alerts, tracks])");
  }

  @Test
  void valuesOfTheWrongTypeAreErrorsNotDefaults() {
    assertThat(errorsOf("""
        fit:
          - { when: { attribute: employees, gte: 100 }, points: 2.5 }
          - { when: { attribute: role, eq: vp } }
        events:
          email_clicked: three
          page_visited: { by: page, values: { pricing: lots } }
          content_downloaded: { values: { whitepaper: 5 } }
          webinar_attended: { points: 16, daily_cap: [2] }
        velocity: { window: 7d, threshold: high }
        touches: { within: 3d, priority: urgent }
        mql_definitions: { name: enterprise }
        fast_track: { fit: 50, sources: g2 }
        tracks:
          fit: { medium: 20, high: 40 }
          engagement: { medium: 10, high: 30 }
          programs:
            high: { low: a, medium: b, high: [c] }
            medium: { low: a, medium: b, high: c }
            low: { low: a, medium: b, high: c }
          reassign: "yes"
        """)).containsExactlyInAnyOrder(
        "line 2, fit[0].points: must be a whole number from -1000 to 1000",
        "line 3, fit[1].points: is required",
        "line 5, events.email_clicked: must be a whole number from 0 to 1000",
        "line 6, events.page_visited.values.pricing: must be a whole number from 0 to 1000",
        "line 7, events.content_downloaded.values: needs by: the property whose values they are (e.g. by: page)",
        "line 8, events.webinar_attended.daily_cap: must be a whole number of at least 0",
        "line 9, velocity.threshold: must be a whole number of at least 0",
        "line 10, touches.min: is required",
        "line 10, touches.priority: must be normal or high",
        "line 11, mql_definitions: is a list of { name, priority, when }, not a mapping",
        "line 12, fast_track.sources: is a list of lead sources, not text ('g2')",
        "line 17, tracks.programs.high.high: is text, not a list",
        "line 20, tracks.reassign: is true or false");
  }

  @Test
  void badDurationsAreErrorsAtEveryLevel() {
    assertThat(errorsOf("""
        decay:
          after: 30 days
          half_life: 0s
        velocity: { window: -P7D }
        touches: { min: 4, within: soon }
        mql_definitions:
          - name: pricing
            when: { event_seen: { type: page_visited, within: 7x } }
        alerts:
          quiet_high_fit: { fit: 40, after: { days: 21 } }
        """)).containsExactlyInAnyOrder(
        "line 2, decay.after: '30 days' is not a duration; write e.g. 3d, 12h or 1d12h",
        "line 3, decay.half_life: must be longer than zero",
        "line 4, velocity.window: '-P7D' is negative; a duration is zero or longer",
        "line 5, touches.within: 'soon' is not a duration; write e.g. 3d, 12h or 1d12h",
        "line 8, mql_definitions[0].when.event_seen.within: '7x' is not a duration; write e.g. 3d, 12h or 1d12h",
        "line 10, alerts.quiet_high_fit.after: is a duration such as 3d, 12h or 1d12h, not a mapping");
  }

  @Test
  void unreadableYamlAndDuplicateKeysAreErrorsWithTheirLine() {
    assertThat(errorsOf("""
        decay: { after: 30d }
        velocity: { window: 7d }
        decay: { half_life: 90d }
        """)).containsExactly("line 3, $: not valid YAML: Duplicate field 'decay'");
    assertThat(errorsOf("""
        events:
          email_opened: { points: 1
        """)).singleElement().satisfies(e -> assertThat(e).startsWith("line 2, $: not valid YAML"));
    assertThat(errorsOf("- just\n- a list\n")).containsExactly(
        "$: a scoring model is a mapping of [fit, events, decay, mql_threshold, velocity, touches, mql_definitions, "
            + "high_intent, fast_track, alerts, tracks], not a list");
  }

  @Test
  void leftOutPartsTakeTheirDocumentedDefaults() {
    ScoringModel model = ScoringModelParser.parse("events: { email_clicked: 3 }\n");
    assertThat(model.decayAfter()).isEqualTo(Duration.ofDays(30));
    assertThat(model.halfLife()).isEqualTo(Duration.ofDays(90));
    assertThat(model.velocityWindow()).isEqualTo(Duration.ofDays(7));
    assertThat(model.velocityThreshold()).isEqualTo(20);
    assertThat(model.mqlThreshold()).isEqualTo(70);
    assertThat(model.touches()).isEqualTo(ScoringModel.Touches.OFF);
    assertThat(model.quietHighFit()).isEqualTo(ScoringModel.QuietHighFit.OFF);
    assertThat(model.tracks()).isEqualTo(Tracks.NONE);
    assertThat(ScoringModelParser.parse("mql_threshold: off\n").mqlThreshold()).isZero();
  }
}
