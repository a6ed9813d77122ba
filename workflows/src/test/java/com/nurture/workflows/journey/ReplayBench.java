package com.nurture.workflows.journey;

import com.nurture.workflows.program.ProgramParser;
import com.nurture.workflows.scoring.ScoringModelParser;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Benchmark (bench/replay-10k.sh, not a test): a journey that receives 10,000 events while it
 * waits, then its history replayed from scratch, as a worker does after a restart or a cache
 * eviction: the longest workflow task a journey can need. Printed beside the replay of a short
 * journey's history on the same machine (the baseline: the SDK's fixed cost).
 */
public final class ReplayBench {
  public static void main(String[] args) throws Exception {
    int events = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance(TestEnvironmentOptions.newBuilder()
        .setInitialTime(Instant.parse("2026-03-03T09:00:00Z")).build());
    JourneySearchAttributes.definitions().forEach(env::registerSearchAttribute);
    try {
      Worker worker = env.newWorker(LeadJourneyWorkflow.TASK_QUEUE);
      worker.registerWorkflowImplementationTypes(LeadJourneyWorkflowImpl.class);
      RecordingActivities activities = new RecordingActivities(() -> Instant.ofEpochMilli(env.currentTimeMillis()));
      worker.registerActivitiesImplementations(activities);
      env.start();
      WorkflowClient client = env.getWorkflowClient();
      ProgramParser parser = new ProgramParser(t -> true);
      JourneyInput input = JourneyInput.enrol("busy", Map.of("industry", "logistics", "employees", 150),
          parser.parse("""
              id: busy
              send_policy: none
              graduate: false
              steps: [ { id: hello, send: hello }, { id: long, wait: 365d }, { id: bye, send: bye } ]
              """, 1));
      input.state().withScoring(ScoringModelParser.parse(HistoryRecorder.resource("nurture/scoring.yaml")));
      LeadJourneyWorkflow wf = client.newWorkflowStub(LeadJourneyWorkflow.class, WorkflowOptions.newBuilder()
          .setWorkflowId("lead-busy").setTaskQueue(LeadJourneyWorkflow.TASK_QUEUE).build());
      String runId = WorkflowClient.start(wf::run, input).getRunId();
      List<EventType> kinds = List.of(EventType.EMAIL_OPENED, EventType.EMAIL_CLICKED, EventType.PAGE_VISITED);
      long sent = System.nanoTime();
      // Bursts of 50 events with a 0.3 s pause between them: a very busy lead (a real one sends far fewer);
      // a journey can only continue as new in a pause (Temporal refuses it while new signals arrive).
      for (int i = 0; i < events; i++) {
        wf.event(new LeadEvent("evt-" + i, kinds.get(i % kinds.size()), Instant.ofEpochMilli(env.currentTimeMillis()),
            Map.of("page", "blog")));
        if (i % 50 == 49) {
          Thread.sleep(300);
        }
      }
      wf.view();
      System.out.printf("signalled %d events in %d ms%n", events, (System.nanoTime() - sent) / 1_000_000);
      // Every run of the journey: the longest history is the longest replay.
      WorkflowExecutionHistory longest = null;
      int runCount = 0;
      for (String run = runId; run != null; runCount++) {
        WorkflowExecutionHistory h = client.fetchHistory("lead-busy", run);
        if (longest == null || h.getEvents().size() > longest.getEvents().size()) {
          longest = h;
        }
        var last = h.getLastEvent();
        run = last.hasWorkflowExecutionContinuedAsNewEventAttributes()
            ? last.getWorkflowExecutionContinuedAsNewEventAttributes().getNewExecutionRunId() : null;
      }
      WorkflowExecutionHistory history = longest;
      System.out.printf("the journey ran in %d runs; the longest history has %d events%n", runCount,
          history.getEvents().size());
      WorkflowStub.fromTyped(wf).terminate("bench done");

      String shortHistory = HistoryRecorder.resource("histories/core-shipped-onboarding.json");
      report("baseline: replay of a short journey (core-shipped-onboarding)", runs,
          () -> WorkflowReplayer.replayWorkflowExecution(shortHistory, LeadJourneyWorkflowImpl.class));
      String busy = history.toJson(false);
      report("replay of the longest run of the journey with " + events + " events", runs,
          () -> WorkflowReplayer.replayWorkflowExecution(busy, LeadJourneyWorkflowImpl.class));
    } finally {
      env.close();
    }
  }

  private interface Replay {
    void run() throws Exception;
  }

  private static void report(String what, int runs, Replay replay) throws Exception {
    replay.run(); // warm-up
    List<Long> ms = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      long t = System.nanoTime();
      replay.run();
      ms.add((System.nanoTime() - t) / 1_000_000);
    }
    Collections.sort(ms);
    System.out.printf("%s: min %d ms, median %d ms, max %d ms (%d runs)%n", what, ms.get(0), ms.get(ms.size() / 2),
        ms.get(ms.size() - 1), runs);
  }
}
