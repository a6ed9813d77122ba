package com.nurture.workflows.program;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ProgramParserTest {
  private final ProgramParser parser = new ProgramParser(Set.of("hello", "bye")::contains);

  @Test
  void parsesSendAndWaitSteps() {
    Program p = parser.parse("""
        id: tiny
        name: Tiny
        steps:
          - id: first
            send: { template: hello }
          - { id: pause, wait: 1d12h }
          - id: last
            send: bye
        """, 3);
    assertThat(p.ref()).isEqualTo("tiny@3");
    assertThat(p.steps()).containsExactly(
        new SendStep("first", "hello"), new WaitStep("pause", Duration.ofHours(36)), new SendStep("last", "bye"));
    assertThat(p.priority()).isZero();
    assertThat(p.onComplete()).isEqualTo(OnComplete.COMPLETE);
  }

  @Test
  void acceptsJson() {
    Program p = parser.parse("{\"id\":\"j\",\"steps\":[{\"id\":\"a\",\"send\":{\"template\":\"hello\"}}]}", 1);
    assertThat(p.name()).isEqualTo("j");
    assertThat(p.steps()).hasSize(1);
  }

  @Test
  void reportsEveryErrorWithItsPathAndLine() {
    InvalidProgramException e = catchThrowableOfType(InvalidProgramException.class, () -> parser.parse("""
        id: Bad Id
        colour: blue
        steps:
          - id: a
            send: { template: nope }
          - { id: a, wait: soon }
          - { id: c, branch: {} }
          - { send: { template: hello } }
          - { id: e, send: { template: hello }, wait: 1d }
        """, 1));
    assertThat(e.errors()).extracting(ProgramError::toString).containsExactlyInAnyOrder(
        "line 1, id: must be lower-case letters, digits and dashes (at most 64)",
        "line 2, colour: is not a program field (expected one of [audience, graduate, holdout_percent, id, name, on_complete, on_send_failure, priority, send_policy, steps, trigger])",
        "line 5, steps[0].send.template: unknown template 'nope'",
        "line 6, steps[1].wait: 'soon' is not a duration; write e.g. 3d, 12h or 1d12h",
        "line 6, steps[1].id: 'a' is used by an earlier step",
        "line 7, steps[2].branch: is a list of cases: { when: <condition>, goto: <step> }, then optionally { else: <step> }",
        "line 8, steps[3].id: is required",
        "line 9, steps[4]: has more than one kind: [send, wait]");
  }

  @Test
  void rejectsDuplicateStepIdsAndEmptyPrograms() {
    InvalidProgramException dup = catchThrowableOfType(InvalidProgramException.class, () -> parser.parse("""
        id: d
        steps:
          - { id: a, wait: 1d }
          - { id: a, wait: 2d }
        """, 1));
    assertThat(dup.errors()).extracting(ProgramError::toString).containsExactly("line 4, steps[1].id: 'a' is used by an earlier step");

    InvalidProgramException empty = catchThrowableOfType(InvalidProgramException.class,
        () -> parser.parse("id: e\nsteps: []\n", 1));
    assertThat(empty.errors()).extracting(ProgramError::toString).containsExactly("line 2, steps: needs at least one step");

    InvalidProgramException zero = catchThrowableOfType(InvalidProgramException.class,
        () -> parser.parse("id: z\nsteps: [{id: w, wait: 0s}]\n", 1));
    assertThat(zero.errors()).extracting(ProgramError::toString).containsExactly("line 2, steps[0].wait: must be longer than zero");
  }

  @Test
  void theShippedOnboardingProgramHasFiveEmailsOverSixteenDays() throws IOException {
    Program p = new ProgramParser(t -> t.startsWith("onboarding-")).parse(resource("nurture/programs/onboarding.yaml"), 1);
    assertThat(p.steps()).filteredOn(s -> s instanceof SendStep).hasSize(5);
    Duration total = p.steps().stream().filter(s -> s instanceof WaitStep)
        .map(s -> ((WaitStep) s).duration()).reduce(Duration.ZERO, Duration::plus);
    assertThat(total).isEqualTo(Duration.ofDays(16));
  }

  static String resource(String path) throws IOException {
    try (InputStream in = ProgramParserTest.class.getClassLoader().getResourceAsStream(path)) {
      assertThat(in).as(path).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void onSendFailureIsSkipOrPause() {
    String steps = "steps: [ { id: a, send: { template: hello } } ]\n";
    assertThat(parser.parse("id: p\n" + steps, 1).onSendFailure()).isEqualTo(Program.OnSendFailure.SKIP);
    assertThat(parser.parse("id: p\non_send_failure: pause\n" + steps, 1).onSendFailure())
        .isEqualTo(Program.OnSendFailure.PAUSE);
    InvalidProgramException e = catchThrowableOfType(InvalidProgramException.class,
        () -> parser.parse("id: p\non_send_failure: retry\n" + steps, 1));
    assertThat(e.errors()).extracting(ProgramError::toString).containsExactly(
        "line 2, on_send_failure: is skip (go on with the next step) or pause (hold for an operator)");
  }

  private java.util.List<String> errorsOf(String yaml) {
    return catchThrowableOfType(InvalidProgramException.class, () -> parser.parse(yaml, 1)).errors().stream()
        .map(ProgramError::toString).toList();
  }

  @Test
  void unknownKeysAreErrorsAtEveryLevelWithTheirLine() {
    assertThat(errorsOf("""
        id: strict
        trigger:
          event: content_downloaded
          where: { asset_type: whitepaper }
          when: always
        audience: { all: [ { attribute: employees, gte: 10 } ], gte: 3 }
        send_policy:
          base: business-hours
          windows:
            - { days: mon-fri, from: "09:00", to: "17:00", until: "18:00" }
        on_complete: { then: recycle, after: 3d }
        steps:
          - id: hello
            send:
              template: hello
              variants:
                - { id: a, subject: Hi, colour: red }
                - { id: b, subject: Hello }
          - id: wait
            wait_for:
              any: [ { event: replied } ]
              timeout: 2d
              retries: 3
          - id: route
            branch:
              - when: { event_seen: { type: replied, within: 3d, since: 1d } }
                goto: done
                label: replied
          - { id: hand-off, handoff: { reason: hot, priority: high } }
          - { id: done, exit: { reason: finished, recycle: true, note: x } }
        """)).containsExactlyInAnyOrder(
        "line 5, trigger.when: is not part of a trigger (expected one of [event, where])",
        "line 6, audience.gte: compares an attribute or a score; it does not belong beside 'all'",
        "line 10, send_policy.windows[0].until: is not part of a send window (expected one of [days, from, to])",
        "line 11, on_complete.after: is not part of on_complete (expected one of [then, start])",
        "line 17, steps[0].send.variants[0].colour: is not part of a variant (expected one of [id, subject, template])",
        "line 23, steps[1].wait_for.retries: is not part of wait_for (expected one of [any, all, timeout])",
        "line 26, steps[2].branch[0].when.event_seen.since: is not part of event_seen (expected one of [type, within, min, where])",
        "line 28, steps[2].branch[0].label: is not part of a branch case (expected one of [when, goto, else])",
        "line 29, steps[3].handoff.priority: is not part of a hand-off (expected one of [reason])",
        "line 30, steps[4].exit.note: is not part of an exit (expected one of [reason, recycle])");
  }

  @Test
  void valuesOfTheWrongTypeAreErrorsNotDefaults() {
    assertThat(errorsOf("""
        id: types
        name: [not, text]
        priority: "high"
        graduate: "yes"
        trigger: { event: { type: replied } }
        audience: { event_seen: { type: replied, min: two } }
        send_policy: { max_per_7d: 2, windows: [ { days: [1], from: 9, to: "17:00" } ] }
        steps:
          - id: a
            send: { template: hello, immediate: "sure" }
          - { id: b, wait_for: { any: [ { event: email_clicked, page: [pricing] } ], timeout: 1d } }
          - id: c
            branch:
              - { when: { attribute: role, in: [ vp, { title: cxo } ] }, goto: d }
              - else: [d]
          - { id: d, exit: { reason: done, recycle: maybe } }
        """)).containsExactlyInAnyOrder(
        "line 2, name: is text, not a list",
        "line 3, priority: must be a whole number from 0 to 1000",
        "line 4, graduate: is true or false",
        "line 5, trigger.event: is an event type, not a mapping",
        "line 6, audience.event_seen.min: must be a whole number of at least 1",
        "line 7, send_policy.windows[0].days[0]: is a day such as mon, not a number (1)",
        "line 7, send_policy.windows[0].from: is a time of day in quotes such as \"10:00\", not a number (9)",
        "line 10, steps[0].send.immediate: is true or false",
        "line 11, steps[1].wait_for.any[0].page: is a single value, not a list",
        "line 14, steps[2].branch[0].when.in[1]: is a single value, not a mapping",
        "line 15, steps[2].branch[1].else: is text, not a list",
        "line 16, steps[3].exit.recycle: is true or false");
  }

  @Test
  void badDurationsAreErrorsAtEveryLevel() {
    assertThat(errorsOf("""
        id: durations
        send_policy: { min_gap: 3 weeks }
        audience: { event_seen: { type: replied, within: 0s } }
        steps:
          - { id: a, wait: -PT5H }
          - id: b
            wait_for:
              all: [ { event: replied } ]
              timeout: 99999999999999999999d
          - id: c
            branch:
              - when: { not: { event_seen: { type: replied, within: soonish } } }
                goto: a
          - { id: d, wait: { days: 3 } }
        """)).containsExactlyInAnyOrder(
        "line 2, send_policy.min_gap: '3 weeks' is not a duration; write e.g. 3d, 12h or 1d12h",
        "line 3, audience.event_seen.within: must be longer than zero (leave within out for: ever)",
        "line 5, steps[0].wait: '-PT5H' is negative; a duration is zero or longer",
        "line 9, steps[1].wait_for.timeout: '99999999999999999999d' is not a duration; write e.g. 3d, 12h or 1d12h",
        "line 12, steps[2].branch[0].when.not.event_seen.within: 'soonish' is not a duration; write e.g. 3d, 12h or 1d12h",
        "line 14, steps[3].wait: is a duration such as 3d, 12h or 1d12h, not a mapping");
  }

  @Test
  void aKeyGivenTwiceIsAnErrorWithItsLine() {
    assertThat(errorsOf("""
        id: twice
        steps:
          - id: a
            wait: 1d
            wait: 2d
        """)).containsExactly("line 5, $: not valid YAML: Duplicate field 'wait'");
  }
}
