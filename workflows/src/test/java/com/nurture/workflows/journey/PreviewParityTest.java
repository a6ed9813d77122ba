package com.nurture.workflows.journey;

import static org.assertj.core.api.Assertions.assertThat;

import com.nurture.workflows.activities.JourneyTransition;
import com.nurture.workflows.activities.SendOutcome;
import com.nurture.workflows.activities.SendRequest;
import com.nurture.workflows.program.Program;
import com.nurture.workflows.program.ProgramParser;
import com.nurture.workflows.scoring.ScoringModel;
import com.nurture.workflows.scoring.ScoringModelParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The preview tells the journey's story exactly as the workflow does: the same scripted lead
 * through the real workflow (time-skipping Temporal) and through {@link JourneyPreview}, for every
 * shipped program, gives the same timeline, entry for entry, to the minute.
 */
class PreviewParityTest {
  private static final Instant START = Instant.parse("2026-06-01T08:00:00Z");
  private static final Duration HORIZON = Duration.ofDays(45);
  private static final ProgramParser PARSER = new ProgramParser(t -> true);
  private static final ScoringModel SCORING = ScoringModelParser.parse(resource("nurture/scoring.yaml"));
  private static final Map<String, Object> LEAD = Map.of("first_name", "Pat", "industry", "logistics",
      "employees", 150, "role", "manager", "timezone", "Europe/London");

  @RegisterExtension
  final JourneyHarness harness = new JourneyHarness(START);

  /** What the lead does, in days from the start. */
  private record Scripted(double day, EventType type, Map<String, Object> properties) {}

  private static final List<Scripted> SCRIPT = List.of(
      new Scripted(1.2, EventType.EMAIL_OPENED, Map.of()),
      new Scripted(2.5, EventType.EMAIL_CLICKED, Map.of()),
      new Scripted(6.1, EventType.CONTENT_DOWNLOADED, Map.of("asset_type", "whitepaper")),
      new Scripted(9.3, EventType.WEBINAR_ATTENDED, Map.of()),
      new Scripted(15.7, EventType.PAGE_VISITED, Map.of("page", "blog")),
      new Scripted(24.4, EventType.PAGE_VISITED, Map.of("page", "pricing")));

  static Stream<String> shipped() {
    return HistoryReplayTest.SHIPPED.stream();
  }

  private static Program program(String id) {
    return PARSER.parse(resource("nurture/programs/" + id + ".yaml"), 1);
  }

  private static JourneyInput input(String leadId, String programId) {
    JourneyInput input = JourneyInput.enrol(leadId, LEAD, program(programId));
    input.state().withScoring(SCORING);
    return input;
  }

  @ParameterizedTest
  @MethodSource("shipped")
  void thePreviewAndTheWorkflowTellTheSameStory(String programId) {
    HistoryReplayTest.SHIPPED.forEach(id -> harness.activities.catalog.put(id, program(id)));
    String leadId = "parity-" + programId;
    LeadJourneyWorkflow wf = harness.start(input(leadId, programId));
    List<LeadEvent> script = new ArrayList<>();
    for (int i = 0; i < SCRIPT.size(); i++) {
      Scripted s = SCRIPT.get(i);
      Instant at = START.plus(Duration.ofMinutes(Math.round(s.day() * 24 * 60)));
      harness.sleep(Duration.between(harness.now(), at));
      LeadEvent event = new LeadEvent("e-" + i, s.type(), harness.now(), s.properties());
      script.add(event);
      try {
        wf.event(event);
      } catch (io.temporal.client.WorkflowNotFoundException ended) {
        // The journey ended before the lead did this: the preview ignores it the same way.
      }
    }
    harness.sleep(Duration.between(harness.now(), START.plus(HORIZON)));
    String journeyKey = harness.activities.transitions.get(0).dedupeKey().split("/")[1];
    List<String> workflow = harness.activities.transitions.stream()
        .filter(t -> !t.at().isAfter(START.plus(HORIZON)))
        .map(t -> line(t.at(), t.kind(), t.detail(), journeyKey)).toList();

    JourneyPreview.Outcome preview = JourneyPreview.run(input(leadId, programId), journeyKey, START,
        START.plus(HORIZON), script, new JourneyPreview.Answers() {
          @Override
          public SendOutcome send(SendRequest r, Instant at) {
            return new SendOutcome(SendOutcome.Status.SENT, "<" + r.idempotencyKey() + ">", "Subject of " + r.template(),
                r.template(), at);
          }

          @Override
          public Optional<Program> load(String id) {
            return Optional.ofNullable(harness.activities.catalog.get(id));
          }
        });
    List<String> previewed = preview.timeline().stream().map(n -> line(n.at(), n.kind(), n.detail(), journeyKey)).toList();

    assertThat(workflow).as("the workflow's timeline").hasSizeGreaterThan(2);
    assertThat(previewed).isEqualTo(workflow);
    if (workflow.stream().anyMatch(l -> l.contains(" handed_off "))) {
      assertThat(preview.handedOffAt()).isPresent();
    }
  }

  /** One timeline entry, with times to the minute (the workflow's clock moves on by milliseconds while it works). */
  private static String line(Instant at, String kind, Map<String, Object> detail, String journeyKey) {
    String d = new java.util.TreeMap<>(detail).toString()
        .replace(journeyKey, "KEY")
        .replaceAll("(\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d):\\d\\d(\\.\\d+)?Z", "$1Z");
    return at.truncatedTo(ChronoUnit.MINUTES) + " " + kind + " " + d;
  }

  private static String resource(String path) {
    try {
      return HistoryRecorder.resource(path);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
