package com.nurture.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.nurture.activities.TestSmtp;
import com.nurture.activities.mail.ReceivedMail;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import jakarta.mail.internet.MimeMessage;
import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.client.ClientBuilder;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.client.Invocation;
import jakarta.ws.rs.client.WebTarget;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.glassfish.jersey.client.ClientProperties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The REST contract through the running application: real PostgreSQL, real SMTP (GreenMail), the
 * journey workflow on Temporal's in-process server.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class ApiTest {
  private static final String MA = "ma-key";
  private static final String SALES = "sales-key";
  private static final String OPS = "ops-key";
  private static final GreenMail SMTP = TestSmtp.start();

  private static final String WEBHOOK_SECRET = "whsec_" + java.util.Base64.getEncoder()
      .encodeToString("a-sales-webhook-secret-for-tests".getBytes(java.nio.charset.StandardCharsets.UTF_8));
  /** The sales system: a real HTTP endpoint that refuses each message's first delivery, then accepts. */
  private static final List<Map<String, String>> WEBHOOKS = new java.util.concurrent.CopyOnWriteArrayList<>();
  private static final com.sun.net.httpserver.HttpServer RECEIVER = startReceiver();

  static final DropwizardAppExtension<NurtureConfiguration> APP = TestApi.allInOne(SMTP,
      ConfigOverride.config("sales.webhook_url", "http://127.0.0.1:" + RECEIVER.getAddress().getPort() + "/hooks/sales"),
      ConfigOverride.config("sales.webhook_secret", WEBHOOK_SECRET));

  private static com.sun.net.httpserver.HttpServer startReceiver() {
    try {
      com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
          new java.net.InetSocketAddress("127.0.0.1", 0), 0);
      server.createContext("/hooks/sales", exchange -> {
        String body = new String(exchange.getRequestBody().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        String webhookId = exchange.getRequestHeaders().getFirst("webhook-id");
        boolean firstTry = WEBHOOKS.stream().noneMatch(w -> w.get("id").equals(webhookId));
        WEBHOOKS.add(Map.of("id", webhookId,
            "timestamp", exchange.getRequestHeaders().getFirst("webhook-timestamp"),
            "signature", exchange.getRequestHeaders().getFirst("webhook-signature"), "body", body));
        // Every message's first delivery is refused: each must be retried until accepted.
        int status = firstTry ? 503 : 204;
        exchange.sendResponseHeaders(status, -1);
        exchange.close();
      });
      server.start();
      return server;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @AfterAll
  static void stopSmtp() {
    SMTP.stop();
    RECEIVER.stop(0);
    CLIENT.close();
  }

  /** A plain client (no connection pool to exhaust), never following redirects. */
  private static final Client CLIENT = ClientBuilder.newBuilder()
      .property(ClientProperties.FOLLOW_REDIRECTS, false).build();

  private static WebTarget target(String path) {
    return CLIENT.target("http://localhost:" + APP.getLocalPort()).path(path);
  }

  private static Invocation.Builder call(String path, String key) {
    return auth(target(path).request(), key);
  }

  private static Invocation.Builder auth(Invocation.Builder b, String key) {
    return key == null ? b : b.header("Authorization", "Bearer " + key);
  }

  private static String newLead(String email) {
    String id = "crm-" + UUID.randomUUID().toString().substring(0, 8);
    Response r = call("/v1/leads/" + id, MA).put(Entity.json(Map.of("email", email, "first_name", "Pat",
        "company", "Initech", "industry", "logistics", "timezone", "Europe/London", "consent", "opt_in")));
    assertThat(r.getStatus()).isEqualTo(201);
    return id;
  }

  private static JsonNode json(Response r, int expectedStatus) {
    String body = r.readEntity(String.class);
    assertThat(r.getStatus()).as(body).isEqualTo(expectedStatus);
    try {
      return APP.getObjectMapper().readTree(body);
    } catch (Exception e) {
      throw new AssertionError(body, e);
    }
  }

  private static List<MimeMessage> mailTo(String email) {
    return TestSmtp.mailTo(SMTP, email);
  }

  private static JsonNode journey(String leadId) {
    return json(call("/v1/leads/" + leadId + "/journey", OPS).get(), 200);
  }

  @Test
  void upsertsLeadsIdempotently() {
    String id = newLead("first@example.com");
    JsonNode again = json(call("/v1/leads/" + id, MA).put(Entity.json(Map.of("email", "second@example.com", "employees", 250))), 200);
    assertThat(again.path("email").asText()).isEqualTo("second@example.com");
    assertThat(again.path("attributes").path("employees").asInt()).isEqualTo(250);
    assertThat(json(call("/v1/leads/" + id, OPS).get(), 200).path("email").asText()).isEqualTo("second@example.com");
  }

  @Test
  void refusesMissingKeysAndWrongRolesAsProblems() {
    Response none = call("/v1/leads/x/journey", null).get();
    assertThat(none.getStatus()).isEqualTo(401);
    assertThat(none.getMediaType().toString()).startsWith("application/problem+json");
    assertThat(none.getHeaderString("WWW-Authenticate")).startsWith("Bearer");
    assertThat(call("/v1/leads/x/journey", "wrong-key").get().getStatus()).isEqualTo(401);

    Response wrongRole = call("/v1/leads/x", SALES).put(Entity.json(Map.of("email", "a@b.co")));
    assertThat(wrongRole.getStatus()).isEqualTo(403);
    assertThat(wrongRole.getMediaType().toString()).startsWith("application/problem+json");
    assertThat(call("/v1/leads/x/journey", MA).get().getStatus()).isEqualTo(403);
  }

  @Test
  void namesEveryBadFieldInAProblemDocument() {
    Response bad = call("/v1/leads/crm-bad", MA).put(Entity.json(Map.of("email", "nope", "employees", -1,
        "timezone", "Mars/Base", "consent", "maybe")));
    JsonNode problem = json(bad, 422);
    assertThat(bad.getMediaType().toString()).startsWith("application/problem+json");
    assertThat(problem.path("status").asInt()).isEqualTo(422);
    assertThat(problem.path("errors").findValuesAsText("field")).containsExactly("consent", "email", "employees", "timezone");

    JsonNode typo = json(call("/v1/leads/crm-bad", MA).put(Entity.json(Map.of("email", "a@b.co", "fist_name", "Pat"))), 422);
    assertThat(typo.path("errors").get(0).path("field").asText()).isEqualTo("fist_name");

    JsonNode type = json(call("/v1/leads/crm-bad", MA).put(Entity.json(Map.of("email", "a@b.co", "employees", "many"))), 422);
    assertThat(type.path("errors").get(0).path("field").asText()).isEqualTo("employees");

    assertThat(json(call("/v1/leads/crm-bad", MA).put(Entity.entity("{\"email\":", MediaType.APPLICATION_JSON)), 400)
        .path("detail").asText()).contains("not valid JSON");

    String id = newLead("fields@example.com");
    JsonNode event = json(call("/v1/leads/" + id + "/events", MA).post(Entity.json(Map.of("id", "e", "type", "teleported"))), 422);
    assertThat(event.path("errors").get(0).path("field").asText()).isEqualTo("type");
    assertThat(event.path("errors").get(0).path("message").asText()).contains("page_visited");
    JsonNode noId = json(call("/v1/leads/" + id + "/events", MA).post(Entity.json(Map.of("type", "page_visited"))), 422);
    assertThat(noId.path("errors").get(0).path("field").asText()).isEqualTo("id");
  }

  @Test
  void enrolsOnceAndSendsTheFirstEmailForReal() throws Exception {
    String id = newLead("enrol@example.com");
    JsonNode first = json(call("/v1/leads/" + id + "/journey", MA).post(Entity.json(Map.of("program", "onboarding"))), 201);
    assertThat(first.path("workflow_id").asText()).isEqualTo("lead-" + id);
    JsonNode again = json(call("/v1/leads/" + id + "/journey", MA).post(Entity.json(Map.of("program", "onboarding"))), 200);
    assertThat(again.path("workflow_id").asText()).isEqualTo("lead-" + id);
    assertThat(again.path("program").asText()).isEqualTo("onboarding");

    await().atMost(Duration.ofSeconds(30)).until(() -> mailTo("enrol@example.com").size() == 1);
    MimeMessage welcome = mailTo("enrol@example.com").get(0);
    assertThat(welcome.getSubject()).isEqualTo("Welcome - what to expect");
    assertThat(welcome.getHeader("List-Unsubscribe-Post", null)).isEqualTo("List-Unsubscribe=One-Click");
    assertThat(welcome.getHeader("List-Unsubscribe", null)).contains("<https://nurture.acme.example/u/");
    assertThat(ReceivedMail.part(welcome, "text/plain")).contains("Hi Pat,").contains("1 Harbour Street");

    await().atMost(Duration.ofSeconds(10)).until(() -> journey(id).path("emails_sent").asInt() == 1);
    JsonNode view = journey(id);
    assertThat(view.path("source").asText()).isEqualTo("live");
    assertThat(view.path("status").asText()).isEqualTo("ACTIVE");
    assertThat(view.path("current_step").asText()).isEqualTo("after-welcome");
    assertThat(view.path("next_action_at").asText()).isNotEmpty();
    assertThat(view.path("last_touches").get(0).path("message_id").asText()).isEqualTo(welcome.getMessageID());
  }

  @Test
  void unknownLeadsAndProgramsAre404() {
    assertThat(json(call("/v1/leads/ghost/journey", MA).post(Entity.json(Map.of("program", "onboarding"))), 404)
        .path("detail").asText()).contains("ghost");
    String id = newLead("noprogram@example.com");
    JsonNode p = json(call("/v1/leads/" + id + "/journey", MA).post(Entity.json(Map.of("program", "no-such"))), 404);
    assertThat(p.path("errors").get(0).path("field").asText()).isEqualTo("program");
    assertThat(json(call("/v1/leads/" + id + "/journey", OPS).get(), 404).path("detail").asText()).contains("no journey");
    assertThat(json(call("/v1/leads/ghost/events", MA).post(Entity.json(Map.of("id", "e", "type", "replied"))), 404)
        .path("title").asText()).isEqualTo("Not Found");
  }

  @Test
  void replyPausesForAHumanAndCommandsAreCheckedByTheWorkflow() {
    String id = newLead("reply@example.com");
    json(call("/v1/leads/" + id + "/journey", MA).post(Entity.json(Map.of("program", "onboarding"))), 201);
    await().atMost(Duration.ofSeconds(30)).until(() -> journey(id).path("emails_sent").asInt() == 1);

    JsonNode accepted = json(call("/v1/leads/" + id + "/events", SALES).post(Entity.json(
        Map.of("id", "reply-1", "type", "replied", "properties", Map.of("channel", "email")))), 202);
    assertThat(accepted.path("duplicate").asBoolean()).isFalse();
    assertThat(accepted.path("delivered_to_journey").asBoolean()).isTrue();
    JsonNode duplicate = json(call("/v1/leads/" + id + "/events", MA).post(Entity.json(
        Map.of("id", "reply-1", "type", "replied"))), 202);
    assertThat(duplicate.path("duplicate").asBoolean()).isTrue();

    await().atMost(Duration.ofSeconds(10)).until(() -> journey(id).path("status").asText().equals("WAITING_FOR_HUMAN"));
    // The reply is a task for sales too: a signed webhook, retried until accepted.
    await().atMost(Duration.ofSeconds(30)).until(() -> WEBHOOKS.stream()
        .filter(w -> w.get("body").contains("lead.task_created") && w.get("body").contains(id)).count() >= 2);
    JsonNode task = readJson(WEBHOOKS.stream().filter(w -> w.get("body").contains("lead.task_created")
        && w.get("body").contains(id)).findFirst().orElseThrow().get("body"));
    assertThat(task.path("data").path("kind").asText()).isEqualTo("reply");
    assertThat(task.path("data").path("email").asText()).isEqualTo("reply@example.com");
    JsonNode pause = json(call("/v1/leads/" + id + "/journey/pause", OPS).post(Entity.json(Map.of())), 409);
    assertThat(pause.path("detail").asText()).contains("only an ACTIVE journey can be paused");
    assertThat(call("/v1/leads/" + id + "/journey/resume", MA).post(Entity.json(Map.of())).getStatus()).isEqualTo(403);

    JsonNode resumed = json(call("/v1/leads/" + id + "/journey/resume", OPS).post(Entity.json(Map.of("reason", "called them"))), 200);
    assertThat(resumed.path("status").asText()).isEqualTo("ACTIVE");
    JsonNode paused = json(call("/v1/leads/" + id + "/journey/pause", OPS).post(Entity.json(Map.of())), 200);
    assertThat(paused.path("status").asText()).isEqualTo("PAUSED");
    JsonNode exited = json(call("/v1/leads/" + id + "/journey/exit", OPS).post(Entity.json(Map.of("reason", "bought"))), 200);
    assertThat(exited.path("status").asText()).isEqualTo("COMPLETED");
    assertThat(exited.path("exit_reason").asText()).isEqualTo("bought");

    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      JsonNode timeline = json(call("/v1/leads/" + id + "/timeline", OPS).get(), 200);
      assertThat(timeline.path("items").findValuesAsText("kind")).containsSubsequence(
          "enrolled", "email_sent", "waiting", "event", "waiting_for_human", "resumed", "paused", "exited");
      assertThat(timeline.path("items").findValuesAsText("kind").stream().filter("event"::equals)).hasSize(1);
    });
    JsonNode page = json(call("/v1/leads/" + id + "/timeline", OPS).get(), 200);
    assertThat(page.path("next_cursor").isNull()).isTrue();
    JsonNode firstTwo = json(target("/v1/leads/" + id + "/timeline").queryParam("limit", 2).request().header("Authorization", "Bearer " + OPS).get(), 200);
    assertThat(firstTwo.path("items")).hasSize(2);
    JsonNode rest = json(target("/v1/leads/" + id + "/timeline").queryParam("cursor", firstTwo.path("next_cursor").asText())
        .request().header("Authorization", "Bearer " + OPS).get(), 200);
    assertThat(rest.path("items").get(0).path("kind").asText()).isEqualTo("waiting");
  }

  @Test
  void oneClickUnsubscribeEndsTheJourneyAndSuppressesTheAddressForGood() {
    String id = newLead("leave@example.com");
    json(call("/v1/leads/" + id + "/journey", MA).post(Entity.json(Map.of("program", "onboarding"))), 201);
    await().atMost(Duration.ofSeconds(30)).until(() -> mailTo("leave@example.com").size() == 1);
    String token = ReceivedMail.unsubscribeToken(mailTo("leave@example.com").get(0));

    Response page = call("/u/" + token, null).get();
    assertThat(page.getStatus()).isEqualTo(200);
    assertThat(page.readEntity(String.class)).contains("<form method=\"post\">").contains("l***@example.com");
    int mid = token.indexOf('.') + 10;
    String forged = token.substring(0, mid) + (token.charAt(mid) == 'A' ? 'B' : 'A') + token.substring(mid + 1);
    assertThat(call("/u/" + forged, null)
        .post(Entity.form(new jakarta.ws.rs.core.Form("List-Unsubscribe", "One-Click"))).getStatus()).isEqualTo(400);

    Response done = call("/u/" + token, null).post(Entity.form(new jakarta.ws.rs.core.Form("List-Unsubscribe", "One-Click")));
    assertThat(done.getStatus()).isEqualTo(200);
    assertThat(done.getHeaderString("Location")).isNull();
    assertThat(done.readEntity(String.class)).contains("unsubscribed");
    assertThat(call("/u/" + token, null).post(Entity.text("")).getStatus()).as("repeatable").isEqualTo(200);

    await().atMost(Duration.ofSeconds(10)).until(() -> journey(id).path("status").asText().equals("UNSUBSCRIBED"));
    String other = newLead("LEAVE@example.com");
    assertThat(json(call("/v1/leads/" + other + "/journey", MA).post(Entity.json(Map.of("program", "onboarding"))), 409)
        .path("detail").asText()).contains("suppression list");
    assertThat(mailTo("leave@example.com")).hasSize(1);
  }

  @Test
  void servesTheTemporalHistoryAsPagedJson() {
    String id = newLead("history@example.com");
    json(call("/v1/leads/" + id + "/journey", MA).post(Entity.json(Map.of("program", "onboarding"))), 201);
    await().atMost(Duration.ofSeconds(30)).until(() -> journey(id).path("emails_sent").asInt() == 1);

    JsonNode first = json(target("/v1/leads/" + id + "/journey/history").queryParam("limit", 2).request()
        .header("Authorization", "Bearer " + OPS).get(), 200);
    assertThat(first.path("events")).hasSize(2);
    assertThat(first.path("events").get(0).path("eventType").asText()).isEqualTo("EVENT_TYPE_WORKFLOW_EXECUTION_STARTED");
    String cursor = first.path("next_cursor").asText();
    assertThat(cursor).isEqualTo("2");
    JsonNode second = json(target("/v1/leads/" + id + "/journey/history").queryParam("limit", 100).queryParam("cursor", cursor).request()
        .header("Authorization", "Bearer " + OPS).get(), 200);
    assertThat(second.path("events").get(0).path("eventId").asText()).isEqualTo("3");
    assertThat(second.path("events").findValuesAsText("eventType")).contains("EVENT_TYPE_ACTIVITY_TASK_COMPLETED");
    assertThat(second.path("next_cursor").isNull()).isTrue();
  }

  @Test
  void publishesValidatedVersionsOfProgramsAndServesEachVersion() {
    String id = "catalog-" + UUID.randomUUID().toString().substring(0, 6);
    String v1 = "id: " + id + "\nname: Catalog test\nsteps:\n  - { id: hello, send: { template: onboarding-welcome } }\n";
    Response first = call("/v1/programs/" + id, OPS).put(Entity.entity(v1, "application/yaml"));
    assertThat(json(first, 201).path("version").asInt()).isEqualTo(1);
    assertThat(json(call("/v1/programs/" + id, OPS).put(Entity.entity(v1, "application/yaml")), 200)
        .path("version").asInt()).as("unchanged text: no new version").isEqualTo(1);

    String v2 = v1 + "  - { id: pause, wait: 2d }\n  - { id: again, send: { template: onboarding-problem } }\n";
    JsonNode second = json(call("/v1/programs/" + id, OPS).put(Entity.entity(v2, "text/yaml")), 201);
    assertThat(second.path("version").asInt()).isEqualTo(2);
    assertThat(second.path("versions").findValuesAsText("version")).containsExactly("1", "2");
    assertThat(second.path("definition").path("steps")).hasSize(3);

    assertThat(json(call("/v1/programs/" + id, OPS).get(), 200).path("version").asInt()).isEqualTo(2);
    JsonNode old = json(target("/v1/programs/" + id).queryParam("version", 1).request()
        .header("Authorization", "Bearer " + OPS).get(), 200);
    assertThat(old.path("source").asText()).isEqualTo(v1);
    assertThat(json(call("/v1/programs", OPS).get(), 200).findValuesAsText("id")).contains(id, "onboarding");

    String json = "{\"id\":\"" + id + "\",\"steps\":[{\"id\":\"only\",\"send\":\"onboarding-proof\"}]}";
    assertThat(json(call("/v1/programs/" + id, OPS).put(Entity.json(json)), 201).path("version").asInt()).isEqualTo(3);

    assertThat(json(call("/v1/programs/no-such", OPS).get(), 404).path("status").asInt()).isEqualTo(404);
    assertThat(call("/v1/programs/" + id, MA).put(Entity.entity(v1, "application/yaml")).getStatus()).isEqualTo(403);
  }

  @Test
  void anInvalidProgramIsRefusedWithEveryErrorItsPathAndLine() {
    String bad = """
        id: broken
        steps:
          - { id: a, send: { template: no-such-template } }
          - { id: b, goto: nowhere }
          - { id: c, wait: soon }
        """;
    JsonNode problem = json(call("/v1/programs/broken", OPS).put(Entity.entity(bad, "application/yaml")), 422);
    assertThat(problem.path("errors").findValuesAsText("field"))
        .containsExactlyInAnyOrder("steps[0].send.template", "steps[1].goto", "steps[2].wait");
    assertThat(problem.path("errors").findValues("line")).extracting(JsonNode::asInt).containsExactlyInAnyOrder(3, 4, 5);
    assertThat(json(call("/v1/programs/broken", OPS).get(), 404).path("detail").asText()).contains("broken");

    JsonNode mismatch = json(call("/v1/programs/other", OPS).put(Entity.entity("id: broken\nsteps: []\n", "application/yaml")), 422);
    assertThat(mismatch.path("errors").get(0).path("field").asText()).isEqualTo("id");
    assertThat(json(call("/v1/programs/x", OPS).put(Entity.entity("id: [unclosed", "application/yaml")), 422)
        .path("errors").get(0).path("field").asText()).isEqualTo("body");
  }

  @Test
  void aTriggeringEventStartsOrPreemptsAndTheAudienceKeepsOthersOut() throws Exception {
    String pricing = "pricing-" + UUID.randomUUID().toString().substring(0, 6);
    json(call("/v1/programs/" + pricing, OPS).put(Entity.entity("""
        id: %s
        priority: 60
        send_policy: none
        trigger: { event: page_visited, where: { page: %s } }
        audience: { not: { attribute: industry, eq: competitor } }
        steps:
          - { id: explainer, send: { template: onboarding-proof } }
        on_complete: resume_previous
        """.formatted(pricing, pricing), "application/yaml")), 201);

    // A lead on onboarding visits the pricing page: the pricing program pre-empts, then onboarding resumes.
    String onOnboarding = newLead("preempt@example.com");
    json(call("/v1/leads/" + onOnboarding + "/journey", MA).post(Entity.json(Map.of("program", "onboarding"))), 201);
    await().atMost(Duration.ofSeconds(30)).until(() -> mailTo("preempt@example.com").size() == 1);
    json(call("/v1/leads/" + onOnboarding + "/events", MA).post(Entity.json(
        Map.of("id", "visit-1", "type", "page_visited", "properties", Map.of("page", pricing.toUpperCase())))), 202);
    await().atMost(Duration.ofSeconds(30)).until(() -> mailTo("preempt@example.com").size() == 2);
    assertThat(mailTo("preempt@example.com").get(1).getSubject()).isEqualTo("How one team doubled replies");
    await().atMost(Duration.ofSeconds(10)).until(() -> journey(onOnboarding).path("program").asText().equals("onboarding"));
    JsonNode timeline = json(call("/v1/leads/" + onOnboarding + "/timeline", OPS).get(), 200);
    assertThat(timeline.path("items").findValuesAsText("kind")).contains("preempted", "resumed_previous");

    // A lead with no journey is started on the triggered program.
    String fresh = newLead("fresh-visit@example.com");
    json(call("/v1/leads/" + fresh + "/events", MA).post(Entity.json(
        Map.of("id", "visit-2", "type", "page_visited", "properties", Map.of("page", pricing)))), 202);
    await().atMost(Duration.ofSeconds(30)).until(() -> mailTo("fresh-visit@example.com").size() == 1);
    await().atMost(Duration.ofSeconds(10)).until(() -> journey(fresh).path("status").asText().equals("COMPLETED"));

    // Outside the audience: not started by the trigger, and a 422 on explicit enrolment.
    String rival = "rival-" + UUID.randomUUID().toString().substring(0, 6);
    json(call("/v1/leads/" + rival, MA).put(Entity.json(Map.of("email", "rival@example.com", "industry", "Competitor"))), 201);
    json(call("/v1/leads/" + rival + "/events", MA).post(Entity.json(
        Map.of("id", "visit-3", "type", "page_visited", "properties", Map.of("page", pricing)))), 202);
    JsonNode refused = json(call("/v1/leads/" + rival + "/journey", MA).post(Entity.json(Map.of("program", pricing))), 422);
    assertThat(refused.path("errors").get(0).path("field").asText()).isEqualTo("program");
    assertThat(json(call("/v1/leads/" + rival + "/timeline", OPS).get(), 200).path("items").findValuesAsText("outcome"))
        .containsExactly("not started: the lead is outside the program's audience");
    assertThat(mailTo("rival@example.com")).isEmpty();
  }

  @Test
  void simulatesAPublishedOrDraftProgramWithoutSendingAnything() {
    int before = SMTP.getReceivedMessages().length;
    JsonNode sim = json(call("/v1/programs/whitepaper-follow-up/simulate", OPS).post(Entity.json(Map.of(
        "lead", Map.of("first_name", "Pat", "industry", "Manufacturing", "timezone", "Europe/Berlin"),
        "start", "2026-03-03T09:00:00Z",
        "events", List.of(Map.of("at", "1d", "type", "page_visited", "properties", Map.of("page", "blog")))))), 200);
    assertThat(sim.path("final_status").asText()).isEqualTo("COMPLETED");
    List<JsonNode> sends = new java.util.ArrayList<>();
    sim.path("timeline").forEach(e -> {
      if (e.path("kind").asText().equals("email_sent")) {
        sends.add(e);
      }
    });
    assertThat(sends).extracting(e -> e.path("day").asInt()).containsExactly(0, 3, 7);
    assertThat(sends).extracting(e -> e.path("detail").path("subject").asText())
        .containsExactly("Your guide, and a link", "How a manufacturer did it", "A free 30-minute session");
    assertThat(sim.path("timeline").findValuesAsText("kind")).contains("event", "waiting", "completed");
    assertThat(SMTP.getReceivedMessages()).as("nothing was sent").hasSize(before);

    JsonNode draft = json(call("/v1/programs/draft-preview/simulate", OPS).post(Entity.json(Map.of(
        "start", "2026-03-03T09:00:00Z",
        "source", "id: draft-preview\nsend_policy: none\ngraduate: false\nsteps:\n  - { id: a, send: onboarding-proof }\n"
            + "  - id: w\n    wait_for: { any: [ { event: page_visited, page: pricing } ], timeout: 2d }\n    on_event: go\n"
            + "  - { id: stop, exit: silent }\n  - { id: go, send: onboarding-next-step }\n",
        "events", List.of(Map.of("at", "1d", "type", "page_visited", "properties", Map.of("page", "pricing")))))), 200);
    assertThat(draft.path("timeline").findValuesAsText("kind")).containsSubsequence("waiting_for", "event", "wait_for_met");
    assertThat(draft.path("timeline").findValues("detail").stream().map(d -> d.path("step").asText()).toList())
        .contains("go").doesNotContain("stop");
    assertThat(draft.path("final_status").asText()).isEqualTo("COMPLETED");

    // Scored as a journey scores: a download, then a pricing visit (high intent) hands the lead to sales.
    JsonNode hot = json(call("/v1/programs/whitepaper-follow-up/simulate", OPS).post(Entity.json(Map.of(
        "lead", Map.of("role", "director", "employees", 250, "industry", "logistics"),
        "start", "2026-03-03T09:00:00Z",
        "events", List.of(Map.of("at", "1d", "type", "content_downloaded", "properties", Map.of("asset_type", "whitepaper")),
            Map.of("at", "2d", "type", "page_visited", "properties", Map.of("page", "pricing")))))), 200);
    assertThat(hot.path("scores")).hasSize(2);
    assertThat(hot.path("scores").get(1).path("total").asInt()).isGreaterThan(hot.path("scores").get(0).path("total").asInt());
    assertThat(hot.path("handed_off_at").asText()).startsWith("2026-03-05T09:00");
    assertThat(hot.path("final_status").asText()).startsWith("HANDED_OFF");

    JsonNode bad = json(call("/v1/programs/whitepaper-follow-up/simulate", OPS).post(Entity.json(Map.of(
        "events", List.of(Map.of("at", "soon", "type", "replied"))))), 422);
    assertThat(bad.path("errors").get(0).path("field").asText()).isEqualTo("events[0].at");
  }

  @Test
  void migratesJourneysInFlightByStepIdAndRefusesWhenTheStepIsGone() {
    String id = "mig-" + UUID.randomUUID().toString().substring(0, 6);
    String v1 = "id: " + id + "\nsend_policy: none\nsteps:\n  - { id: hello, send: onboarding-welcome }\n"
        + "  - { id: pause, wait: 10d }\n  - { id: bye, send: onboarding-next-step }\n";
    json(call("/v1/programs/" + id, OPS).put(Entity.entity(v1, "application/yaml")), 201);
    String first = newLead("mig-first@example.com");
    String second = newLead("mig-second@example.com");
    for (String lead : List.of(first, second)) {
      json(call("/v1/leads/" + lead + "/journey", MA).post(Entity.json(Map.of("program", id))), 201);
      await().atMost(Duration.ofSeconds(30)).until(() -> journey(lead).path("current_step").asText().equals("pause"));
    }
    json(call("/v1/programs/" + id, OPS).put(Entity.entity(v1 + "  - { id: extra, send: onboarding-proof }\n",
        "application/yaml")), 201);

    JsonNode moved = json(call("/v1/leads/" + first + "/journey/migrate", OPS).post(Entity.json(Map.of())), 200);
    assertThat(moved.path("program_version").asInt()).isEqualTo(2);
    assertThat(moved.path("current_step").asText()).isEqualTo("pause");
    String v3 = "id: " + id + "\nsend_policy: none\nsteps:\n  - { id: hello, send: onboarding-welcome }\n"
        + "  - { id: bye, send: onboarding-next-step }\n";
    json(call("/v1/programs/" + id, OPS).put(Entity.entity(v3, "application/yaml")), 201);
    JsonNode refused = json(call("/v1/leads/" + first + "/journey/migrate", OPS).post(Entity.json(Map.of())), 409);
    assertThat(refused.path("detail").asText()).contains("its current step 'pause' does not exist in " + id + "@3");

    JsonNode bulk = json(call("/v1/programs/" + id + "/versions/1/migrate", OPS).post(Entity.json(Map.of("version", 2))), 200);
    assertThat(bulk.path("to").asText()).isEqualTo(id + "@2");
    assertThat(bulk.path("migrated").get(0).asText()).isEqualTo(second);
    JsonNode none = json(call("/v1/programs/" + id + "/versions/2/migrate", OPS).post(Entity.json(Map.of())), 200);
    assertThat(none.path("migrated")).isEmpty();
    assertThat(none.path("refused").findValuesAsText("lead_id")).containsExactlyInAnyOrder(first, second);
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(json(call("/v1/leads/" + second + "/timeline", OPS).get(), 200).path("items").findValuesAsText("kind"))
            .contains("migrated"));
  }

  @Test
  void aHandOffIsDeliveredAsASignedWebhookUntilAcceptedAndSalesFeedbackClosesTheLoop() throws Exception {
    String id = "handoff-" + UUID.randomUUID().toString().substring(0, 6);
    json(call("/v1/programs/" + id, OPS).put(Entity.entity("id: " + id + "\nsend_policy: none\nsteps:\n"
        + "  - { id: hello, send: onboarding-welcome }\n  - { id: to-sales, handoff: { reason: asked for pricing } }\n"
        + "  - { id: after, send: onboarding-proof }\n", "application/yaml")), 201);
    String lead = newLead("handoff@example.com");
    assertThat(json(call("/v1/leads/" + lead + "/sales-feedback", SALES).post(Entity.json(Map.of("outcome", "accepted"))),
        404).path("detail").asText()).contains("no journey");
    json(call("/v1/leads/" + lead + "/journey", MA).post(Entity.json(Map.of("program", id))), 201);
    await().atMost(Duration.ofSeconds(30)).until(() -> journey(lead).path("status").asText().equals("HANDED_OFF"));

    // The first delivery is refused (503); Temporal retries until the endpoint accepts it.
    await().atMost(Duration.ofSeconds(30)).until(() -> WEBHOOKS.stream().filter(w -> w.get("body").contains(lead)).count() >= 2);
    List<Map<String, String>> mine = WEBHOOKS.stream().filter(w -> w.get("body").contains(lead)).toList();
    assertThat(mine.get(0).get("id")).isEqualTo(mine.get(1).get("id")).startsWith("msg_");
    for (Map<String, String> w : mine) {
      javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
      mac.init(new javax.crypto.spec.SecretKeySpec(java.util.Base64.getDecoder().decode(WEBHOOK_SECRET.substring(6)), "HmacSHA256"));
      String expected = "v1," + java.util.Base64.getEncoder().encodeToString(mac.doFinal(
          (w.get("id") + "." + w.get("timestamp") + "." + w.get("body")).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
      assertThat(w.get("signature")).isEqualTo(expected);
      assertThat(Math.abs(Long.parseLong(w.get("timestamp")) - java.time.Instant.now().getEpochSecond())).isLessThan(300);
    }
    JsonNode payload = APP.getObjectMapper().readTree(mine.get(1).get("body"));
    assertThat(payload.path("type").asText()).isEqualTo("lead.handed_off");
    assertThat(payload.path("data").path("lead_id").asText()).isEqualTo(lead);
    assertThat(payload.path("data").path("email").asText()).isEqualTo("handoff@example.com");
    assertThat(payload.path("data").path("reason").asText()).isEqualTo("asked for pricing");
    assertThat(payload.path("data").path("sla_due_at").asText()).isNotEmpty();

    assertThat(json(call("/v1/leads/" + lead + "/sales-feedback", SALES).post(Entity.json(Map.of("outcome", "not_now"))), 422)
        .path("errors").get(0).path("field").asText()).isEqualTo("until");
    assertThat(call("/v1/leads/" + lead + "/sales-feedback", MA).post(Entity.json(Map.of("outcome", "accepted"))).getStatus())
        .isEqualTo(403);
    JsonNode accepted = json(call("/v1/leads/" + lead + "/sales-feedback", SALES).post(Entity.json(
        Map.of("outcome", "accepted", "note", "booked a call"))), 200);
    assertThat(accepted.path("status").asText()).isEqualTo("GRADUATED");
    assertThat(json(call("/v1/leads/" + lead + "/sales-feedback", SALES).post(Entity.json(Map.of("outcome", "rejected"))), 409)
        .path("detail").asText()).contains("GRADUATED");
    assertThat(json(call("/v1/alerts", OPS).get(), 200).findValuesAsText("lead_id")).contains(lead);
    // The lead's owner (no owner_email: the configured default) got one email about it.
    List<MimeMessage> owner = mailTo("sdr-desk@acme.example").stream()
        .filter(m -> uncheckedSubject(m).contains("handoff@example.com")).toList();
    assertThat(owner).singleElement().satisfies(m -> {
      assertThat(uncheckedSubject(m)).isEqualTo("Hand-off (normal priority): handoff@example.com");
      assertThat(ReceivedMail.part(m, "text/plain")).contains("Why: asked for pricing").contains("/v1/leads/" + lead + "/sales-feedback");
    });
  }

  private static JsonNode readJson(String body) {
    try {
      return APP.getObjectMapper().readTree(body);
    } catch (Exception e) {
      throw new AssertionError(body, e);
    }
  }

  private static String uncheckedSubject(MimeMessage m) {
    try {
      return m.getSubject();
    } catch (jakarta.mail.MessagingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String leadWith(String email, Map<String, Object> attributes) {
    String id = "crm-" + UUID.randomUUID().toString().substring(0, 8);
    Map<String, Object> body = new java.util.HashMap<>(attributes);
    body.put("email", email);
    body.put("consent", "opt_in");
    json(call("/v1/leads/" + id, MA).put(Entity.json(body)), 201);
    return id;
  }

  @Test
  void enrolmentWithoutAProgramPicksTheTrackOfTheLeadsFitAndEngagement() {
    String highFit = leadWith("cfo@bigco.example", Map.of("employees", 900, "role", "vp", "industry", "software"));
    String lowFit = leadWith("student@uni.example", Map.of("industry", "education"));
    String engaged = leadWith("ops@midco.example", Map.of("employees", 300));
    // Three newsletter forms over three weeks: high engagement (30), but below the velocity rule (10 in 7 days).
    for (int daysAgo : List.of(20, 12, 3)) {
      json(call("/v1/leads/" + engaged + "/events", MA).post(Entity.json(Map.of("id", "f-" + daysAgo, "type",
          "form_submitted", "properties", Map.of("form", "newsletter"),
          "occurred_at", java.time.Instant.now().minus(Duration.ofDays(daysAgo)).toString()))), 202);
    }

    assertThat(json(call("/v1/leads/" + highFit + "/journey", MA).post(Entity.json(Map.of())), 201).path("program").asText())
        .isEqualTo("product-education");
    assertThat(json(call("/v1/leads/" + lowFit + "/journey", MA).post(null), 201).path("program").asText())
        .isEqualTo("general-nurture");
    JsonNode mid = json(call("/v1/leads/" + engaged + "/journey", MA).post(Entity.json(Map.of())), 201);
    assertThat(mid.path("program").asText()).as("medium fit, high engagement").isEqualTo("onboarding");
    // The journey's score carries the events sent before enrolment.
    await().atMost(Duration.ofSeconds(30)).until(() -> journey(engaged).path("score").path("engagement").asInt() == 30);
    assertThat(journey(engaged).path("status").asText()).isEqualTo("ACTIVE");
    await().atMost(Duration.ofSeconds(30)).until(() -> json(call("/v1/leads/" + highFit + "/timeline", OPS).get(), 200)
        .path("items").findValuesAsText("quadrant").contains("high/low"));
    assertThat(json(call("/v1/leads/" + highFit + "/journey", MA).post(Entity.json(Map.of())), 200).path("program").asText())
        .as("idempotent").isEqualTo("product-education");
  }

  @Test
  void aRecycledLeadReEntersOnADownloadThatNoTriggerClaimsOnTheTrackOfItsNewBehaviour() {
    String recycle = "recycle-" + UUID.randomUUID().toString().substring(0, 6);
    json(call("/v1/programs/" + recycle, OPS).put(Entity.entity("id: " + recycle + "\nsend_policy: none\nsteps:\n"
        + "  - { id: hello, send: onboarding-welcome }\n  - { id: gone-quiet, exit: { reason: silent, recycle: true } }\n",
        "application/yaml")), 201);
    String lead = leadWith("downloads@midco.example", Map.of("employees", 300, "industry", "software"));
    json(call("/v1/leads/" + lead + "/journey", MA).post(Entity.json(Map.of("program", recycle))), 201);
    await().atMost(Duration.ofSeconds(30)).until(() -> journey(lead).path("status").asText().equals("RECYCLED"));

    json(call("/v1/leads/" + lead + "/events", MA).post(Entity.json(Map.of("id", "blog", "type", "page_visited",
        "properties", Map.of("page", "blog")))), 202);
    json(call("/v1/leads/" + lead + "/events", MA).post(Entity.json(Map.of("id", "early", "type", "content_downloaded",
        "properties", Map.of("asset_type", "case_study")))), 202);
    await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(30)).until(() -> true);
    json(call("/v1/leads/" + lead + "/events", MA).post(Entity.json(Map.of("id", "again", "type", "content_downloaded",
        "properties", Map.of("asset_type", "case_study")))), 202);
    // Fit 30 (medium), engagement 13 (medium: the visit and both downloads): the standard track.
    await().atMost(Duration.ofSeconds(30)).until(() -> journey(lead).path("status").asText().equals("ACTIVE"));
    assertThat(journey(lead).path("program").asText()).isEqualTo("onboarding");
    await().atMost(Duration.ofSeconds(30)).until(() -> mailTo("downloads@midco.example").size() == 2);

    JsonNode timeline = json(call("/v1/leads/" + lead + "/timeline", OPS).get(), 200);
    List<JsonNode> reentries = new java.util.ArrayList<>();
    timeline.path("items").forEach(i -> {
      if (i.path("kind").asText().equals("reentry")) {
        reentries.add(i.path("detail"));
      }
    });
    assertThat(reentries).as("the blog visit is not renewed interest").hasSize(2);
    assertThat(reentries.get(0).path("outcome").asText()).contains("cool-down");
    assertThat(reentries.get(1).path("outcome").asText()).startsWith("re-entered on onboarding@");
    assertThat(reentries.get(1).path("quadrant").asText()).isEqualTo("medium/medium");
  }

  @Test
  void aLeadFromAStrategicAccountRaisesOneAlert() {
    String lead = leadWith("cto@eu.globex.example", Map.of("company", "Globex"));
    json(call("/v1/leads/" + lead, MA).put(Entity.json(Map.of("email", "cto@eu.globex.example", "consent", "opt_in",
        "company", "Globex Europe"))), 200);
    String other = leadWith("someone@notglobex.example", Map.of());
    JsonNode alerts = json(call("/v1/alerts", OPS).get(), 200);
    List<String> strategic = new java.util.ArrayList<>();
    alerts.forEach(a -> {
      if (a.path("kind").asText().equals("strategic_account")) {
        strategic.add(a.path("lead_id").asText());
      }
    });
    assertThat(strategic).containsOnlyOnce(lead).doesNotContain(other);
  }

  @Test
  void aRecycledLeadReEntersOnRenewedInterestAfterTheCoolDown() throws Exception {
    String recycle = "recycle-" + UUID.randomUUID().toString().substring(0, 6);
    json(call("/v1/programs/" + recycle, OPS).put(Entity.entity("id: " + recycle + "\nsend_policy: none\nsteps:\n"
        + "  - { id: hello, send: onboarding-welcome }\n  - { id: gone-quiet, exit: { reason: silent, recycle: true } }\n",
        "application/yaml")), 201);
    String comeback = "comeback-" + UUID.randomUUID().toString().substring(0, 6);
    json(call("/v1/programs/" + comeback, OPS).put(Entity.entity("id: " + comeback + "\nsend_policy: none\n"
        + "trigger: { event: content_downloaded, where: { asset_type: " + comeback + " } }\n"
        + "steps:\n  - { id: welcome-back, send: onboarding-proof }\n", "application/yaml")), 201);
    String lead = newLead("comeback@example.com");
    json(call("/v1/leads/" + lead + "/journey", MA).post(Entity.json(Map.of("program", recycle))), 201);
    await().atMost(Duration.ofSeconds(30)).until(() -> journey(lead).path("status").asText().equals("RECYCLED"));

    json(call("/v1/leads/" + lead + "/events", MA).post(Entity.json(Map.of("id", "dl-early", "type", "content_downloaded",
        "properties", Map.of("asset_type", comeback)))), 202);
    await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(30)).until(() -> true);
    json(call("/v1/leads/" + lead + "/events", MA).post(Entity.json(Map.of("id", "dl-later", "type", "content_downloaded",
        "properties", Map.of("asset_type", comeback)))), 202);
    await().atMost(Duration.ofSeconds(30)).until(() -> mailTo("comeback@example.com").size() == 2);
    assertThat(mailTo("comeback@example.com").get(1).getSubject()).isEqualTo("How one team doubled replies");
    await().atMost(Duration.ofSeconds(30)).until(() -> journey(lead).path("status").asText().equals("COMPLETED"));

    JsonNode timeline = json(call("/v1/leads/" + lead + "/timeline", OPS).get(), 200);
    List<String> outcomes = timeline.path("items").findValuesAsText("outcome");
    assertThat(outcomes).hasSize(2);
    assertThat(outcomes.get(0)).startsWith("not started: recycled on").contains("cool-down");
    assertThat(outcomes.get(1)).isEqualTo("started");
    // The whole history across both runs; the new run's "enrolled" and the API's "triggered" race.
    List<String> kinds = timeline.path("items").findValuesAsText("kind");
    assertThat(kinds).containsSubsequence("enrolled", "recycled", "triggered", "enrolled", "email_sent", "completed");
    assertThat(kinds.stream().filter("triggered"::equals)).hasSize(2);
  }
}
