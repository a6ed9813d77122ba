package com.nurture.workflows.journey;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The journey core and everything it decides with (programs, conditions, scoring, send policies)
 * imports no Temporal, reads no clock, draws no random number and does no I/O: the workflow and the
 * preview can only tell the same story if the core is a function of its inputs.
 */
class JourneyCoreIsPureTest {
  private static final Path MAIN = Path.of("src/main/java/com/nurture/workflows");
  private static final List<String> CORE = List.of("Journey", "Effect", "StepInterpreter", "EventReactions",
      "Graduation", "SalesLoop", "TrackSwitching", "JourneyClocks", "JourneyState", "JourneyRules", "Assignment",
      "LeadEvent", "TrackOffer", "SuspendedTrack", "Touch", "JourneyView", "JourneyResult", "JourneyInput",
      "SalesFeedback", "JourneyCommand", "JourneyStatus", "EventType");
  private static final Pattern IMPURE = Pattern.compile(
      "import io\\.temporal|import java\\.io\\.|import java\\.net\\.|import java\\.nio\\.file|java\\.util\\.Random"
          + "|import java\\.time\\.Clock|Instant\\.now\\(|System\\.currentTimeMillis|System\\.nanoTime|Math\\.random"
          + "|LocalDate(Time)?\\.now\\(|ThreadLocalRandom|UUID\\.randomUUID|new Thread");

  @Test
  void theCoreAndWhatItDecidesWithArePure() throws IOException {
    List<Path> files = new java.util.ArrayList<>();
    for (String name : CORE) {
      files.add(MAIN.resolve("journey/" + name + ".java"));
    }
    for (String pkg : List.of("program", "condition", "scoring", "policy")) {
      try (Stream<Path> all = Files.walk(MAIN.resolve(pkg))) {
        // The parsers read YAML text when a program is published; the core never calls them.
        all.filter(p -> p.toString().endsWith(".java") && !p.getFileName().toString().endsWith("Parser.java")
            && !p.getFileName().toString().equals("YamlLines.java")).forEach(files::add);
      }
    }
    for (String record : List.of("SendOutcome", "SendRequest", "HandOff", "OperatorAlert")) {
      files.add(MAIN.resolve("activities/" + record + ".java"));
    }
    assertThat(files).hasSizeGreaterThan(30);
    for (Path file : files) {
      String code = Files.readString(file);
      assertThat(IMPURE.matcher(code).find()).as("%s is pure", file).isFalse();
    }
  }
}
