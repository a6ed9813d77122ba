package com.nurture.workflows.program;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.nurture.workflows.condition.Condition;
import com.nurture.workflows.journey.EventType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The full step language and program settings, and every validation error kind. */
class ProgramLanguageTest {
  private final ProgramParser parser = new ProgramParser(Set.of("wp-thanks", "case-study", "invite", "next")::contains);

  @Test
  void readsTheDesignExample() {
    Program p = parser.parse("""
        id: whitepaper-follow-up
        name: Whitepaper download follow-up
        trigger: { event: content_downloaded, where: { asset_type: whitepaper } }
        priority: 50
        holdout_percent: 10
        audience: { not: { attribute: country, in: [KP, IR] } }
        steps:
          - id: thanks
            send: { template: wp-thanks }
          - { id: pause, wait: 3d }
          - id: case-study
            send: { template: case-study }
          - id: engaged
            wait_for:
              any: [ { event: email_clicked, step: case-study }, { event: page_visited, page: pricing } ]
              timeout: 4d
            on_event: hand-off
            on_timeout: invite
          - id: invite
            send: { template: invite }
          - id: route
            branch:
              - when: { all: [ { score: total, gte: 70 }, { event_seen: { type: webinar_attended, within: 30d } } ] }
                goto: hand-off
              - else: done
          - id: hand-off
            handoff: { reason: whitepaper-engaged }
          - { id: done, exit: { reason: nurtured } }
        on_complete: { start: product-education }
        """, 4);
    assertThat(p.trigger()).contains(new Trigger(EventType.CONTENT_DOWNLOADED, Map.of("asset_type", "whitepaper")));
    assertThat(p.priority()).isEqualTo(50);
    assertThat(p.holdoutPercent()).isEqualTo(10);
    assertThat(p.audience()).containsInstanceOf(Condition.Not.class);
    assertThat(p.onComplete()).isEqualTo(new OnComplete(OnComplete.Kind.START, "product-education"));
    WaitForStep engaged = (WaitForStep) p.steps().get(3);
    assertThat(engaged.mode()).isEqualTo(WaitForStep.Mode.ANY);
    assertThat(engaged.timeout()).isEqualTo(Duration.ofDays(4));
    assertThat(engaged.events()).containsExactly(
        new EventMatch(EventType.EMAIL_CLICKED, "case-study", Map.of()),
        new EventMatch(EventType.PAGE_VISITED, "", Map.of("page", "pricing")));
    assertThat(engaged.onEvent()).isEqualTo("hand-off");
    BranchStep route = (BranchStep) p.steps().get(5);
    assertThat(route.cases()).hasSize(1);
    assertThat(route.otherwise()).isEqualTo("done");
    assertThat(p.steps().get(6)).isEqualTo(new HandoffStep("hand-off", "whitepaper-engaged"));
    assertThat(p.steps().get(7)).isEqualTo(new ExitStep("done", "nurtured"));
    assertThat(new StepGraph(p.steps()).successors(3)).containsExactly(6, 4);
  }

  private List<String> errorsOf(String yaml) {
    return catchThrowableOfType(InvalidProgramException.class, () -> parser.parse(yaml, 1)).errors().stream()
        .map(e -> e.path() + ": " + e.message()).toList();
  }

  @Test
  void unknownStepReferencesAreNamed() {
    assertThat(errorsOf("""
        id: refs
        steps:
          - { id: a, goto: nowhere }
          - id: b
            wait_for: { any: [ { event: replied } ], timeout: 1d }
            on_event: missing
          - id: c
            branch: [ { when: { score: total, gte: 1 }, goto: gone }, { else: lost } ]
        """)).containsExactlyInAnyOrder(
        "steps[0].goto: unknown step 'nowhere'",
        "steps[1].on_event: unknown step 'missing'",
        "steps[2].branch[0].goto: unknown step 'gone'",
        "steps[2].branch[1].else: unknown step 'lost'");
  }

  @Test
  void unreachableStepsAreNamed() {
    assertThat(errorsOf("""
        id: unreachable
        steps:
          - { id: a, send: { template: next } }
          - { id: out, exit: done }
          - { id: orphan, send: { template: next } }
          - { id: also, wait: 1d }
        """)).containsExactly(
        "steps[2]: step 'orphan' can never be reached",
        "steps[3]: step 'also' can never be reached");
  }

  @Test
  void aLoopWithoutAWaitIsRefusedButALoopWithOneIsFine() {
    assertThat(errorsOf("""
        id: busy
        steps:
          - { id: a, send: { template: next } }
          - id: b
            branch: [ { when: { score: total, gte: 100 }, goto: c }, { else: a } ]
          - { id: c, exit: done }
        """)).containsExactly("steps[1]: loops back to 'a' without a wait: a -> b -> a");

    Program ok = parser.parse("""
        id: patient
        steps:
          - { id: a, send: { template: next } }
          - { id: w, wait: 7d }
          - { id: back, goto: a }
        """, 1);
    assertThat(ok.steps()).hasSize(3);
  }

  @Test
  void badConditionsEventsDurationsAndSettingsAreNamed() {
    assertThat(errorsOf("""
        id: bad-settings
        priority: high
        holdout_percent: 150
        send_policy: sometimes
        trigger: { event: teleported }
        on_complete: { then: explode }
        audience: { attribute: employees, gte: many }
        steps:
          - id: a
            wait_for: { any: [ { event: page_visitd } ], timeout: forever }
          - id: b
            branch:
              - when: { score: karma, gte: 1 }
                goto: a
              - when: { event_seen: { type: replied, within: 3x } }
                goto: a
              - when: { colour: red }
                goto: a
        """)).containsExactlyInAnyOrder(
        "priority: must be a whole number from 0 to 1000",
        "holdout_percent: must be a whole number from 0 to 100",
        "send_policy: unknown send policy 'sometimes' (built in: [best-times, business-hours, none, waking-hours])",
        "trigger.event: unknown event type 'teleported' (known: " + String.join(", ", EventType.wireNames()) + ")",
        "on_complete.then: must be complete, recycle or resume_previous",
        "audience.gte: compares with a number, not 'many'",
        "steps[0].wait_for.any[0].event: unknown event type 'page_visitd' (known: " + String.join(", ", EventType.wireNames()) + ")",
        "steps[0].wait_for.timeout: 'forever' is not a duration; write e.g. 3d, 12h or 1d12h",
        "steps[1].branch[0].when.score: must be one of " + com.nurture.workflows.condition.ConditionParser.SCORES,
        "steps[1].branch[1].when.event_seen.within: '3x' is not a duration; write e.g. 3d, 12h or 1d12h",
        "steps[1].branch[2].when.colour: is not part of a condition (expected one of [all, any, not, attribute, score, event_seen])");
  }

  @Test
  void yamlBooleansAsStepIdsAreCaught() {
    assertThat(errorsOf("""
        id: booleans
        steps:
          - { id: start, goto: yes }
          - { id: yes, send: next }
        """)).contains(
        "steps[0].goto: YAML reads yes, no, on and off as true or false: quote the step id",
        "steps[1].id: YAML reads yes, no, on and off as true or false: quote the step id");
  }
}
