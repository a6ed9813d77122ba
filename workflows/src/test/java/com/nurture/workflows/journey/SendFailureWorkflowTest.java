package com.nurture.workflows.journey;

import static org.assertj.core.api.Assertions.assertThat;

import com.nurture.workflows.activities.JourneyTransition;
import com.nurture.workflows.program.Program;
import com.nurture.workflows.program.ProgramParser;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A send that cannot succeed never strands the journey: the program's on_send_failure decides. */
class SendFailureWorkflowTest {
  private static final ProgramParser PARSER = new ProgramParser(t -> true);
  @RegisterExtension
  final JourneyHarness harness = new JourneyHarness(Instant.parse("2026-06-02T09:00:00Z"));

  private static Program program(String onSendFailure) {
    return PARSER.parse("""
        id: failing
        send_policy: none
        %s
        steps:
          - { id: hello, send: broken }
          - { id: pause, wait: 1d }
          - { id: next, send: next }
        """.formatted(onSendFailure), 1);
  }

  @Test
  void aPermanentFailureIsNotRetriedAndTheJourneyGoesOnByDefault() {
    harness.activities.failingPermanently.add("broken");
    JourneyResult result = harness.run("bad-data", program(""));

    assertThat(result.status()).isEqualTo(JourneyStatus.COMPLETED);
    assertThat(harness.activities.attempts.values()).as("one attempt of the failing send, one of the next")
        .containsExactlyInAnyOrder(1, 1);
    assertThat(harness.activities.sent).extracting(s -> s.request().template()).containsExactly("next");
    JourneyTransition failed = harness.activities.transitions.stream().filter(t -> t.kind().equals("send_failed"))
        .findFirst().orElseThrow();
    assertThat(failed.detail()).containsEntry("step", "hello").containsEntry("reason", "permanent")
        .containsEntry("then", "skip");
    assertThat((String) failed.detail().get("error")).contains("CR/LF");
    assertThat(harness.activities.alerts).filteredOn(a -> a.kind().equals("send_failed")).singleElement()
        .satisfies(a -> assertThat(a.message()).contains("went on with the next step"));
    assertThat(result.emailsSent()).isEqualTo(1);
  }

  @Test
  void pauseHoldsTheJourneyUntilAnOperatorResumesAndThenTriesTheStepAgain() {
    harness.activities.failingPermanently.add("broken");
    LeadJourneyWorkflow wf = harness.start("held", program("on_send_failure: pause"));
    harness.sleep(Duration.ofHours(1));
    assertThat(wf.view().status()).isEqualTo(JourneyStatus.PAUSED);
    assertThat(wf.view().currentStep()).isEqualTo("hello");
    harness.sleep(Duration.ofDays(3));
    assertThat(harness.activities.sent).isEmpty();

    harness.activities.failingPermanently.clear(); // the operator fixed the lead's data
    wf.command(new JourneyCommand(JourneyCommand.Kind.RESUME, "fixed the first name", "ops"));
    JourneyResult result = JourneyHarness.result(wf);

    assertThat(result.status()).isEqualTo(JourneyStatus.COMPLETED);
    assertThat(harness.activities.sent).extracting(s -> s.request().template()).containsExactly("broken", "next");
    assertThat(harness.activities.sent.get(0).request().occurrence()).as("a new send, not the failed one").isEqualTo(2);
    assertThat(harness.activities.transitions).extracting(JourneyTransition::kind)
        .containsSubsequence("send_failed", "paused", "resumed", "email_sent");
  }

  @Test
  void transientFailuresAreRetriedUntilTheLimitThenGivenUp() {
    harness.activities.failingTransiently.add("broken");
    JourneyInput input = JourneyInput.enrol("smtp-down", Map.of(), program(""));
    input.state().withSettings(JourneySettings.DEFAULTS.withSendRetryLimit(Duration.ofHours(2)));
    JourneyResult result = JourneyHarness.result(harness.start(input));

    assertThat(result.status()).isEqualTo(JourneyStatus.COMPLETED);
    String key = harness.activities.attempts.keySet().stream().filter(k -> k.contains("/hello/")).findFirst().orElseThrow();
    assertThat(harness.activities.attempts.get(key)).as("retried with backoff").isGreaterThan(3);
    assertThat(harness.activities.gaveUp).containsOnlyKeys(key);
    assertThat(harness.activities.gaveUp.get(key)).startsWith("gave_up after 2h").contains("connection refused");
    JourneyTransition failed = harness.activities.transitions.stream().filter(t -> t.kind().equals("send_failed"))
        .findFirst().orElseThrow();
    assertThat(failed.detail()).containsEntry("reason", "gave_up");
    Duration tried = Duration.between(harness.activities.transitions.get(0).at(), failed.at());
    // Temporal gives up when the next backoff (at most 10 minutes) would pass the limit.
    assertThat(tried).isBetween(Duration.ofHours(2).minusMinutes(10), Duration.ofHours(2).plusMinutes(1));
    assertThat(harness.activities.sent).extracting(s -> s.request().template()).containsExactly("next");
  }
}
