package com.nurture.api;

import static com.nurture.api.TestApi.MA;
import static com.nurture.api.TestApi.OPS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.util.GreenMail;
import com.nurture.activities.TestDatabase;
import com.nurture.activities.TestSmtp;
import com.nurture.activities.db.ConsentEvidence;
import com.nurture.activities.db.PreferenceDao;
import com.nurture.activities.mail.ReceivedMail;
import com.nurture.activities.mail.UnsubscribeTokens;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import jakarta.mail.internet.MimeMessage;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Double opt-in through the running application (API, worker, Temporal's test server, PostgreSQL,
 * SMTP): a pending lead gets the confirmation email first; following its link starts the program
 * and keeps the proof; a lead that never confirms ends UNCONFIRMED.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class DoubleOptInTest {
  private static final GreenMail SMTP = TestSmtp.start();
  private static final String BROWSER = "Mozilla/5.0 (X11; Linux x86_64) TestBrowser/1.0";
  private static final Pattern LINK = Pattern.compile("https://nurture\\.acme\\.example(/confirm/c1\\.[A-Za-z0-9_-]+)");

  static final DropwizardAppExtension<NurtureConfiguration> APP = TestApi.allInOne(SMTP,
      ConfigOverride.config("journeys.confirm_within", "20s"));

  private static final TestApi API = new TestApi(APP);

  @AfterAll
  static void stop() {
    SMTP.stop();
    API.close();
  }

  private static String enrolPending(String email, Map<String, Object> fields) {
    String id = API.lead(email, withConsentPending(fields));
    API.json(API.call("/v1/leads/" + id + "/journey", MA).post(Entity.json(Map.of("program", "onboarding"))), 201);
    return id;
  }

  private static Map<String, Object> withConsentPending(Map<String, Object> fields) {
    Map<String, Object> m = new java.util.HashMap<>(fields);
    m.put("consent", "pending");
    return m;
  }

  private static String confirmPath(MimeMessage m) throws Exception {
    Matcher link = LINK.matcher(ReceivedMail.part(m, "text/plain"));
    assertThat(link.find()).as("the confirmation email carries its link").isTrue();
    return link.group(1);
  }

  private static List<ConsentEvidence> evidence(String leadId) {
    return TestDatabase.jdbi().onDemand(PreferenceDao.class).evidenceOf(leadId);
  }

  @Test
  void theProgramStartsWhenTheLeadFollowsTheLinkAndTheProofIsKept() throws Exception {
    String email = TestApi.newId("doi") + "@example.com";
    String id = enrolPending(email, Map.of("first_name", "Pat"));
    await().atMost(Duration.ofSeconds(30)).until(() -> TestSmtp.mailTo(SMTP, email).size() == 1);
    MimeMessage confirmation = TestSmtp.mailTo(SMTP, email).get(0);
    assertThat(confirmation.getSubject()).isEqualTo("Please confirm your subscription");
    assertThat(API.journey(id).path("status").asText()).isEqualTo("AWAITING_CONFIRMATION");
    // The mirror (lists, metrics) says so too, though the API wrote its row after the journey's first transition.
    assertThat(API.get("/v1/journeys?status=AWAITING_CONFIRMATION&limit=500", OPS)
        .path("items").findValuesAsText("lead_id")).contains(id);
    String path = confirmPath(confirmation);
    assertThat(path).doesNotContain(id).doesNotContain("example");

    Response page = API.call(path, null).header("User-Agent", BROWSER).get();
    assertThat(page.getStatus()).isEqualTo(200);
    assertThat(page.readEntity(String.class)).contains("<form method=\"post\">").contains("Confirm");
    assertThat(evidence(id)).as("opening the link (as scanners do) confirms nothing").isEmpty();
    Thread.sleep(1_500);
    assertThat(TestSmtp.mailTo(SMTP, email)).as("nothing but the confirmation before it is confirmed").hasSize(1);

    String altered = path.substring(0, path.length() - 2) + (path.endsWith("AA") ? "BB" : "AA");
    assertThat(API.call(altered, null).post(Entity.form(new jakarta.ws.rs.core.Form())).getStatus()).isEqualTo(404);
    assertThat(API.call("/confirm/not-a-token", null).get().getStatus()).isEqualTo(404);

    Instant before = Instant.now();
    Response confirmed = API.call(path, null).header("User-Agent", BROWSER).post(Entity.form(new jakarta.ws.rs.core.Form()));
    assertThat(confirmed.getStatus()).isEqualTo(200);
    assertThat(confirmed.readEntity(String.class)).contains("confirmed");
    assertThat(evidence(id)).singleElement().satisfies(e -> {
      assertThat(e.choice()).isEqualTo("confirm");
      assertThat(e.token()).isEqualTo(path.substring("/confirm/".length()));
      assertThat(e.userAgent()).isEqualTo(BROWSER);
      assertThat(e.at()).isAfterOrEqualTo(before.minusSeconds(1));
      assertThat(e.ipHash()).isEqualTo(new UnsubscribeTokens(APP.getConfiguration().mail.signingKeyBytes())
          .fingerprint("127.0.0.1"));
    });
    assertThat(API.json(API.call("/v1/leads/" + id, OPS).get(), 200).path("consent").asText()).isEqualTo("double_opt_in");
    await().atMost(Duration.ofSeconds(30)).until(() -> TestSmtp.mailTo(SMTP, email).size() == 2);
    assertThat(TestSmtp.mailTo(SMTP, email).get(1).getSubject()).isEqualTo("Welcome - what to expect");
    assertThat(API.journey(id).path("status").asText()).isEqualTo("ACTIVE");

    Response again = API.call(path, null).header("User-Agent", BROWSER).post(Entity.form(new jakarta.ws.rs.core.Form()));
    assertThat(again.getStatus()).as("confirming twice is harmless").isEqualTo(200);
    assertThat(evidence(id)).hasSize(1);
    JsonKinds timeline = new JsonKinds(API.json(API.call("/v1/leads/" + id + "/timeline", OPS).get(), 200));
    assertThat(timeline.kinds()).contains("confirmation_requested", "confirmed");
  }

  @Test
  void aLeadThatNeverConfirmsEndsUnconfirmedInItsLanguage() throws Exception {
    String email = TestApi.newId("doi-ja") + "@example.com";
    String id = enrolPending(email, Map.of("first_name", "Haru", "locale", "ja"));
    await().atMost(Duration.ofSeconds(30)).until(() -> TestSmtp.mailTo(SMTP, email).size() == 1);
    MimeMessage confirmation = TestSmtp.mailTo(SMTP, email).get(0);
    assertThat(confirmation.getSubject()).isEqualTo("ご登録の確認をお願いします");
    assertThat(ReceivedMail.part(confirmation, "text/plain")).contains("確認する");
    String path = confirmPath(confirmation);

    await().atMost(Duration.ofSeconds(60)).until(() -> API.journey(id).path("status").asText().equals("UNCONFIRMED"));
    await().atMost(Duration.ofSeconds(10)).until(() -> API.get("/v1/journeys?status=UNCONFIRMED&limit=500", OPS)
        .path("items").findValuesAsText("lead_id").contains(id));
    Response late = API.call(path, null).post(Entity.form(new jakarta.ws.rs.core.Form()));
    assertThat(late.getStatus()).as("past the deadline the link confirms nothing").isEqualTo(410);
    assertThat(evidence(id)).isEmpty();
    assertThat(TestSmtp.mailTo(SMTP, email)).hasSize(1);
    assertThat(API.json(API.call("/v1/leads/" + id, OPS).get(), 200).path("consent").asText()).isEqualTo("pending");
  }

  @Test
  void anMaSystemThatConfirmedItselfUpdatesTheLeadButCannotPostTheEvent() {
    String email = TestApi.newId("doi-ma") + "@example.com";
    String id = enrolPending(email, Map.of("first_name", "Sam"));
    await().atMost(Duration.ofSeconds(30)).until(() -> API.journey(id).path("status").asText().equals("AWAITING_CONFIRMATION"));
    assertThat(API.problemFields(API.call("/v1/leads/" + id + "/events", MA).post(Entity.json(Map.of(
        "id", "forged-confirm", "type", "consent_confirmed"))))).containsExactly("type");

    API.json(API.call("/v1/leads/" + id, MA).put(Entity.json(Map.of("email", email, "consent", "double_opt_in",
        "first_name", "Sam"))), 200);
    await().atMost(Duration.ofSeconds(30)).until(() -> TestSmtp.mailTo(SMTP, email).stream()
        .anyMatch(m -> subjectOf(m).equals("Welcome - what to expect")));
    assertThat(API.journey(id).path("status").asText()).isEqualTo("ACTIVE");
  }

  private static String subjectOf(MimeMessage m) {
    try {
      return m.getSubject();
    } catch (jakarta.mail.MessagingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The kinds of a timeline answer, in order. */
  private record JsonKinds(com.fasterxml.jackson.databind.JsonNode timeline) {
    List<String> kinds() {
      return timeline.path("items").findValuesAsText("kind");
    }
  }
}
