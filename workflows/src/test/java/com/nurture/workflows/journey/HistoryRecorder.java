package com.nurture.workflows.journey;

import com.nurture.workflows.program.Program;
import com.nurture.workflows.program.ProgramParser;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Consumer;
import com.nurture.workflows.scoring.ScoringModel;
import com.nurture.workflows.scoring.ScoringModelParser;

/**
 * Records the histories {@link HistoryReplayTest} replays: each shipped program run end to end, and
 * scenarios that exercise every handler. Run it when a change to the workflow is meant to be
 * compatible and a new shipped program appears, and commit the files:
 * <pre>
 *   ./mvnw -q -pl workflows test-compile exec:java -Dexec.classpathScope=test \
 *       -Dexec.mainClass=com.nurture.workflows.journey.HistoryRecorder
 * </pre>
 * Arguments name the histories to record (default: all). Record only new ones: the old files are
 * what proves journeys started by an earlier release still replay.
 * Never re-record to make a failing replay pass: a failing replay means running journeys would break.
 */
public final class HistoryRecorder {
  static final Path DIRECTORY = Path.of("src/test/resources/histories");
  private static final ProgramParser PARSER = new ProgramParser(t -> true);

  private static java.util.Set<String> only = java.util.Set.of();

  public static void main(String[] args) throws Exception {
    only = java.util.Set.of(args);
    Files.createDirectories(DIRECTORY);
    ScoringModel scoring = ScoringModelParser.parse(resource("nurture/scoring.yaml"));
    Program education = PARSER.parse(resource("nurture/programs/product-education.yaml"), 1);
    Program onboarding = PARSER.parse(resource("nurture/programs/onboarding.yaml"), 1);
    record("lead-intelligence", education, input -> input.state().withScoring(scoring)
        .withAssignedTrack("product-education", "medium/low"), activities -> activities.catalog.put("onboarding",
        onboarding), wf -> {
      sleep(Duration.ofDays(1));
      wf.event(new LeadEvent("w-1", EventType.WEBINAR_ATTENDED, now(), Map.of()));
      sleep(Duration.ofDays(7));
      wf.event(new LeadEvent("b-1", EventType.PAGE_VISITED, now(), Map.of("page", "blog")));
      wf.event(new LeadEvent("b-2", EventType.PAGE_VISITED, now(), Map.of("page", "blog")));
      wf.event(new LeadEvent("b-3", EventType.PAGE_VISITED, now(), Map.of("page", "blog")));
      wf.event(new LeadEvent("c-1", EventType.EMAIL_CLICKED, now(), Map.of()));
      sleep(Duration.ofHours(1));
      wf.salesFeedback(new SalesFeedback(SalesFeedback.Outcome.REJECTED, java.util.Optional.empty(), "too early", "sdr"));
      sleep(Duration.ofDays(30));
    });
    for (String shipped : HistoryReplayTest.SHIPPED) {
      Program p = PARSER.parse(resource("nurture/programs/" + shipped + ".yaml"), 1);
      // The accelerated track waits for sales at its sales touch: sales sends the lead back.
      record("shipped-" + shipped, p, !shipped.equals("accelerated") ? wf -> { } : wf -> {
        sleep(Duration.ofDays(5));
        wf.salesFeedback(new SalesFeedback(SalesFeedback.Outcome.REJECTED, java.util.Optional.empty(), "voicemail", "sdr"));
      });
    }
    record("reply-pause-resume", PARSER.parse(resource("nurture/programs/onboarding.yaml"), 1), wf -> {
      sleep(Duration.ofDays(1));
      wf.event(new LeadEvent("r-1", EventType.REPLIED, now(), Map.of("channel", "email")));
      sleep(Duration.ofDays(2));
      wf.command(new JourneyCommand(JourneyCommand.Kind.RESUME, "answered", "ops"));
      sleep(Duration.ofDays(1));
      wf.command(new JourneyCommand(JourneyCommand.Kind.PAUSE, "holiday", "ops"));
      sleep(Duration.ofDays(1));
      wf.command(new JourneyCommand(JourneyCommand.Kind.RESUME, "back", "ops"));
    });
    record("step-kinds-and-preemption", PARSER.parse("""
        id: scenario
        priority: 5
        send_policy: { base: waking-hours, min_gap: 1h }
        holdout_percent: 0
        steps:
          - id: hello
            send: { template: hello, variants: [ { id: a, subject: "A" }, { id: b, subject: "B" } ] }
          - id: engaged
            wait_for: { any: [ { event: email_clicked, step: hello } ], timeout: 2d }
            on_event: route
            on_timeout: route
          - id: route
            branch:
              - when: { event_seen: { type: page_visited, where: { page: pricing } } }
                goto: hand-off
              - else: bye
          - { id: hand-off, handoff: { reason: pricing } }
          - { id: bye, exit: done }
        """, 1), wf -> {
      sleep(Duration.ofHours(2));
      wf.offer(new TrackOffer("evt-1", PARSER.parse("""
          id: urgent
          priority: 50
          send_policy: none
          steps: [ { id: now, send: { template: now, immediate: true } }, { id: settle, wait: 1h } ]
          on_complete: resume_previous
          """, 1), "test"));
      sleep(Duration.ofHours(3));
      wf.event(new LeadEvent("v-1", EventType.PAGE_VISITED, now(), Map.of("page", "pricing")));
      wf.event(new LeadEvent("c-1", EventType.EMAIL_CLICKED, now(), Map.of("step", "hello")));
      sleep(Duration.ofHours(1));
      wf.command(new JourneyCommand(JourneyCommand.Kind.EXIT, "seen enough", "ops"));
    });
  }

