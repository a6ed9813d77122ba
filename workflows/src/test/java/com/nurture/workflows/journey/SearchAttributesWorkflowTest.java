package com.nurture.workflows.journey;

import static org.assertj.core.api.Assertions.assertThat;

import com.nurture.workflows.program.Program;
import com.nurture.workflows.program.ProgramParser;
import com.nurture.workflows.scoring.ScoringModelParser;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowStub;
import io.temporal.common.SearchAttributes;
import io.temporal.common.converter.DefaultDataConverter;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The journey's search attributes follow its transitions (upserted only when one changes), carry no
 * personal data, and every timer and activity of its history has a summary naming its step.
 */
class SearchAttributesWorkflowTest {
  private static final Program PROGRAM = new ProgramParser(t -> true).parse("""
      id: nurture
      send_policy: none
      steps:
        - { id: hello, send: { template: hello, variants: [ { id: a, subject: "Hi there" }, { id: b, subject: "Hi there" } ] } }
        - { id: long, wait: 60d }
        - { id: after, send: after }
      """, 1);
  private static final Map<String, Object> OWNED = Map.of("owner_id", "sdr-7", "owner_email", "owner@example.com");

  @RegisterExtension
  final JourneyHarness harness = new JourneyHarness(Instant.parse("2026-06-02T09:00:00Z"));

  @Test
  void searchAttributesFollowStatusStepAndScore() throws Exception {
    JourneyInput input = JourneyInput.enrol("searchable", OWNED, PROGRAM);
    input.state().withScoring(ScoringModelParser.parse(HistoryRecorder.resource("nurture/scoring.yaml")));
    LeadJourneyWorkflow wf = harness.start(input);
    harness.sleep(Duration.ofHours(1));
    SearchAttributes enrolled = attributes(wf);
    assertThat(enrolled.get(JourneySearchAttributes.STATUS)).isEqualTo("ACTIVE");
    assertThat(enrolled.get(JourneySearchAttributes.PROGRAM)).isEqualTo("nurture");
    assertThat(enrolled.get(JourneySearchAttributes.PROGRAM_VERSION)).isEqualTo(1L);
    assertThat(enrolled.get(JourneySearchAttributes.STEP)).isEqualTo("long");
    assertThat(enrolled.get(JourneySearchAttributes.OWNER)).isEqualTo("sdr-7");

    wf.event(harness.event("p-1", EventType.PAGE_VISITED, Map.of("page", "blog")));
    wf.event(harness.event("r-1", EventType.REPLIED, Map.of("channel", "email")));
    harness.sleep(Duration.ofHours(1));
    SearchAttributes held = attributes(wf);
    assertThat(held.get(JourneySearchAttributes.STATUS)).isEqualTo("WAITING_FOR_HUMAN");
    assertThat(held.get(JourneySearchAttributes.SCORE)).isPositive();
    assertThat(held.get(JourneySearchAttributes.STEP)).isEqualTo("long");

    wf.command(new JourneyCommand(JourneyCommand.Kind.EXIT, "seen enough", "ops"));
    JourneyHarness.result(wf);
    SearchAttributes ended = attributes(wf);
    assertThat(ended.get(JourneySearchAttributes.STATUS)).isEqualTo(wf.view().status().name());
    assertThat(ended.get(JourneySearchAttributes.OWNER)).isEqualTo("sdr-7");
    // No personal data: the owner's address is not an attribute's value.
    assertThat(ended.getUntypedValues().values()).allSatisfy(v -> assertThat(String.valueOf(v)).doesNotContain("@"));

    // Only on change: each upsert changes at least one value, and there are fewer upserts than
    // transitions written (sending an email moves nothing searchable).
    List<HistoryEvent> events = history("searchable");
    Map<String, Object> current = new HashMap<>();
    events.get(0).getWorkflowExecutionStartedEventAttributes().getSearchAttributes().getIndexedFieldsMap()
        .forEach((k, v) -> current.put(k, v.getData().toStringUtf8()));
    long upserts = 0;
    for (HistoryEvent e : events) {
      if (e.hasUpsertWorkflowSearchAttributesEventAttributes()) {
        upserts++;
        Map<String, Payload> fields = e.getUpsertWorkflowSearchAttributesEventAttributes().getSearchAttributes()
            .getIndexedFieldsMap();
        assertThat(fields).isNotEmpty();
        assertThat(fields).allSatisfy((k, v) -> assertThat(v.getData().toStringUtf8()).isNotEqualTo(current.get(k)));
        fields.forEach((k, v) -> current.put(k, v.getData().toStringUtf8()));
      }
    }
    long transitions = harness.activities.transitions.stream().filter(t -> t.leadId().equals("searchable")).count();
    assertThat(upserts).isPositive().isLessThan(transitions);
    // The shell's change ids, each asked once: search-attributes, merged-records and local-sends.
    assertThat(events).filteredOn(e -> e.hasMarkerRecordedEventAttributes()
        && e.getMarkerRecordedEventAttributes().getMarkerName().equals("Version")).hasSize(3);
  }

  @Test
  void everyTimerAndActivityCarriesASummaryNamingItsStep() {
    LeadJourneyWorkflow wf = harness.start("legible", OWNED, PROGRAM);
    JourneyHarness.result(wf);
    List<HistoryEvent> events = history("legible");
    List<HistoryEvent> scheduled = events.stream().filter(e -> e.hasActivityTaskScheduledEventAttributes()
        || e.hasTimerStartedEventAttributes()
        || (e.hasMarkerRecordedEventAttributes() && e.getMarkerRecordedEventAttributes().getMarkerName().equals("LocalActivity")))
        .toList();
    assertThat(scheduled).hasSizeGreaterThan(4);
    assertThat(scheduled).allSatisfy(e -> assertThat(summary(e)).as("summary of %s", e.getEventType())
        .hasValueSatisfying(s -> assertThat(s).startsWith("nurture")));
    // Both sends are scheduled steps: local activities (change id local-sends), named in their markers.
    assertThat(events).filteredOn(e -> SendLaneWorkflowTest.isLocal(e, "SendEmail"))
        .extracting(e -> summary(e).orElseThrow())
        .satisfiesExactly(s -> assertThat(s).matches("nurture/hello: send hello variant [ab] \"Hi there\""),
            s -> assertThat(s).isEqualTo("nurture/after: send after"));
    assertThat(events).filteredOn(HistoryEvent::hasTimerStartedEventAttributes).extracting(e -> summary(e).orElseThrow())
        .singleElement().satisfies(s -> assertThat(s).startsWith("nurture/long: wait until 2026-08-01T09:00").endsWith("(ACTIVE)"));
  }

  private SearchAttributes attributes(LeadJourneyWorkflow wf) {
    return WorkflowStub.fromTyped(wf).describe().getTypedSearchAttributes();
  }

  private List<HistoryEvent> history(String leadId) {
    return harness.client.fetchHistory(LeadJourneyWorkflow.workflowId(leadId)).getEvents();
  }

  private static Optional<String> summary(HistoryEvent e) {
    if (!e.hasUserMetadata() || !e.getUserMetadata().hasSummary()) {
      return Optional.empty();
    }
    return Optional.of(DefaultDataConverter.STANDARD_INSTANCE.fromPayload(e.getUserMetadata().getSummary(), String.class,
        String.class));
  }
}
