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
}
