package com.nurture.api.core;

import com.nurture.activities.TestDatabase;
import com.nurture.activities.privacy.HistoryPayloads;
import com.nurture.activities.privacy.LeadPayloadCodec;
import com.nurture.activities.privacy.MasterKeys;
import com.nurture.activities.privacy.StoredDataKeys;
import com.nurture.workflows.journey.LeadJourneyWorkflow;
import com.nurture.workflows.journey.LeadJourneyWorkflowImpl;
import io.temporal.api.history.v1.History;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The payload codec changes nothing for journeys in flight: every recorded history (written in clear,
 * before encryption) replays on a worker whose data converter is the encrypting one every role uses,
 * and so does the same history with every payload encrypted, as histories are written from now on.
 */
public class EncryptedReplayTest {
  private static final Path HISTORIES = Path.of("../workflows/src/test/resources/histories");
  private static TestWorkflowEnvironment env;
  private static Worker worker;
  private static LeadPayloadCodec codec;

  @BeforeAll
  static void start() {
    // api-test.yml's test master key: the tests of this JVM share one database, and its keys.
    codec = new LeadPayloadCodec(new StoredDataKeys(TestDatabase.jdbi(),
        MasterKeys.of("test-1", Map.of("test-1", "dGVzdC1vbmx5LW1hc3Rlci1rZXktMzItYnl0ZXMhISE="))));
    env = TestWorkflowEnvironment.newInstance(TestEnvironmentOptions.newBuilder()
        .setWorkflowClientOptions(WorkflowClientOptions.newBuilder()
            .setDataConverter(TemporalConnection.encrypting(codec)).build())
        .build());
    worker = env.newWorker(LeadJourneyWorkflow.TASK_QUEUE);
    worker.registerWorkflowImplementationTypes(LeadJourneyWorkflowImpl.class);
  }

  @AfterAll
  static void stop() {
    env.close();
  }

  static Stream<Path> histories() throws IOException {
    return Files.list(HISTORIES).filter(p -> p.toString().endsWith(".json")).sorted();
  }

  @ParameterizedTest
  @MethodSource("histories")
  void aHistoryWrittenInClearReplaysThroughTheCodec(Path file) throws Exception {
    worker.replayWorkflowExecution(WorkflowExecutionHistory.fromJson(Files.readString(file)));
  }

  @ParameterizedTest
  @MethodSource("histories")
  void theSameHistoryEncryptedReplays(Path file) throws Exception {
    WorkflowExecutionHistory plain = WorkflowExecutionHistory.fromJson(Files.readString(file));
    worker.replayWorkflowExecution(encrypted(plain, codec.forLead("replay-" + file.getFileName())));
  }

  /**
   * {@code plain} as the SDK writes it through {@code forLead}: every payload through the codec but the
   * markers' own bookkeeping (getVersion's change ids, a local activity's id, type and timing), which
   * it writes with its standard converter; a local activity's input and result go through the codec.
   */
  public static WorkflowExecutionHistory encrypted(WorkflowExecutionHistory plain, LeadPayloadCodec forLead) {
    History.Builder encrypted = History.newBuilder();
    for (HistoryEvent e : plain.getHistory().getEventsList()) {
      if (!e.hasMarkerRecordedEventAttributes()) {
        encrypted.addEvents(HistoryPayloads.map(e, p -> forLead.encode(List.of(p)).get(0)));
        continue;
      }
      var marker = e.getMarkerRecordedEventAttributes().toBuilder();
      if (marker.getMarkerName().equals("LocalActivity")) {
        for (String key : List.of("input", "result")) {
          if (marker.containsDetails(key)) {
            marker.putDetails(key, HistoryPayloads.map(marker.getDetailsOrThrow(key), p -> forLead.encode(List.of(p)).get(0)));
          }
        }
      }
      encrypted.addEvents(e.toBuilder().setMarkerRecordedEventAttributes(marker));
    }
    return new WorkflowExecutionHistory(encrypted.build(), plain.getWorkflowExecution().getWorkflowId());
  }
}
