package com.nurture.workflows.journey;

import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.common.WorkflowExecutionHistory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The rules of {@link ChangeIds}, checked against the workflow's source and the recorded
 * histories: one id, one call site; getVersion called in one place only; every id proven by a
 * recorded history that carries its marker (so its old and new paths both replay).
 */
class ChangeIdsTest {
  private static final Path SOURCES = Path.of("src/main/java");

  @Test
  void everyIdIsUsedAtExactlyOneCallSite() throws IOException {
    String code = workflowSources();
    for (String field : ChangeIds.all().values()) {
      Matcher m = Pattern.compile("\\bChangeIds\\." + field + "\\b").matcher(code);
      int uses = 0;
      while (m.find()) {
        uses++;
      }
      assertThat(uses).as("call sites of ChangeIds.%s", field).isEqualTo(1);
    }
  }

  @Test
  void getVersionIsCalledInOnePlaceWithIdsFromChangeIds() throws IOException {
    String code = workflowSources();
    assertThat(Pattern.compile("Workflow\\.getVersion\\(").matcher(code).results().count()).isEqualTo(1);
    assertThat(code).doesNotContainPattern("getVersion\\(\"");
  }

  @Test
  void idsAreUnique() {
    Map<String, String> all = ChangeIds.all();
    assertThat(all.keySet()).hasSize(ChangeIds.class.getFields().length);
  }

  @Test
  void everyIdHasARecordedHistoryCarryingItsMarker() throws IOException {
    Set<String> recorded = new HashSet<>();
    try (Stream<Path> files = Files.list(HistoryRecorder.DIRECTORY)) {
      for (Path file : files.filter(p -> p.toString().endsWith(".json")).toList()) {
        recorded.addAll(versionMarkers(WorkflowExecutionHistory.fromJson(Files.readString(file)).getEvents()));
      }
    }
    assertThat(recorded).as("change ids carried by the recorded histories")
        .containsAll(ChangeIds.all().keySet());
    assertThat(ChangeIds.all().keySet()).as("every marker in a history is a listed id").containsAll(recorded);
  }

  private static Set<String> versionMarkers(List<HistoryEvent> events) {
    Set<String> ids = new HashSet<>();
    for (HistoryEvent e : events) {
      if (e.hasMarkerRecordedEventAttributes() && e.getMarkerRecordedEventAttributes().getMarkerName().equals("Version")) {
        String json = e.getMarkerRecordedEventAttributes().getDetailsMap().get("changeId").getPayloads(0).getData()
            .toStringUtf8();
        ids.add(json.replace("\"", ""));
      }
    }
    return ids;
  }

  private static String workflowSources() throws IOException {
    StringBuilder all = new StringBuilder();
    try (Stream<Path> files = Files.walk(SOURCES)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java") && !p.endsWith("ChangeIds.java")).toList()) {
        all.append(Files.readString(f)).append('\n');
      }
    }
    return all.toString();
  }
}
