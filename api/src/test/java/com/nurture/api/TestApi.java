package com.nurture.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.nurture.activities.TestDatabase;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.ResourceHelpers;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.client.ClientBuilder;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.client.Invocation;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.glassfish.jersey.client.ClientProperties;

/**
 * Calls to a running application under test, with the API keys api-test.yml configures; the same
 * helpers ApiTest has, for the test classes beside it.
 */
final class TestApi implements AutoCloseable {
  static final String MA = "ma-key";
  static final String SALES = "sales-key";
  static final String OPS = "ops-key";

  private final DropwizardAppExtension<NurtureConfiguration> app;
  /** A plain client (no connection pool to exhaust), never following redirects. */
  private final Client client = ClientBuilder.newBuilder().property(ClientProperties.FOLLOW_REDIRECTS, false).build();

  /**
   * The application under test as the tests run it: API and worker in one process (Temporal's test
   * server in-process), on the shared embedded PostgreSQL and this SMTP server, api-test.yml plus
   * {@code more}.
   */
  static DropwizardAppExtension<NurtureConfiguration> allInOne(GreenMail smtp,
      ConfigOverride... more) {
    List<ConfigOverride> overrides = new ArrayList<>(List.of(
        ConfigOverride.config("database.url", TestDatabase.database().jdbcUrl()),
        ConfigOverride.config("smtp.port", String.valueOf(smtp.getSmtp().getPort()))));
    overrides.addAll(List.of(more));
    return new DropwizardAppExtension<>(AllInOneApplication.class,
        ResourceHelpers.resourceFilePath("api-test.yml"),
        overrides.toArray(new ConfigOverride[0]));
  }

  TestApi(DropwizardAppExtension<NurtureConfiguration> app) {
    this.app = app;
  }

  Invocation.Builder call(String path, String key) {
    Invocation.Builder b = client.target("http://localhost:" + app.getLocalPort()).path(path).request();
    return key == null ? b : b.header("Authorization", "Bearer " + key);
  }

  Client client() {
    return client;
  }

  /** GET of a path with its query string as written ({@link #call} would encode the '?'). */
  Response query(String pathAndQuery, String key) {
    Invocation.Builder b = client.target(java.net.URI.create("http://localhost:" + app.getLocalPort() + pathAndQuery))
        .request();
    return (key == null ? b : b.header("Authorization", "Bearer " + key)).get();
  }

  /** {@link #query}, answering 200's JSON. */
  JsonNode get(String pathAndQuery, String key) {
    return json(query(pathAndQuery, key), 200);
  }

  JsonNode json(Response r, int expectedStatus) {
    String body = r.readEntity(String.class);
    assertThat(r.getStatus()).as(body).isEqualTo(expectedStatus);
    return read(body);
  }

  JsonNode read(String body) {
    try {
      return app.getObjectMapper().readTree(body);
    } catch (Exception e) {
      throw new AssertionError(body, e);
    }
  }

  /** A 422 problem document: asserts the status and media type, and answers the fields it names. */
  List<String> problemFields(Response r) {
    JsonNode problem = json(r, 422);
    assertThat(r.getMediaType().toString()).startsWith("application/problem+json");
    assertThat(problem.path("status").asInt()).isEqualTo(422);
    List<String> fields = new ArrayList<>();
    problem.path("errors").forEach(e -> fields.add(e.path("field").asText()));
    return fields;
  }

  static String newId(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** Creates a lead (201) with these fields plus consent opt_in; answers its id. */
  String lead(String email, Map<String, Object> fields) {
    String id = newId("crm");
    Map<String, Object> body = new java.util.HashMap<>(fields);
    body.put("email", email);
    body.putIfAbsent("consent", "opt_in");
    json(call("/v1/leads/" + id, MA).put(Entity.json(body)), 201);
    return id;
  }

  JsonNode journey(String leadId) {
    return json(call("/v1/leads/" + leadId + "/journey", OPS).get(), 200);
  }

  /**
   * The signals in the lead's journey's workflow history, in order, as the history endpoint shows them,
   * once it shows at least {@code atLeast}: a signal that arrives while a workflow task runs is written
   * to the history only when that task completes.
   */
  List<JsonNode> signals(String leadId, int atLeast) {
    List<JsonNode> out = new ArrayList<>();
    await().atMost(Duration.ofSeconds(20)).until(() -> {
      out.clear();
      get("/v1/leads/" + leadId + "/journey/history?limit=1000", OPS).path("events").forEach(e -> {
        if (e.path("eventType").asText().equals("EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED")) {
          out.add(e.path("workflowExecutionSignaledEventAttributes"));
        }
      });
      return out.size() >= atLeast;
    });
    return out;
  }

  /** A program that sends the guide (a template with a link) and waits a week for a click on it. */
  String clickWaitProgram() {
    String id = newId("click-wait");
    json(call("/v1/programs/" + id, OPS).put(Entity.entity("""
        id: %s
        send_policy: none
        steps:
          - { id: guide, send: { template: whitepaper-thanks } }
          - id: wait-click
            wait_for: { any: [ { event: email_clicked, step: guide } ], timeout: 7d }
            on_event: clicked
            on_timeout: silent
          - { id: clicked, exit: { reason: clicked the guide, recycle: false } }
          - { id: silent, exit: { reason: no click, recycle: true } }
        """.formatted(id), "application/yaml")), 201);
    return id;
  }

  @Override
  public void close() {
    client.close();
  }

  /** A new temporary directory named from {@code prefix}. */
  public static java.nio.file.Path tempDirectory(String prefix) {
    try {
      return java.nio.file.Files.createTempDirectory(prefix);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