  private static TestWorkflowEnvironment env;

  private static void sleep(Duration d) {
    env.sleep(d);
  }

  private static Instant now() {
    return Instant.ofEpochMilli(env.currentTimeMillis());
  }

  private static void record(String name, Program program, Consumer<LeadJourneyWorkflow> script) throws IOException {
    record(name, program, input -> { }, activities -> { }, script);
  }

  private static void record(String name, Program program, Consumer<JourneyInput> setUp,
      Consumer<RecordingActivities> catalog, Consumer<LeadJourneyWorkflow> script) throws IOException {
    if (!only.isEmpty() && !only.contains(name)) {
      return;
    }
    env = TestWorkflowEnvironment.newInstance(TestEnvironmentOptions.newBuilder()
        .setInitialTime(Instant.parse("2026-03-03T09:00:00Z")).build());
    try {
      Worker worker = env.newWorker(LeadJourneyWorkflow.TASK_QUEUE);
      worker.registerWorkflowImplementationTypes(LeadJourneyWorkflowImpl.class);
      RecordingActivities activities = new RecordingActivities(HistoryRecorder::now);
      catalog.accept(activities);
      worker.registerActivitiesImplementations(activities);
      env.start();
      WorkflowClient client = env.getWorkflowClient();
      String id = LeadJourneyWorkflow.workflowId(name);
      LeadJourneyWorkflow wf = client.newWorkflowStub(LeadJourneyWorkflow.class,
          WorkflowOptions.newBuilder().setWorkflowId(id).setTaskQueue(LeadJourneyWorkflow.TASK_QUEUE).build());
      JourneyInput input = JourneyInput.enrol(name, Map.of("industry", "logistics", "employees", 150), program);
      setUp.accept(input);
      WorkflowClient.start(wf::run, input);
      script.accept(wf);
      WorkflowStub.fromTyped(wf).getResult(JourneyResult.class);
      Files.writeString(DIRECTORY.resolve(name + ".json"), client.fetchHistory(id).toJson(true));
      System.out.println("recorded " + name);
    } finally {
      env.close();
    }
  }

  static String resource(String path) throws IOException {
    try (InputStream in = HistoryRecorder.class.getClassLoader().getResourceAsStream(path)) {
      if (in == null) {
        throw new IOException("missing " + path);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
