package com.nurture.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.nurture.activities.TestDatabase;
import com.nurture.activities.TestSmtp;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The property-based fuzz run of the test command: Schemathesis (PyPI, the version ./nurture test
 * installs) reads /openapi.json from the running application and sends generated requests, valid
 * and invalid, to every keyed operation, with a key holding every role. It fails on any 5xx, any
 * response whose status the description does not list, and any response not valid against its
 * schema. The application has a database of its own (the fuzzer's leads, suppressions and programs
 * stay out of the other tests' way).
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class SchemathesisFuzzTest {
  /** Pinned: ./nurture test installs exactly this version (keep the two in step). */
  static final String VERSION = "4.32.5";
  /** Test cases per operation and phase: a few minutes in all on two cores. */
  private static final int MAX_EXAMPLES = 40;
  private static final GreenMail SMTP = TestSmtp.start();
  static final DropwizardAppExtension<NurtureConfiguration> APP = TestApi.allInOne(SMTP,
      ConfigOverride.config("database.url", ownDatabase()),
      ConfigOverride.config("api_keys[2].roles", "ma,sales,operator"));

  @AfterAll
  static void stop() {
    SMTP.stop();
  }

  /** A fresh database on the shared embedded PostgreSQL server (the application migrates it). */
  private static String ownDatabase() {
    String name = "fuzz_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    TestDatabase.jdbi().useHandle(h -> h.execute("CREATE DATABASE " + name));
    String url = TestDatabase.database().jdbcUrl();
    return url.replaceFirst("(jdbc:postgresql://[^/]+/)[^?]*", "$1" + name);
  }

  @Test
  @Timeout(value = 25, unit = TimeUnit.MINUTES) // the fuzz run itself is given 20 (below)
  void noServerErrorAndEveryResponseAsDescribed() throws Exception {
    Path reportDir = Path.of("target", "schemathesis");
    Files.createDirectories(reportDir);
    Path har = reportDir.resolve("requests.har");
    Path config = reportDir.resolve("schemathesis.toml");
    Files.writeString(config, knownLeads());
    List<String> command = new ArrayList<>(List.of(cli(), "--config-file", config.toString(), "run",
        "http://localhost:" + APP.getLocalPort() + "/openapi.json",
        "--checks", "not_a_server_error,status_code_conformance,response_schema_conformance",
        "--header", "Authorization: Bearer " + TestApi.OPS,
        // The public pages answer HTML and verify their own tokens and signatures (RouteDoorsTest).
        "--exclude-path-regex", "^/(u|confirm|t|console)/|^/console$|^/v1/webhooks/|^/v1/intake/|^/openapi.json$",
        "--max-examples", String.valueOf(MAX_EXAMPLES),
        // Not the coverage phase: on some operations it stops on an error inside Hypothesis (4.32.5).
        "--phases", "examples,fuzzing,stateful",
        // Strings a UTF-8 request can carry: no lone UTF-16 surrogate, which no JSON text on the
        // wire holds (encoded alone it is not UTF-8, refused 400 before any check of the API's own).
        "--generation-codec", "utf-8",
        "--seed", "20261202",
        "--workers", "2",
        "--request-timeout", "20",
        "--suppress-health-check", "all",
        "--continue-on-failure",
        "--output-truncate", "true",
        "--report", "har", "--report-har-path", har.toString()));
    Path output = reportDir.resolve("output.txt");
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile())
        .start();
    boolean done = p.waitFor(20, TimeUnit.MINUTES);
    if (!done) {
      p.destroyForcibly();
    }
    String text = Files.readString(output, StandardCharsets.UTF_8);
    System.out.println(text);
    int requests = requestCount(har);
    System.out.println("schemathesis: " + requests + " requests sent");
    System.out.println(OperationsReached.of(description(reportDir), har).summary());
    assertThat(done).as("the fuzz run finished within 20 minutes").isTrue();
    assertThat(requests).as("requests sent").isGreaterThan(300);
    assertThat(p.exitValue()).as("schemathesis found failures (its output is above and in " + output + ")\n"
        + tail(text)).isZero();
  }

  /** Leads that exist, each with a journey, before the run: its lead operations draw from them. */
  static final List<String> LEADS = List.of("fuzz-lead-1", "fuzz-lead-2", "fuzz-lead-3");

  /**
   * The leads of {@link #LEADS}, made, and the run's configuration: half its lead ids drawn from
   * them (a made-up id is only ever 404, so the operations on a lead never got past it), half
   * generated.
   */
  private static String knownLeads() throws IOException, InterruptedException {
    var client = java.net.http.HttpClient.newHttpClient();
    for (String id : LEADS) {
      assertThat(send(client, "PUT", "/v1/leads/" + id, "{\"email\": \"" + id + "@example.com\", \"consent\": \"opt_in\"}"))
          .as("PUT lead " + id).isIn(200, 201);
      assertThat(send(client, "POST", "/v1/leads/" + id + "/journey", "{}")).as("enrol " + id).isIn(200, 201);
    }
    return "[dictionaries.leads]\nvalues = [" + String.join(", ", LEADS.stream().map(id -> "\"" + id + "\"").toList())
        + "]\n\n[parameters]\n\"path.leadId\" = { dictionary = \"leads\", probability = 0.5 }\n";
  }

  private static int send(java.net.http.HttpClient client, String method, String path, String json)
      throws IOException, InterruptedException {
    var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://localhost:" + APP.getLocalPort() + path))
        .header("Authorization", "Bearer " + TestApi.OPS).header("Content-Type", "application/json")
        .method(method, java.net.http.HttpRequest.BodyPublishers.ofString(json)).build();
    return client.send(request, java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  /** The description the run used, kept beside its record (target/schemathesis/openapi.json). */
  private static Path description(Path reportDir) throws IOException, InterruptedException {
    Path file = reportDir.resolve("openapi.json");
    var client = java.net.http.HttpClient.newHttpClient();
    var request = java.net.http.HttpRequest.newBuilder(
        java.net.URI.create("http://localhost:" + APP.getLocalPort() + "/openapi.json")).build();
    client.send(request, java.net.http.HttpResponse.BodyHandlers.ofFile(file, java.nio.file.StandardOpenOption.CREATE,
        java.nio.file.StandardOpenOption.WRITE, java.nio.file.StandardOpenOption.TRUNCATE_EXISTING));
    return file;
  }

  /** The number of requests the run sent: the entries of its HAR record. */
  private static int requestCount(Path har) throws IOException {
    if (!Files.exists(har)) {
      return 0;
    }
    return new com.fasterxml.jackson.databind.ObjectMapper().readTree(har.toFile()).path("log").path("entries").size();
  }

  private static String tail(String text) {
    return text.length() > 20_000 ? text.substring(text.length() - 20_000) : text;
  }

  /** The schemathesis command: on PATH, or in Python's scripts directory (where pip puts it). */
  static String cli() throws IOException, InterruptedException {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (Files.isExecutable(Path.of(dir, "schemathesis"))) {
        return Path.of(dir, "schemathesis").toString();
      }
    }
    Process p = new ProcessBuilder("python3", "-c", "import sysconfig; print(sysconfig.get_path('scripts'))")
        .redirectErrorStream(true).start();
    String scripts = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    p.waitFor();
    Path cli = Path.of(scripts, "schemathesis");
    assertThat(Files.isExecutable(cli)).as("schemathesis is not installed: ./nurture test installs it "
        + "(python3 -m pip install schemathesis==" + VERSION + ")").isTrue();
    return cli.toString();
  }
}
