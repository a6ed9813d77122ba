package com.nurture.api.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.nurture.activities.catalog.ProgramCatalog;
import com.nurture.activities.mail.MailSettings;
import com.nurture.activities.mail.TemplateCatalog;
import com.nurture.workflows.program.Program;
import com.nurture.workflows.program.ProgramParser;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every shipped program previews to its end (or the horizon), hand-off steps included. */
class SimulatorTest {
  private static final TemplateCatalog TEMPLATES = new TemplateCatalog();
  private static final ProgramParser PARSER = new ProgramParser(TEMPLATES::exists);
  private static final MailSettings MAIL = new MailSettings("hello@example.com", "Sam", "Example Co", "Example",
      "1 Example Street", URI.create("https://example.com"), "unsubscribe@example.com", "https://example.com/r");

  static Stream<String> shipped() throws Exception {
    try (InputStream in = SimulatorTest.class.getClassLoader().getResourceAsStream("nurture/index.yaml")) {
      JsonNode index = new YAMLMapper().readTree(in);
      List<String> ids = new ArrayList<>();
      index.path("programs").forEach(id -> ids.add(id.asText()));
      return ids.stream();
    }
  }

  @ParameterizedTest
  @MethodSource("shipped")
  void previews(String id) throws Exception {
    Program program = PARSER.parse(ProgramCatalog.shippedSource(id).orElseThrow(), 1);
    Simulator simulator = new Simulator(TEMPLATES, MAIL,
        other -> ProgramCatalog.shippedSource(other).map(s -> PARSER.parse(s, 1)), Optional.empty());
    Simulator.Script script = new Simulator.Script(
        Map.of("first_name", "Pat", "industry", "logistics", "timezone", "Europe/London"),
        Instant.parse("2026-03-03T09:00:00Z"), Duration.ofDays(60), List.of());
    // A preview that cannot finish (an activity it lacks) would hang the request: bound it here.
    Simulator.Result result = CompletableFuture.supplyAsync(() -> simulator.run(program, script)).get(60, TimeUnit.SECONDS);

    assertThat(result.program()).isEqualTo(id + "@1");
    assertThat(result.timeline()).extracting(Simulator.Entry::kind).startsWith("enrolled");
    assertThat(result.timeline()).extracting(Simulator.Entry::kind).contains("email_sent");
    if (program.steps().stream().anyMatch(s -> s instanceof com.nurture.workflows.program.HandoffStep)) {
      assertThat(result.timeline()).extracting(Simulator.Entry::kind).contains("handed_off");
    }
  }
}
