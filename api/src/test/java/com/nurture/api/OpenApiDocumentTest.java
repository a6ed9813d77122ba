package com.nurture.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.nurture.activities.TestSmtp;
import com.nurture.api.auth.RouteTable;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * GET /openapi.json: an OpenAPI 3.1 document that parses, describing exactly the routes Jersey's
 * resource model holds, each with the security it really has, and the representations' schemas
 * as the API writes them (snake_case).
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class OpenApiDocumentTest {
  private static final GreenMail SMTP = TestSmtp.start();
  static final DropwizardAppExtension<NurtureConfiguration> APP = TestApi.allInOne(SMTP);
  private static final TestApi API = new TestApi(APP);

  @AfterAll
  static void stop() {
    SMTP.stop();
    API.close();
  }

  private static String document() {
    var r = API.call("/openapi.json", null).get();
    String body = r.readEntity(String.class);
    assertThat(r.getStatus()).as("served without a key").isEqualTo(200);
    assertThat(r.getMediaType().toString()).startsWith("application/json");
    return body;
  }

  @Test
  void parsesAsOpenApi31AndListsEveryRouteTheApplicationRegisters() {
    String json = document();
    SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(json);
    assertThat(parsed.getMessages()).as("parser messages").isEmpty();
    OpenAPI api = parsed.getOpenAPI();
    assertThat(api.getOpenapi()).isEqualTo("3.1.0");
    assertThat(api.getSpecVersion()).isEqualTo(io.swagger.v3.oas.models.SpecVersion.V31);

    List<RouteTable.Route> routes = RouteTable.of(APP.getEnvironment().jersey().getResourceConfig());
    TreeSet<String> registered = new TreeSet<>();
    routes.forEach(r -> registered.add(r.method() + " " + r.path()));
    TreeSet<String> described = new TreeSet<>();
    api.getPaths().forEach((path, item) -> item.readOperationsMap()
        .forEach((method, op) -> described.add(method.name() + " " + path)));
    assertThat(described).isEqualTo(registered);

    List<String> wrong = new ArrayList<>();
    for (RouteTable.Route r : routes) {
      Operation op = api.getPaths().get(r.path()).readOperationsMap().get(PathItem.HttpMethod.valueOf(r.method()));
      boolean keyed = op.getSecurity() != null && op.getSecurity().stream().anyMatch(s -> s.containsKey("apiKey"));
      if (keyed == r.roles().isEmpty()) {
        wrong.add(r.method() + " " + r.path() + ": security " + op.getSecurity() + ", roles " + r.roles());
      }
      if (keyed && !op.getResponses().containsKey("401")) {
        wrong.add(r.method() + " " + r.path() + ": no 401 described");
      }
    }
    assertThat(wrong).isEmpty();
  }

  @Test
  void describesTheKeyTheRolesTheRepresentationsAndProblems() {
    JsonNode doc = API.read(document());
    assertThat(doc.at("/components/securitySchemes/apiKey/scheme").asText()).isEqualTo("bearer");
    JsonNode leadGet = doc.at("/paths/~1v1~1leads~1{leadId}/get");
    List<String> roles = new ArrayList<>();
    leadGet.path("x-roles").forEach(n -> roles.add(n.asText()));
    assertThat(roles).containsExactly("ma", "operator");
    assertThat(leadGet.at("/responses/403/content/application~1problem+json/schema/$ref").asText())
        .isEqualTo("#/components/schemas/Problem");
    assertThat(doc.at("/components/schemas/Problem/properties").has("errors")).isTrue();
    // Representations as the API writes them: snake_case, as their @JsonNaming says.
    JsonNode journey = doc.at("/components/schemas/JourneyResponse/properties");
    assertThat(journey.has("lead_id")).as(journey.toString()).isTrue();
    assertThat(journey.has("leadId")).isFalse();
    // The caller (from the API key) is no request body.
    JsonNode command = doc.at("/paths/~1v1~1suppressions~1{email}/put/requestBody/content/application~1json/schema/$ref");
    assertThat(command.asText()).isEqualTo("#/components/schemas/SuppressionRequest");
    // Public routes take no key.
    assertThat(doc.at("/paths/~1t~1o~1{token}/get/security").isArray()).isTrue();
    assertThat(doc.at("/paths/~1t~1o~1{token}/get/security").size()).isZero();
  }

  /**
   * No operation is left with swagger's {@code default} response (any status, no schema: nothing a
   * fuzzer could check): each lists its real success statuses, 200/201/202 with the representation
   * it answers, 204 and redirects without a body.
   */
  @Test
  void everyOperationListsItsSuccessStatusesAndNoDefault() {
    JsonNode doc = API.read(document());
    List<String> wrong = new ArrayList<>();
    int operations = 0;
    for (var path = doc.path("paths").fields(); path.hasNext(); ) {
      var item = path.next();
      for (var op = item.getValue().fields(); op.hasNext(); ) {
        var entry = op.next();
        if (!OPERATIONS.contains(entry.getKey())) {
          continue;
        }
        operations++;
        String name = entry.getKey().toUpperCase(java.util.Locale.ROOT) + " " + item.getKey();
        JsonNode responses = entry.getValue().path("responses");
        if (responses.has("default")) {
          wrong.add(name + ": a default response");
        }
        List<String> success = new ArrayList<>();
        responses.fieldNames().forEachRemaining(code -> {
          if (code.matches("[23][0-9][0-9]")) {
            success.add(code);
          }
        });
        if (success.isEmpty()) {
          wrong.add(name + ": no 2xx or 3xx response");
        }
        for (String code : success) {
          JsonNode content = responses.path(code).path("content");
          boolean bodiless = code.equals("204") || code.startsWith("3");
          if (bodiless && !content.isMissingNode() && !content.isEmpty()) {
            wrong.add(name + ": " + code + " has a body");
          }
          if (!bodiless) {
            if (content.isEmpty()) {
              wrong.add(name + ": " + code + " has no content");
            }
            content.forEach(media -> {
              if (media.path("schema").isEmpty()) {
                wrong.add(name + ": " + code + " has no schema");
              }
            });
          }
        }
      }
    }
    assertThat(operations).as("operations described").isGreaterThan(70);
    assertThat(wrong).isEmpty();

    JsonNode upsert = doc.at("/paths/~1v1~1leads~1{leadId}/put/responses");
    assertThat(upsert.at("/201/content/application~1json/schema/$ref").asText()).isEqualTo("#/components/schemas/LeadResponse");
    assertThat(upsert.at("/200/content/application~1json/schema/$ref").asText()).isEqualTo("#/components/schemas/LeadResponse");
    assertThat(doc.at("/paths/~1v1~1leads~1{leadId}~1events/post/responses/202/content/application~1json/schema/$ref")
        .asText()).isEqualTo("#/components/schemas/EventAccepted");
    assertThat(doc.at("/paths/~1v1~1leads~1{leadId}/delete/responses").has("204")).isTrue();
    assertThat(doc.at("/paths/~1t~1c~1{token}/get/responses").has("302")).isTrue();
    assertThat(doc.at("/paths/~1console~1alerts~1{id}~1ack/post/responses").has("303")).isTrue();
    // A console page is HTML (a string), not the schema of the view object rendering it.
    assertThat(doc.at("/paths/~1console~1overview/get/responses/200/content/text~1html/schema/type").asText())
        .isEqualTo("string");
    assertThat(doc.at("/components/schemas").has("OverviewPage")).as("a view's schema, referenced by nothing").isFalse();
  }

  /**
   * The constraints the API enforces, as the description states them: patterns anchored (Bean
   * Validation matches the whole value), the lead id's on every leadId, no control characters in
   * texts, addresses as emails; and links from the PUT that makes a lead to what reads it.
   */
  @Test
  void statesTheConstraintsTheApiEnforcesAndLinksFromWhatMakesALead() {
    JsonNode doc = API.read(document());
    String leadId = "^(?:" + com.nurture.api.representations.LeadId.PATTERN + ")$";
    assertThat(doc.at("/paths/~1v1~1leads~1{leadId}~1timeline/get/parameters/0/schema/pattern").asText())
        .isEqualTo(leadId);
    JsonNode lead = doc.at("/components/schemas/LeadRequest/properties");
    assertThat(lead.at("/email/format").asText()).isEqualTo("email");
    assertThat(lead.at("/first_name/pattern").asText()).isEqualTo("^(?:[^\\x00-\\x1F\\x7F-\\x9F]*)$");
    assertThat(lead.at("/first_name/maxLength").asInt()).isEqualTo(100);
    assertThat(lead.at("/locale/pattern").asText()).startsWith("^(?:").endsWith(")$");
    // A batch is a list of the single calls' bodies, each with its lead's id (not Jackson's JsonNode).
    assertThat(doc.at("/paths/~1v1~1events:batch/post/requestBody/content/application~1json/schema/$ref").asText())
        .isEqualTo("#/components/schemas/Events");
    assertThat(doc.at("/components/schemas/EventItem").toString()).contains("#/components/schemas/EventRequest", "lead_id");
    JsonNode links = doc.at("/paths/~1v1~1leads~1{leadId}/put/responses/201/links");
    assertThat(links.at("/post_events/operationRef").asText()).isEqualTo("#/paths/~1v1~1leads~1%7BleadId%7D~1events/post");
    assertThat(links.at("/post_events/parameters/leadId").asText()).isEqualTo("$request.path.leadId");
  }

  private static final java.util.Set<String> OPERATIONS =
      java.util.Set.of("get", "put", "post", "delete", "patch", "head", "options", "trace");
}
