package com.nurture.api;

import static com.nurture.api.TestApi.MA;
import static com.nurture.api.TestApi.OPS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.nurture.activities.TestSmtp;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The suppression list through the API: list, look up, add (idempotent), remove (audited) and CSV
 * import, with the same set-up as ApiTest.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class SuppressionsApiTest {
  private static final GreenMail SMTP = TestSmtp.start();

  static final DropwizardAppExtension<NurtureConfiguration> APP = TestApi.allInOne(SMTP);

  private static final TestApi API = new TestApi(APP);
  private static final jakarta.ws.rs.client.Client CLIENT = jakarta.ws.rs.client.ClientBuilder.newClient();

  @AfterAll
  static void stop() {
    SMTP.stop();
    API.close();
    CLIENT.close();
  }

  private static String address(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
  }

  private static Response put(String email, Map<String, Object> body) {
    return API.call("/v1/suppressions/" + email, OPS).put(Entity.json(body));
  }

  private static Response importCsv(String csv) {
    return API.call("/v1/suppressions:import", OPS).post(Entity.entity(csv, "text/csv"));
  }

  @Test
  void addingIsIdempotentAndComparesAddressesLowerCased() {
    String email = address("Pat");
    JsonNode added = API.json(put(email.toUpperCase(), Map.of("reason", "asked by phone", "source", "support")), 201);
    assertThat(added.path("email").asText()).isEqualTo(email.toLowerCase());
    assertThat(added.path("reason").asText()).isEqualTo("asked by phone");
    assertThat(added.path("source").asText()).isEqualTo("support");
    assertThat(added.path("added_by").asText()).isEqualTo("ops");
    assertThat(added.path("at").asText()).endsWith("Z");

    JsonNode again = API.json(put(email, Map.of("reason", "another reason")), 200);
    assertThat(again.path("reason").asText()).as("the first reason is kept").isEqualTo("asked by phone");
    assertThat(API.json(API.call("/v1/suppressions/" + email.toLowerCase(), OPS).get(), 200).path("source").asText())
        .isEqualTo("support");
    assertThat(API.json(put(address("dflt"), Map.of("reason", "r")), 201).path("source").asText()).isEqualTo("operator");
  }

  @Test
  void badInputIsA422NamingTheField() {
    assertThat(API.problemFields(put("not-an-address", Map.of("reason", "x")))).containsExactly("email");
    assertThat(API.problemFields(put("pat@localhost", Map.of("reason", "x")))).containsExactly("email");
    assertThat(API.problemFields(put(address("r"), Map.of()))).containsExactly("reason");
    assertThat(API.problemFields(put(address("r"), Map.of("reason", "  ")))).containsExactly("reason");
    assertThat(API.problemFields(put(address("r"), Map.of("reason", "line\nbreak")))).containsExactly("reason");
    assertThat(API.problemFields(put(address("r"), Map.of("reason", "x".repeat(501))))).containsExactly("reason");
    assertThat(API.problemFields(put(address("r"), Map.of("reason", "x", "source", "y".repeat(101))))).containsExactly("source");
    assertThat(API.problemFields(put("nope", Map.of()))).containsExactlyInAnyOrder("email", "reason");
    assertThat(API.problemFields(put(address("r"), Map.of("reason", "x", "why", "y")))).containsExactly("why");
    assertThat(API.problemFields(API.call("/v1/suppressions/nope", OPS).get())).containsExactly("email");
  }

  @Test
  void anAddressNotSuppressedIsA404Problem() {
    Response r = API.call("/v1/suppressions/" + address("absent"), OPS).get();
    JsonNode problem = API.json(r, 404);
    assertThat(r.getMediaType().toString()).startsWith("application/problem+json");
    assertThat(problem.path("detail").asText()).contains("not suppressed");
  }

  @Test
  void onlyOperatorsManageTheList() {
    assertThat(API.call("/v1/suppressions", MA).get().getStatus()).isEqualTo(403);
    assertThat(API.call("/v1/suppressions", null).get().getStatus()).isEqualTo(401);
    assertThat(API.call("/v1/suppressions/" + address("x"), MA).put(Entity.json(Map.of("reason", "x"))).getStatus())
        .isEqualTo(403);
    assertThat(API.call("/v1/suppressions:import", MA).post(Entity.entity("email,reason\n", "text/csv")).getStatus())
        .isEqualTo(403);
  }

  @Test
  void listsNewestFirstInPages() {
    List<String> mine = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      String email = address("list" + i);
      API.json(put(email, Map.of("reason", "r" + i)), 201);
      mine.add(email);
    }
    JsonNode first = API.json(API.call("/v1/suppressions", OPS).get(), 200);
    assertThat(first.path("items").size()).isGreaterThanOrEqualTo(3);
    JsonNode page = API.json(target("/v1/suppressions?limit=2"), 200);
    assertThat(page.path("items")).hasSize(2);
    assertThat(page.path("items").get(0).path("email").asText()).isEqualTo(mine.get(2));
    assertThat(page.path("items").get(1).path("email").asText()).isEqualTo(mine.get(1));
    JsonNode next = API.json(target("/v1/suppressions?limit=2&cursor=" + page.path("next_cursor").asText()), 200);
    assertThat(next.path("items").get(0).path("email").asText()).isEqualTo(mine.get(0));
    assertThat(API.problemFields(target("/v1/suppressions?cursor=abc"))).containsExactly("cursor");
    assertThat(API.problemFields(target("/v1/suppressions?limit=0"))).containsExactly("limit");
  }

  /** A GET with a query string (TestApi.call takes a path only). */
  private static Response target(String pathAndQuery) {
    return CLIENT.target("http://localhost:" + APP.getLocalPort() + pathAndQuery).request()
        .header("Authorization", "Bearer " + OPS).get();
  }

  @Test
  void aRemovalNeedsAReasonAndIsAudited() throws Exception {
    String email = address("removed");
    API.json(put(email, Map.of("reason", "complained by phone")), 201);

    assertThat(API.problemFields(API.call("/v1/suppressions/" + email, OPS).delete())).containsExactly("reason");
    assertThat(deleteFields(email, "", "")).containsExactly("reason");
    assertThat(deleteFields(email, "", "{\"reason\": 3}")).containsExactly("reason");
    assertThat(deleteFields(email, "reason=%20", "")).containsExactly("reason");
    assertThat(API.json(API.call("/v1/suppressions/" + email, OPS).get(), 200).path("reason").asText())
        .as("still suppressed").isEqualTo("complained by phone");

    JsonNode audit = delete(email, "reason=customer%20asked%20again", "", 200);
    assertThat(audit.path("suppressed").asBoolean()).isFalse();
    JsonNode removal = audit.path("items").get(1);
    assertThat(removal.path("action").asText()).isEqualTo("removed");
    assertThat(removal.path("reason").asText()).isEqualTo("customer asked again");
    assertThat(removal.path("actor").asText()).isEqualTo("ops");
    assertThat(removal.path("suppressed_reason").asText()).isEqualTo("complained by phone");
    assertThat(removal.path("at").asText()).endsWith("Z");

    API.json(API.call("/v1/suppressions/" + email, OPS).get(), 404);
    delete(email, "reason=again", "", 404);
    JsonNode later = API.json(API.call("/v1/suppressions/" + email.toUpperCase() + "/audit", OPS).get(), 200);
    assertThat(later.path("items")).hasSize(2);
    assertThat(later.path("items").get(0).path("action").asText()).isEqualTo("added");
    assertThat(later.path("items").get(0).path("reason").asText()).isEqualTo("complained by phone");

    // The reason may come in a JSON body instead.
    API.json(put(email, Map.of("reason", "again")), 201);
    JsonNode viaBody = delete(email, "", "{\"reason\": \"typo in the address\"}", 200);
    assertThat(viaBody.path("items")).hasSize(4);
    assertThat(viaBody.path("items").get(3).path("reason").asText()).isEqualTo("typo in the address");
  }

  private static List<String> deleteFields(String email, String query, String body) throws Exception {
    JsonNode problem = delete(email, query, body, 422);
    List<String> fields = new ArrayList<>();
    problem.path("errors").forEach(e -> fields.add(e.path("field").asText()));
    return fields;
  }

  /** DELETE with an optional query and JSON body (the JAX-RS client will not send a DELETE body). */
  private static JsonNode delete(String email, String query, String body, int expectedStatus) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + APP.getLocalPort()
            + "/v1/suppressions/" + email + (query.isEmpty() ? "" : "?" + query)))
        .header("Authorization", "Bearer " + OPS);
    if (!body.isEmpty()) {
      b.header("Content-Type", "application/json");
    }
    HttpResponse<String> r = HttpClient.newHttpClient().send(
        b.method("DELETE", body.isEmpty() ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(expectedStatus);
    if (expectedStatus >= 400) {
      assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
    }
    return API.read(r.body());
  }

  @Test
  void importsCsvWithAResultPerRow() {
    String known = address("known");
    API.json(put(known, Map.of("reason", "earlier")), 201);
    String a = address("imp-a");
    String b = address("imp-b");
    String csv = "Email,reason,source\r\n"
        + a.toUpperCase() + ",bounced in old ESP,legacy-esp\r\n"   // 2: added, lower-cased
        + known + ",again,\r\n"                                  // 3: already
        + "not-an-address,x,\r\n"                                // 4: invalid email
        + b + ",,\r\n"                                           // 5: invalid reason
        + "\r\n"                                                 // 6: blank, skipped
        + b + ",\"quoted, with comma\"\r\n"                      // 7: wrong column count
        + "\"" + b + "\",\"quoted, with comma\",\r\n"            // 8: added, source defaults
        + b + ",dup,\r\n";                                       // 9: already (earlier in the file)
    JsonNode result = API.json(importCsv(csv), 200);
    assertThat(result.path("added").asInt()).isEqualTo(2);
    assertThat(result.path("already").asInt()).isEqualTo(2);
    assertThat(result.path("invalid").asInt()).isEqualTo(3);
    JsonNode rows = result.path("rows");
    assertThat(rows).hasSize(7);
    assertRow(rows.get(0), 2, "added", null);
    assertThat(rows.get(0).path("email").asText()).isEqualTo(a.toLowerCase());
    assertRow(rows.get(1), 3, "already", null);
    assertRow(rows.get(2), 4, "invalid", "email");
    assertThat(rows.get(2).has("email")).as("an invalid address is not echoed").isFalse();
    assertRow(rows.get(3), 5, "invalid", "reason");
    assertRow(rows.get(4), 7, "invalid", "row");
    assertRow(rows.get(5), 8, "added", null);
    assertRow(rows.get(6), 9, "already", null);

    JsonNode imported = API.json(API.call("/v1/suppressions/" + a, OPS).get(), 200);
    assertThat(imported.path("source").asText()).isEqualTo("legacy-esp");
    assertThat(imported.path("added_by").asText()).isEqualTo("ops");
    assertThat(API.json(API.call("/v1/suppressions/" + b, OPS).get(), 200).path("source").asText()).isEqualTo("import");
    assertThat(API.json(API.call("/v1/suppressions/" + b + "/audit", OPS).get(), 200).path("items")).hasSize(1);
  }

  private static void assertRow(JsonNode row, int number, String result, String field) {
    assertThat(row.path("row").asInt()).as(row.toString()).isEqualTo(number);
    assertThat(row.path("result").asText()).as(row.toString()).isEqualTo(result);
    if (field == null) {
      assertThat(row.has("field")).as(row.toString()).isFalse();
    } else {
      assertThat(row.path("field").asText()).as(row.toString()).isEqualTo(field);
      assertThat(row.path("message").asText()).isNotBlank();
    }
  }

  @Test
  void aBadCsvIsRefusedWhole() {
    assertThat(API.problemFields(importCsv(""))).containsExactly("header");
    assertThat(API.problemFields(importCsv("email\npat@example.com\n"))).containsExactly("header");
    assertThat(API.problemFields(importCsv("email,reason,owner\n"))).containsExactly("header");
    assertThat(API.problemFields(importCsv("email,reason,email\n"))).containsExactly("header");
    assertThat(API.problemFields(importCsv("email,reason\n\"pat@example.com,x\n"))).containsExactly("body");
    assertThat(API.call("/v1/suppressions:import", OPS).post(Entity.json(Map.of("email", "x"))).getStatus())
        .as("only CSV").isEqualTo(415);
  }

  @Test
  void anImportOverTheLimitsIsA413() {
    StringBuilder big = new StringBuilder("email,reason\n");
    String filler = "x".repeat(400);
    while (big.length() <= 1024 * 1024) {
      big.append("a@example.com,").append(filler).append('\n');
    }
    Response tooBig = importCsv(big.toString());
    JsonNode problem = API.json(tooBig, 413);
    assertThat(tooBig.getMediaType().toString()).startsWith("application/problem+json");
    assertThat(problem.path("detail").asText()).contains("1048576 bytes");

    StringBuilder many = new StringBuilder("email,reason\n");
    for (int i = 0; i <= 10_000; i++) {
      many.append("m").append(i).append("@example.com,r\n");
    }
    assertThat(API.json(importCsv(many.toString()), 413).path("detail").asText()).contains("10000 rows");
    assertThat(API.json(API.call("/v1/suppressions/m0@example.com", OPS).get(), 404).path("status").asInt())
        .as("nothing of a refused import is stored").isEqualTo(404);
  }
}
