package com.nurture.workflows.journey;

import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.testing.WorkflowReplayer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Replays recorded histories against today's workflow code: a change that would break journeys
 * already running (a different sequence of commands) fails here, before it ships. Use
 * {@code Workflow.getVersion} for intended changes; see {@link HistoryRecorder}.
 */
class HistoryReplayTest {
  /** The shipped programs; each has a recorded history (checked below). */
  static final List<String> SHIPPED = List.of("onboarding", "product-education", "dormant-re-engagement", "post-demo",
      "customer-expansion", "whitepaper-follow-up", "webinar-follow-up", "signup-step-mail", "pricing-page",
      "accelerated", "general-nurture");

  static Stream<Path> histories() throws IOException {
    return Files.list(HistoryRecorder.DIRECTORY).filter(p -> p.toString().endsWith(".json")).sorted();
  }

  @ParameterizedTest
  @MethodSource("histories")
  void replaysWithoutNonDeterminism(Path history) throws Exception {
    WorkflowReplayer.replayWorkflowExecution(Files.readString(history), LeadJourneyWorkflowImpl.class);
  }

  @Test
  void everyShippedProgramHasARecordedHistory() throws IOException {
    List<String> names = histories().map(p -> p.getFileName().toString()).toList();
    for (String program : SHIPPED) {
      assertThat(names).contains("shipped-" + program + ".json", "core-shipped-" + program + ".json");
    }
    assertThat(names).contains("reply-pause-resume.json", "step-kinds-and-preemption.json", "lead-intelligence.json");
    assertThat(names).as("recorded before the journey workflow changed; see HistoryRecorder.recordBehaviours")
        .contains("sales-accepted-fast-track.json", "sales-sla-escalations-then-rejected.json",
            "sales-not-now-re-engagement.json", "reply-auto-resume-and-other-channels.json",
            "inactivity-recycle-in-wait-for-and-quiet-alert.json", "inactivity-recycle-in-wait.json",
            "reentry-after-recycle.json", "preemption-resume-previous.json",
            "continue-as-new-with-pending-work.json", "continue-as-new-with-pending-work-run-2.json",
            "continue-as-new-with-pending-work-run-3.json", "migration.json", "after-rejection-program.json",
            "after-rejection-matrix.json", "composite-mql-graduation.json", "graduation-at-step-boundary.json",
            "send-failed-and-outcome-unknown.json", "held-out-then-suppressed.json", "ended-by-unsubscribe.json",
            "ended-by-hard-bounce.json", "ended-by-disqualification.json", "on-complete-start.json");
    assertThat(names).as("recorded with the search-attributes change id and summaries")
        .contains("core-searchable-onboarding.json", "core-searchable-reply-hand-off.json");
  }
}
