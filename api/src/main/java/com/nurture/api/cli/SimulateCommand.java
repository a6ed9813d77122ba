package com.nurture.api.cli;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.nurture.activities.catalog.ProgramCatalog;
import com.nurture.activities.mail.MailSettings;
import com.nurture.activities.mail.TemplateCatalog;
import com.nurture.api.core.Simulator;
import com.nurture.api.errors.ProblemException;
import com.nurture.api.representations.SimulationRequest;
import com.nurture.workflows.program.InvalidProgramException;
import com.nurture.workflows.program.Program;
import com.nurture.workflows.program.ProgramParser;
import io.dropwizard.core.cli.Command;
import io.dropwizard.core.setup.Bootstrap;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.stream.Collectors;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;

/**
 * {@code simulate <program> [script.yaml]}: the offline preview. The program is a YAML file or the
 * id of a shipped program; the script (lead, start, horizon, events; see SimulationRequest) is
 * optional. Needs no database, Temporal or SMTP: it runs the journey core the workflow runs, on a
 * virtual clock ({@link Simulator}).
 */
public class SimulateCommand extends Command {
  public SimulateCommand() {
    super("simulate", "Previews a program's timeline for an imagined lead and scripted events");
  }

  @Override
  public void configure(Subparser subparser) {
    subparser.addArgument("program").help("a program YAML file, or the id of a shipped program");
    subparser.addArgument("script").nargs("?").help("YAML: lead, start, horizon, events [{at, type, step, properties}]");
    subparser.addArgument("--json").action(net.sourceforge.argparse4j.impl.Arguments.storeTrue())
        .help("print the timeline as JSON");
  }

  @Override
  public void run(Bootstrap<?> bootstrap, Namespace namespace) throws Exception {
    ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
        .setLevel(ch.qos.logback.classic.Level.ERROR);
    TemplateCatalog templates = new TemplateCatalog();
    ProgramParser parser = new ProgramParser(templates::exists);
    String programArg = namespace.getString("program");
    Path file = Path.of(programArg);
    String source = Files.isRegularFile(file) ? Files.readString(file)
        : ProgramCatalog.shippedSource(programArg).orElseThrow(() ->
            new IllegalArgumentException(programArg + " is neither a file nor a shipped program"));
    ObjectMapper yaml = new YAMLMapper().registerModule(new JavaTimeModule())
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    String scriptArg = namespace.getString("script");
    SimulationRequest request = scriptArg == null ? new SimulationRequest(null, null, null, null, null, null)
        : yaml.readValue(Path.of(scriptArg).toFile(), SimulationRequest.class);
    Program program;
    Simulator.Script script;
    try {
      program = parser.parse(source, 1);
      script = request.script(Clock.systemUTC());
    } catch (InvalidProgramException e) {
      e.errors().forEach(err -> System.err.println(err));
      throw new IllegalArgumentException("the program is invalid");
    } catch (ProblemException e) {
      e.problem().errors().forEach(err -> System.err.println(err.field() + ": " + err.message()));
      throw new IllegalArgumentException("the script is invalid");
    }
    MailSettings mail = new MailSettings("hello@example.com", "Sam from Example Co", "Example Co", "Example Pipeline",
        "1 Example Street, Springfield", URI.create("https://example.com"), "unsubscribe@example.com",
        "https://example.com/resources");
    Simulator simulator = new Simulator(templates, mail,
        id -> ProgramCatalog.shippedSource(id).map(s -> parser.parse(s, 1)),
        java.util.Optional.of(ProgramCatalog.shippedScoringModel()));
    Simulator.Result result = simulator.run(program, script);
    if (namespace.getBoolean("json")) {
      System.out.println(new ObjectMapper().registerModule(new JavaTimeModule())
          .disable(com.fasterxml.jackson.databind.SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .writerWithDefaultPrettyPrinter()
          .writeValueAsString(com.nurture.api.representations.SimulationResponse.of(result)));
      return;
    }
    System.out.printf("%s from %s: %s%s (simulated in %d ms)%n", result.program(), result.start(), result.status(),
        result.reason().isEmpty() ? "" : " - " + result.reason(), result.elapsedMillis());
    for (Simulator.Entry e : result.timeline()) {
      System.out.printf("  day %7.2f  %-22s %s%n", e.day(), e.kind(), e.detail().entrySet().stream()
          .map(x -> x.getKey() + "=" + x.getValue()).collect(Collectors.joining("  ")));
    }
  }
}
