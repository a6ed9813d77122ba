package com.nurture.api;

import static com.nurture.api.TestApi.MA;
import static com.nurture.api.TestApi.OPS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.util.JsonFormat;
import com.icegreen.greenmail.util.GreenMail;
import com.nurture.activities.TestSmtp;
import com.nurture.activities.privacy.PayloadCipher;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.history.v1.History;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryRequest;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Erasure and export through the real stack (API and worker in one process, Temporal's test server,
 * PostgreSQL, SMTP): payloads encrypted in Temporal, rows scrubbed, the journey ended, the address
 * suppressed by its hash only, the key destroyed; and the codec endpoint.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class ErasureApiTest {
  private static final GreenMail SMTP = TestSmtp.start();
  static final DropwizardAppExtension<NurtureConfiguration> APP = TestApi.allInOne(SMTP);
  private static final TestApi API = new TestApi(APP);

  private static final String UI = "http://localhost:8233";
  private static final HttpClient BROWSER = HttpClient.newHttpClient();

  private static URI codecUri(String operation) {
    return URI.create("http://localhost:" + APP.getLocalPort() + "/codec/" + operation);
  }

  @AfterAll
  static void stop() {
    SMTP.stop();
    API.close();
  }

  /** A lead with a name, a company and an event property, enrolled and sent its first email. */
  private record Enrolled(String lead, String email, List<String> personal) {}

  private static Enrolled enrolled() {
    String tag = UUID.randomUUID().toString().substring(0, 8);
    String email = "erase-" + tag + "@example.com";
    String first = "Adelheid" + tag;
    String company = "Zebracorp" + tag;
    String property = "secret-page-" + tag;
    String program = API.clickWaitProgram();
    String lead = API.lead(email, Map.of("first_name", first, "company", company));
    API.json(API.call("/v1/leads/" + lead + "/journey", MA).post(Entity.json(Map.of("program", program))), 201);
    await().atMost(Duration.ofSeconds(30)).until(() -> TestSmtp.mailTo(SMTP, email).size() == 1);
    await().atMost(Duration.ofSeconds(10)).until(() -> API.journey(lead).path("current_step").asText().equals("wait-click"));
    API.json(API.call("/v1/leads/" + lead + "/events", MA).post(Entity.json(Map.of("id", "ev-" + tag,
        "type", "page_visited", "properties", Map.of("url", "https://acme.example/" + property)))), 202);
    return new Enrolled(lead, email, List.of(email, first, company, property));
  }

  private static History rawHistory(String lead) {
    var temporal = APP.<NurtureApplication>getApplication().temporal();
    return temporal.service().blockingStub().getWorkflowExecutionHistory(GetWorkflowExecutionHistoryRequest.newBuilder()
        .setNamespace(temporal.namespace())
        .setExecution(WorkflowExecution.newBuilder().setWorkflowId("lead-" + lead)).build()).getHistory();
  }

  private static String text(History h) throws Exception {
    return JsonFormat.printer().print(h);
  }

  @Test
  void erasureScrubsEveryRowEndsTheJourneyShredsTheHistoryAndKeepsTheAddressSuppressed() throws Exception {
    Enrolled e = enrolled();
    await().atMost(Duration.ofSeconds(10)).until(() -> API.get("/v1/leads/" + e.lead() + "/journey/history?limit=1000", OPS)
        .toString().contains(e.personal().get(3)));

    // In Temporal every payload of the journey is encrypted with the lead's key: nothing personal in clear.
    History before = rawHistory(e.lead());
    String stored = new String(before.toByteArray(), java.nio.charset.StandardCharsets.ISO_8859_1);
    e.personal().forEach(p -> assertThat(stored).doesNotContain(p));
    Payload input = before.getEvents(0).getWorkflowExecutionStartedEventAttributes().getInput().getPayloads(0);
    assertThat(PayloadCipher.isSealed(input)).isTrue();
    String keyId = PayloadCipher.keyIdOf(input);
    // The API's history decrypts them for operators.
    String readable = API.get("/v1/leads/" + e.lead() + "/journey/history?limit=1000", OPS).toString();
    assertThat(readable).contains(e.personal().get(1)).contains(e.personal().get(2)).contains(e.personal().get(3));

    String exported = API.get("/v1/leads/" + e.lead() + "/export", OPS).toString();
    e.personal().forEach(p -> assertThat(exported).as("the export holds everything").contains(p));

    assertThat(API.call("/v1/leads/" + e.lead(), OPS).delete().getStatus()).isEqualTo(204);
    assertThat(API.call("/v1/leads/" + e.lead(), OPS).delete().getStatus()).as("idempotent").isEqualTo(204);
    assertThat(API.call("/v1/leads/nobody-" + UUID.randomUUID(), OPS).delete().getStatus()).isEqualTo(404);
    assertThat(API.call("/v1/leads/" + e.lead(), MA).delete().getStatus()).as("operators only").isEqualTo(403);

    var temporal = APP.<NurtureApplication>getApplication().temporal();
    assertThat(temporal.service().blockingStub().describeWorkflowExecution(DescribeWorkflowExecutionRequest.newBuilder()
        .setNamespace(temporal.namespace()).setExecution(WorkflowExecution.newBuilder().setWorkflowId("lead-" + e.lead()))
        .build()).getWorkflowExecutionInfo().getStatus()).isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_TERMINATED);

    // Rows: nothing personal left anywhere, the export says so; the key is destroyed.
    JsonNode after = API.get("/v1/leads/" + e.lead() + "/export", OPS);
    assertThat(after.path("erased").asBoolean()).isTrue();
    e.personal().forEach(p -> assertThat(after.toString()).doesNotContain(p));
    JsonNode tables = after.path("tables");
    assertThat(tables.path("events").path(0).path("type").asText()).isEqualTo("page_visited");
    assertThat(tables.path("messages").path(0).path("status").asText()).isEqualTo("sent");
    assertThat(tables.path("suppressions").path(0).path("email").asText()).startsWith("sha256:");
    assertThat(tables.path("lead_keys").path(0).path("key_id").asText()).isEqualTo(keyId);
    assertThat(tables.path("lead_keys").path(0).path("destroyed_at").isTextual()).isTrue();
    assertThat(API.call("/v1/leads/" + e.lead(), OPS).get().getStatus()).isEqualTo(404);
    assertThat(API.call("/v1/leads/" + e.lead() + "/events", MA).post(Entity.json(Map.of("id", "late", "type", "page_visited")))
        .getStatus()).as("an erased lead takes no events").isEqualTo(404);

    // Temporal's copy is unreadable for good: the codec cannot decrypt it, the API's history shows ciphertext only.
    var converter = (io.temporal.payload.codec.PayloadCodec) temporal.client().getOptions().getDataConverter();
    Payload sealed = rawHistory(e.lead()).getEvents(0).getWorkflowExecutionStartedEventAttributes().getInput().getPayloads(0);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> converter.decode(List.of(sealed)))
        .hasMessageContaining("destroyed");
    String shredded = text(rawHistory(e.lead()));
    e.personal().forEach(p -> assertThat(shredded).doesNotContain(p));

    // The address is never mailed again: a new lead with it cannot be enrolled.
    String again = API.lead(e.email(), Map.of("first_name", "Again"));
    String program = API.clickWaitProgram();
    Response refused = API.call("/v1/leads/" + again + "/journey", MA).post(Entity.json(Map.of("program", program)));
    assertThat(API.json(refused, 409).path("detail").asText()).contains("suppression");
    assertThat(TestSmtp.mailTo(SMTP, e.email())).hasSize(1);
  }

  @Test
  void theCodecEndpointDecryptsForOperatorsAndAnswersTheWebUisPreflight() throws Exception {
    Enrolled e = enrolled();
    Payload sealed = rawHistory(e.lead()).getEvents(0).getWorkflowExecutionStartedEventAttributes().getInput().getPayloads(0);
    String body = JsonFormat.printer().print(io.temporal.api.common.v1.Payloads.newBuilder().addPayloads(sealed));

    Response unauthenticated = API.call("/codec/decode", null).post(Entity.json(body));
    assertThat(unauthenticated.getStatus()).isEqualTo(401);
    assertThat(API.call("/codec/decode", MA).post(Entity.json(body)).getStatus()).isEqualTo(403);

    // The browser's calls (java.net.http: Jersey's client may not send an Origin header).
    HttpResponse<String> decoded = BROWSER.send(HttpRequest.newBuilder(codecUri("decode"))
        .header("Origin", UI).header("X-Namespace", "default").header("Authorization", "Bearer " + OPS)
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
    String answer = decoded.body();
    assertThat(decoded.statusCode()).as(answer).isEqualTo(200);
    assertThat(decoded.headers().firstValue("Access-Control-Allow-Origin")).contains(UI);
    var payloads = io.temporal.api.common.v1.Payloads.newBuilder();
    JsonFormat.parser().merge(answer, payloads);
    assertThat(payloads.getPayloads(0).getMetadataOrThrow("encoding").toStringUtf8()).isEqualTo("json/plain");

    // encode then decode comes back the same (the shared key: the protocol names no lead)
    Payload plain = payloads.getPayloads(0);
    Response encoded = API.call("/codec/encode", OPS).post(Entity.json(JsonFormat.printer().print(
        io.temporal.api.common.v1.Payloads.newBuilder().addPayloads(plain))));
    String sealedAgain = encoded.readEntity(String.class);
    assertThat(sealedAgain).doesNotContain(plain.getData().toStringUtf8());
    Response back = API.call("/codec/decode", OPS).post(Entity.json(sealedAgain));
    var roundTrip = io.temporal.api.common.v1.Payloads.newBuilder();
    JsonFormat.parser().merge(back.readEntity(String.class), roundTrip);
    assertThat(roundTrip.getPayloads(0)).isEqualTo(plain);

    HttpResponse<String> preflight = BROWSER.send(HttpRequest.newBuilder(codecUri("decode")).header("Origin", UI)
        .header("Access-Control-Request-Method", "POST").method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(preflight.statusCode()).isEqualTo(204);
    assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).contains(UI);
    assertThat(preflight.headers().firstValue("Access-Control-Allow-Headers").orElse(""))
        .contains("Authorization").contains("X-Namespace");
    HttpResponse<String> stranger = BROWSER.send(HttpRequest.newBuilder(codecUri("decode")).header("Origin", "https://evil.example")
        .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(stranger.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();

    // After erasure the endpoint answers the payload as it came: still encrypted.
    assertThat(API.call("/v1/leads/" + e.lead(), OPS).delete().getStatus()).isEqualTo(204);
    String afterErasure = API.call("/codec/decode", OPS).post(Entity.json(body)).readEntity(String.class);
    var still = io.temporal.api.common.v1.Payloads.newBuilder();
    JsonFormat.parser().merge(afterErasure, still);
    assertThat(still.getPayloads(0)).isEqualTo(sealed);
  }
}
