package com.nurture.api;

import static com.nurture.api.TestApi.MA;
import static com.nurture.api.TestApi.OPS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.nurture.activities.TestSmtp;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import jakarta.mail.internet.MimeMessage;
import jakarta.ws.rs.client.Entity;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Bad lead data is refused where it comes in: a 422 problem naming the field, and nothing stored.
 * A control character in anything that reaches a mail header or a template, an address the sender
 * cannot mail, an event from the future. Same set-up as ApiTest (real PostgreSQL and SMTP, the
 * journey workflow on Temporal's in-process server); the clock skew is set to 1m here to show it
 * is read from the configuration.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class BadLeadDataTest {
  private static final GreenMail SMTP = TestSmtp.start();

  static final DropwizardAppExtension<NurtureConfiguration> APP = TestApi.allInOne(SMTP,
      ConfigOverride.config("events.max_clock_skew", "1m"));

  private static final TestApi API = new TestApi(APP);

  @AfterAll
  static void stop() {
    SMTP.stop();
    API.close();
  }

  /** CR LF (header injection), LF, CR, NUL, tab, another C0 control, DEL, a C1 control (NEL). */
  private static final List<String> CONTROLS = List.of("Pat\r\nBcc: all@example.com", "Pat\n", "\rPat", "Pa\u0000t",
      "Pat\tLee", "Pat\u001b[31m", "Pat\u007f", "Pat\u0085");

  private static Map<String, Object> good(String email) {
    Map<String, Object> body = new HashMap<>(Map.of("email", email, "first_name", "Pat", "last_name", "Lee",
        "company", "Initech", "role", "Head of Sales", "industry", "logistics", "timezone", "Europe/London",
        "source", "whitepaper", "consent", "opt_in"));
    body.put("attributes", Map.of("plan", "trial"));
    return body;
  }

  private static void assertNoLead(String id) {
    assertThat(API.json(API.call("/v1/leads/" + id, OPS).get(), 404).path("status").asInt()).isEqualTo(404);
  }

  /**
   * A null attribute or event property is no bad data, only no value: the update and the event are
   * taken (found by the fuzz run: the update answered 500 after storing the lead).
   */
  @Test
  void nullAttributesAndPropertiesAreTakenAsNoValue() {
    String id = TestApi.newId("nulls");
    Map<String, Object> body = good("nulls@example.com");
    API.json(API.call("/v1/leads/" + id, MA).put(Entity.json(body)), 201);
    Map<String, Object> nulls = new HashMap<>();
    nulls.put("plan", null);
    nulls.put("", null);
    body.put("attributes", nulls);
    API.json(API.call("/v1/leads/" + id, MA).put(Entity.json(body)), 200);
    Map<String, Object> event = new HashMap<>(Map.of("id", TestApi.newId("ev"), "type", "page_visited"));
    Map<String, Object> properties = new HashMap<>();
    properties.put("url", null);
    event.put("properties", properties);
    API.json(API.call("/v1/leads/" + id + "/events", MA).post(Entity.json(event)), 202);
  }

  @ParameterizedTest
  @ValueSource(strings = {"first_name", "last_name", "company", "role", "industry", "source", "timezone", "consent"})
  void aControlCharacterInAnyLeadFieldIsRefusedNamingTheFieldAndNothingIsStored(String field) {
    for (String bad : CONTROLS) {
      String id = TestApi.newId("door");
      Map<String, Object> body = good("door@example.com");
      body.put(field, bad);
      assertThat(API.problemFields(API.call("/v1/leads/" + id, MA).put(Entity.json(body))))
          .as("%s = %s", field, bad.chars().mapToObj(c -> String.format("%04x", c)).toList())
          .contains(field)
          .allMatch(field::equals);
      assertNoLead(id);
    }
  }

  @Test
  void attributeValuesAndKeysAreCheckedAllTheWayDownAndNamedAsWritten() {
    Map<Map<String, Object>, String> cases = Map.of(
        Map.of("title", "CEO\r\nBcc: all@example.com"), "attributes.title",
        Map.of("jobTitle", "CEO\u0000"), "attributes.jobTitle",
        Map.of("address", Map.of("city", "Bristol", "street", "1 Harbour St\n")), "attributes.address.street",
        Map.of("tags", List.of("ok", "bad\tone")), "attributes.tags[1]",
        Map.of("ti\r\ntle", "CEO"), "attributes",
        Map.of("address", Map.of("zi\np", "BS1")), "attributes.address");
    cases.forEach((attributes, field) -> {
      String id = TestApi.newId("attr");
      Map<String, Object> body = good("attr@example.com");
      body.put("attributes", attributes);
      assertThat(API.problemFields(API.call("/v1/leads/" + id, MA).put(Entity.json(body)))).as(field).containsExactly(field);
      assertNoLead(id);
    });
    // Plain text, numbers, booleans and nested structures without control characters are fine.
    Map<String, Object> body = good("attr-ok@example.com");
    body.put("attributes", Map.of("title", "CEO – Europe", "seats", 12, "trial", true,
        "address", Map.of("lines", List.of("1 Harbour Street", "Bristol"))));
    JsonNode lead = API.json(API.call("/v1/leads/" + TestApi.newId("attr"), MA).put(Entity.json(body)), 201);
    assertThat(lead.path("attributes").path("title").asText()).isEqualTo("CEO – Europe");
  }

  @Test
  void anExistingLeadIsLeftUnchangedByARefusedUpdate() {
    String id = API.lead("unchanged@example.com", Map.of("first_name", "Pat", "attributes", Map.of("title", "CEO")));
    JsonNode before = API.json(API.call("/v1/leads/" + id, OPS).get(), 200);

    Map<String, Object> body = good("unchanged@example.com");
    body.put("first_name", "Pat\r\nBcc: all@example.com");
    assertThat(API.problemFields(API.call("/v1/leads/" + id, MA).put(Entity.json(body)))).containsExactly("first_name");
    body = good("unchanged@example.com");
    body.put("attributes", Map.of("title", "CEO\n"));
    assertThat(API.problemFields(API.call("/v1/leads/" + id, MA).put(Entity.json(body)))).containsExactly("attributes.title");
    body = good("not an address");
    assertThat(API.problemFields(API.call("/v1/leads/" + id, MA).put(Entity.json(body)))).containsExactly("email");

    assertThat(API.json(API.call("/v1/leads/" + id, OPS).get(), 200)).isEqualTo(before);
    assertThat(API.json(API.call("/v1/leads/" + id + "/timeline", OPS).get(), 200).path("items")).as("no attribute_changed")
        .isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"pat\r\n@example.com", "pat@example.com\r\nBcc: all@example.com", "pat@exam\nple.com",
      "pat smith@example.com", "\"pat smith\"@example.com", "pat@exa mple.com", "pat\t@example.com",
      "pat", "pat@", "@example.com", "pat@example", "pat@@example.com", "pat@bob@example.com",
      "\"pat\r\n\"@example.com", "\"pat\u0000\"@example.com", "Pat <pat@example.com>", "pat(comment)@example.com",
      "pat@[192.0.2.1]", "pat..lee@example.com", ".pat@example.com", "pat@-example.com", "pat@exa_mple.com",
      "pät@example.com", "pat@bü cher.example"})
  void anInvalidAddressIsRefusedNamingEmailAndNothingIsStored(String email) {
    String id = TestApi.newId("mail");
    assertThat(API.problemFields(API.call("/v1/leads/" + id, MA).put(Entity.json(good(email))))).containsExactly("email");
    assertNoLead(id);
  }

  @Test
  void internationalisedDomainsAreAcceptedAndMailed() throws Exception {
    for (String email : List.of("pat@bücher.example", "lee@xn--bcher-kva.example", "kim@例え.テスト", "\"kim\"@example.com",
        " spaced@example.com ", "o'brien+nurture@sub.example.co.uk")) {
      JsonNode lead = API.json(API.call("/v1/leads/" + TestApi.newId("idn"), MA).put(Entity.json(good(email))), 201);
      assertThat(lead.path("email").asText()).isEqualTo(email.strip());
    }

    // The sender reaches an internationalised domain by its ASCII form.
    String id = API.lead("sam@bücher.example", Map.of("first_name", "Sam"));
    API.json(API.call("/v1/leads/" + id + "/journey", MA).post(Entity.json(Map.of("program", "onboarding"))), 201);
    await().atMost(Duration.ofSeconds(30)).until(() -> TestSmtp.mailTo(SMTP, "sam@xn--bcher-kva.example").size() == 1);
    MimeMessage welcome = TestSmtp.mailTo(SMTP, "sam@xn--bcher-kva.example").get(0);
    assertThat(welcome.getSubject()).isEqualTo("Welcome - what to expect");
    await().atMost(Duration.ofSeconds(10)).until(() -> API.journey(id).path("emails_sent").asInt() == 1);
  }

  @Test
  void anEventFromTheFutureIsRefusedAndNotStored() {
    String id = API.lead("future@example.com", Map.of());
    String tooLate = Instant.now().plus(Duration.ofMinutes(3)).toString();
    assertThat(API.problemFields(API.call("/v1/leads/" + id + "/events", MA).post(Entity.json(Map.of(
        "id", "e-future", "type", "page_visited", "occurred_at", tooLate, "properties", Map.of("page", "pricing"))))))
        .containsExactly("occurred_at");
    assertThat(API.json(API.call("/v1/leads/" + id + "/timeline", OPS).get(), 200).path("items")).isEmpty();

    // Within the configured skew (1m here) is fine: and the refused id was never stored.
    String slightlyAhead = Instant.now().plus(Duration.ofSeconds(20)).toString();
    JsonNode accepted = API.json(API.call("/v1/leads/" + id + "/events", MA).post(Entity.json(Map.of(
        "id", "e-future", "type", "page_visited", "occurred_at", slightlyAhead, "properties", Map.of("page", "pricing")))), 202);
    assertThat(accepted.path("duplicate").asBoolean()).isFalse();
    JsonNode past = API.json(API.call("/v1/leads/" + id + "/events", MA).post(Entity.json(Map.of(
        "id", "e-past", "type", "page_visited", "occurred_at", "2020-01-01T00:00:00Z"))), 202);
    assertThat(past.path("duplicate").asBoolean()).isFalse();
  }

  @Test
  void anEventPropertyWithAControlCharacterIsRefusedNamingTheProperty() {
    String id = API.lead("props@example.com", Map.of());
    for (String bad : CONTROLS) {
      assertThat(API.problemFields(API.call("/v1/leads/" + id + "/events", MA).post(Entity.json(Map.of(
          "id", "e-props", "type", "content_downloaded", "properties", Map.of("asset_type", "case_study", "title", bad))))))
          .containsExactly("properties.title");
    }
    assertThat(API.problemFields(API.call("/v1/leads/" + id + "/events", MA).post(Entity.json(Map.of(
        "id", "e-props", "type", "form_submitted", "properties", Map.of("answers", Map.of("comment", List.of("hi\r\n")))))))).
        containsExactly("properties.answers.comment[0]");
    assertThat(API.problemFields(API.call("/v1/leads/" + id + "/events", MA).post(Entity.json(Map.of(
        "id", "e-\nprops", "type", "form_submitted"))))).containsExactly("id");
    assertThat(API.json(API.call("/v1/leads/" + id + "/timeline", OPS).get(), 200).path("items")).isEmpty();

    JsonNode accepted = API.json(API.call("/v1/leads/" + id + "/events", MA).post(Entity.json(Map.of(
        "id", "e-props", "type", "content_downloaded", "properties", Map.of("asset_type", "case_study", "title", "Ok")))), 202);
    assertThat(accepted.path("duplicate").asBoolean()).as("the refused event was not stored").isFalse();
  }
}
