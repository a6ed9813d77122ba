package com.nurture.api.bench;

import com.nurture.activities.TestDatabase;
import com.nurture.activities.privacy.LeadPayloadCodec;
import com.nurture.activities.privacy.MasterKeys;
import com.nurture.activities.privacy.StoredDataKeys;
import com.nurture.api.core.EncryptedReplayTest;
import com.nurture.api.core.TemporalConnection;
import com.nurture.workflows.journey.LeadJourneyWorkflow;
import com.nurture.workflows.journey.LeadJourneyWorkflowImpl;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.common.converter.CodecDataConverter;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A journey's replay, as a worker runs it for every wake-up its cache no longer holds, through the
 * data converter every role uses ({@link TemporalConnection#encrypting}: the input read once for the
 * constructor and {@code run}) beside the codec converter alone (the baseline: the SDK reads the input
 * twice). Every core-engine history in workflows/src/test/resources/histories, encrypted for one lead
 * as the SDK writes it, replayed in rounds that alternate between the two, the first round of each
 * untimed; the process's CPU a replay (the replay runs on the SDK's workflow threads).
 * {@code java -cp "$BENCH_CP" com.nurture.api.bench.InputReadBench [rounds]} (BENCH_CP as bench/run
 * sets it; run from the api directory).
 */
public final class InputReadBench {
  private InputReadBench() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    if (rounds < 2) {
      throw new IllegalArgumentException("at least 2 rounds: the first of each converter is a warm-up");
    }
    LeadPayloadCodec codec = new LeadPayloadCodec(new StoredDataKeys(TestDatabase.jdbi(),
        MasterKeys.of("test-1", Map.of("test-1", "dGVzdC1vbmx5LW1hc3Rlci1rZXktMzItYnl0ZXMhISE="))));
    List<WorkflowExecutionHistory> histories = new ArrayList<>();
    try (Stream<Path> files = Files.list(Path.of("../workflows/src/test/resources/histories"))) {
      for (Path file : files.filter(p -> p.getFileName().toString().startsWith("core-")).sorted().toList()) {
        histories.add(EncryptedReplayTest.encrypted(WorkflowExecutionHistory.fromJson(Files.readString(file)),
            codec.forLead("input-read-bench")));
      }
    }
    Worker[] workers = {
        worker(new CodecDataConverter(DefaultDataConverter.newDefaultInstance(), List.of(codec))),
        worker(TemporalConnection.encrypting(codec))};
    String[] names = {"codec converter alone (input read twice)", "TemporalConnection.encrypting (read once)"};
    var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long[] cpu = new long[2];
    int[] replays = new int[2];
    for (int round = 0; round < 2 * rounds; round++) {
      int which = round % 2;
      long start = os.getProcessCpuTime();
      for (WorkflowExecutionHistory history : histories) {
        workers[which].replayWorkflowExecution(history);
      }
      if (round >= 2) {
        cpu[which] += os.getProcessCpuTime() - start;
        replays[which] += histories.size();
      }
    }
    System.out.printf("%d core-engine histories, %d timed rounds each, alternating%n", histories.size(), rounds - 1);
    for (int k = 0; k < 2; k++) {
      System.out.printf("  %-45s %8.3f ms of the process's CPU a replay%n", names[k], cpu[k] / 1e6 / replays[k]);
    }
    System.out.printf("  read once / read twice: %.2fx%n", (cpu[1] / (double) replays[1]) / (cpu[0] / (double) replays[0]));
    System.exit(0);
  }

  private static Worker worker(DataConverter converter) {
    TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance(TestEnvironmentOptions.newBuilder()
        .setWorkflowClientOptions(WorkflowClientOptions.newBuilder().setDataConverter(converter).build()).build());
    Worker worker = env.newWorker(LeadJourneyWorkflow.TASK_QUEUE);
    worker.registerWorkflowImplementationTypes(LeadJourneyWorkflowImpl.class);
    return worker;
  }
}
