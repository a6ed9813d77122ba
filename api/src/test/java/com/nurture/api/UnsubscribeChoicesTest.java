package com.nurture.api;

import static com.nurture.api.TestApi.MA;
import static com.nurture.api.TestApi.OPS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.util.GreenMail;
import com.nurture.activities.TestDatabase;
import com.nurture.activities.TestSmtp;
import com.nurture.activities.db.ConsentEvidence;
import com.nurture.activities.db.LeadPreference;
import com.nurture.activities.db.PreferenceDao;
import com.nurture.activities.db.SuppressionDao;
import com.nurture.activities.mail.ReceivedMail;
import com.nurture.activities.mail.UnsubscribeTokens;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.core.Form;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The unsubscribe page's choices (everything, fewer emails, a 30-day pause), each recorded as
 * consent evidence; opaque tokens in the mail, old-format tokens still honoured, tampered ones
 * refused. Same set-up as ApiTest.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class UnsubscribeChoicesTest {
  private static final GreenMail SMTP = TestSmtp.start();
  private static final String BROWSER = "Mozilla/5.0 (X11; Linux x86_64) TestBrowser/1.0";

  static final DropwizardAppExtension<NurtureConfiguration> APP = TestApi.allInOne(SMTP);

  private static final TestApi API = new TestApi(APP);
  private static final Jdbi DB = TestDatabase.jdbi();

  @AfterAll
  static void stop() {
    SMTP.stop();
    API.close();
  }

  private static UnsubscribeTokens tokens() {
    return new UnsubscribeTokens(APP.getConfiguration().mail.signingKeyBytes());
  }

  private static Response choose(String token, String choice) {
    return API.call("/u/" + token, null).header("User-Agent", BROWSER).post(Entity.form(new Form("choice", choice)));
  }

  private static java.util.Optional<com.nurture.activities.db.SuppressionRow> suppression(String email) {
    return DB.onDemand(SuppressionDao.class).find(email);
  }

  private static java.util.Optional<LeadPreference> preference(String leadId) {
    return DB.onDemand(PreferenceDao.class).find(leadId);
  }

  private static List<ConsentEvidence> evidence(String leadId) {
    return DB.onDemand(PreferenceDao.class).evidenceOf(leadId);
  }

  private static void assertEvidence(ConsentEvidence e, String choice, String token, Instant before) {
    assertThat(e.choice()).isEqualTo(choice);
    assertThat(e.token()).isEqualTo(token);
    assertThat(e.userAgent()).isEqualTo(BROWSER);
    assertThat(e.at()).isAfterOrEqualTo(before.minusSeconds(1)).isBeforeOrEqualTo(Instant.now().plusSeconds(1));
    assertThat(e.ipHash()).as("a keyed hash of the client's address, never the address")
        .isEqualTo(tokens().fingerprint("127.0.0.1")).doesNotContain("127.0.0.1");
  }

  @Test
  void theMailCarriesAnOpaqueTokenAndThePageOffersThreeChoices() {
    String email = TestApi.newId("opaque") + "@example.com";
    String id = API.lead(email, Map.of("first_name", "Pat"));
    API.json(API.call("/v1/leads/" + id + "/journey", MA).post(Entity.json(Map.of("program", "onboarding"))), 201);
    await().atMost(Duration.ofSeconds(30)).until(() -> TestSmtp.mailTo(SMTP, email).size() == 1);
    String token = ReceivedMail.unsubscribeToken(TestSmtp.mailTo(SMTP, email).get(0));

    assertThat(token).startsWith("u2.").doesNotContain(id).doesNotContain(email).doesNotContain("example");
    for (String part : token.split("\\.")) {
      String decoded = new String(Base64.getUrlDecoder().decode(part), StandardCharsets.ISO_8859_1);
      assertThat(decoded).doesNotContain(id).doesNotContain(email).doesNotContain("example.com");
    }

    Response page = API.call("/u/" + token, null).get();
    assertThat(page.getStatus()).isEqualTo(200);
    assertThat(page.readEntity(String.class)).contains("value=\"unsubscribe\"").contains("value=\"fewer\"")
        .contains("value=\"pause\"").contains("Unsubscribe from everything").doesNotContain(email);
    assertThat(evidence(id)).as("looking changes nothing").isEmpty();

    // Pausing is recorded by the time the answer arrives, so the very next send (which reads it) holds.
    Instant before = Instant.now();
    Response paused = choose(token, "pause");
    assertThat(paused.getStatus()).isEqualTo(200);
    assertThat(paused.readEntity(String.class)).contains("30 days");
    LeadPreference p = preference(id).orElseThrow();
    assertThat(p.mode()).isEqualTo("paused");
    assertThat(p.pausedUntil()).isBetween(before.plus(Duration.ofDays(30)).minusSeconds(5),
        Instant.now().plus(Duration.ofDays(30)).plusSeconds(5));
    assertThat(evidence(id)).singleElement().satisfies(e -> assertEvidence(e, "pause", token, before));
    assertThat(API.journey(id).path("status").asText()).as("a pause is not an exit").isEqualTo("ACTIVE");
    assertThat(suppression(email)).isEmpty();
  }

  @Test
  void fewerEmailsIsRecordedWithEvidence() {
    String email = TestApi.newId("fewer") + "@example.com";
    String id = API.lead(email, Map.of());
    String token = tokens().issue(id, email);
    Instant before = Instant.now();
    Response r = choose(token, "fewer");
    assertThat(r.getStatus()).isEqualTo(200);
    assertThat(r.readEntity(String.class)).contains("at most one email a month");
    assertThat(preference(id)).hasValueSatisfying(p -> {
      assertThat(p.mode()).isEqualTo("fewer");
      assertThat(p.pausedUntil()).isNull();
    });
    assertThat(evidence(id)).singleElement().satisfies(e -> assertEvidence(e, "fewer", token, before));
  }

  @Test
  void unsubscribingFromEverythingSuppressesAndIsRecordedWithEvidence() {
    String email = TestApi.newId("all") + "@example.com";
    String id = API.lead(email, Map.of());
    String token = tokens().issue(id, email);
    Instant before = Instant.now();
    assertThat(choose(token, "unsubscribe").getStatus()).isEqualTo(200);
    assertThat(suppression(email)).isPresent();
    assertThat(evidence(id)).singleElement().satisfies(e -> assertEvidence(e, "unsubscribe", token, before));

    // RFC 8058 one-click (no choice in the body) still unsubscribes, and is evidence too.
    String other = TestApi.newId("oneclick") + "@example.com";
    String otherId = API.lead(other, Map.of());
    String otherToken = tokens().issue(otherId, other);
    Response oneClick = API.call("/u/" + otherToken, null).header("User-Agent", BROWSER)
        .post(Entity.form(new Form("List-Unsubscribe", "One-Click")));
    assertThat(oneClick.getStatus()).isEqualTo(200);
    assertThat(oneClick.getHeaderString("Location")).isNull();
    assertThat(suppression(other)).isPresent();
    assertThat(evidence(otherId)).singleElement().satisfies(e -> assertThat(e.choice()).isEqualTo("unsubscribe"));
  }

  @Test
  void anOldFormatTokenStillUnsubscribes() {
    String email = TestApi.newId("old") + "@example.com";
    String id = API.lead(email, Map.of());
    String old = tokens().issueFormat1(id, email);
    assertThat(old).doesNotStartWith("u2.");
    assertThat(API.call("/u/" + old, null).get().getStatus()).isEqualTo(200);
    Response r = API.call("/u/" + old, null).post(Entity.form(new Form("List-Unsubscribe", "One-Click")));
    assertThat(r.getStatus()).isEqualTo(200);
    assertThat(suppression(email)).isPresent();
    assertThat(evidence(id)).singleElement().satisfies(e -> assertThat(e.token()).isEqualTo(old));
  }

  @Test
  void aTamperedTokenOrAnUnknownChoiceIsRefusedAndRecordsNothing() {
    String email = TestApi.newId("tamper") + "@example.com";
    String id = API.lead(email, Map.of());
    String token = tokens().issue(id, email);
    int at = token.lastIndexOf('.') + 5;
    String tampered = token.substring(0, at) + (token.charAt(at) == 'A' ? 'B' : 'A') + token.substring(at + 1);
    assertThat(API.call("/u/" + tampered, null).get().getStatus()).isEqualTo(400);
    for (String choice : List.of("unsubscribe", "fewer", "pause")) {
      assertThat(choose(tampered, choice).getStatus()).isEqualTo(400);
    }
    String otherKey = new UnsubscribeTokens("some-other-signing-key-that-is-long-enough-0123"
        .getBytes(StandardCharsets.UTF_8)).issue(id, email);
    assertThat(choose(otherKey, "unsubscribe").getStatus()).isEqualTo(400);
    assertThat(choose(token, "everything-and-more").getStatus()).isEqualTo(400);
    assertThat(evidence(id)).isEmpty();
    assertThat(preference(id)).isEmpty();
    assertThat(suppression(email)).isEmpty();
    assertThat(API.call("/v1/suppressions/" + email, OPS).get().getStatus()).isEqualTo(404);
  }
}
