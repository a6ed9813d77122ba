package com.nurture.api;

import static com.nurture.api.TestApi.MA;
import static com.nurture.api.TestApi.OPS;
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
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Click and open tracking through the running application: the email arrives over SMTP with its
 * links rewritten, a click on one redirects to the original URL and reaches the journey (a
 * {@code wait_for: email_clicked} step ends), a forged token is a 404, a HEAD is a bot's, and an
 * open by Apple's privacy proxy is recorded but not delivered. The "too soon after delivery" rule is
 * off here ({@code tracking.min_click_delay: 0s}) so the test need not wait; ClickClassifierTest
 * covers it.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class TrackingApiTest {
  private static final GreenMail SMTP = TestSmtp.start();
  private static final String BROWSER =
      "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15";
  private static final String APPLE_PROXY = "Mozilla/5.0";
  private static final String GUIDE = "https://acme.example/resources";

  static final DropwizardAppExtension<NurtureConfiguration> APP = TestApi.allInOne(SMTP,
      ConfigOverride.config("tracking.min_click_delay", "0s"));

  private static final TestApi API = new TestApi(APP);

  @AfterAll
  static void stop() {
    SMTP.stop();
    API.close();
  }


  /** A lead on a fresh click-wait program, and the email it was sent. */
  private record Sent(String lead, String program, MimeMessage mail) {
    String text() throws Exception {
      return ReceivedMail.part(mail, "text/plain");
    }

    String html() throws Exception {
      return ReceivedMail.part(mail, "text/html");
    }
  }

  private static Sent send(String email) {
    String program = API.clickWaitProgram();
    String lead = API.lead(email, Map.of("first_name", "Pat"));
    API.json(API.call("/v1/leads/" + lead + "/journey", MA).post(Entity.json(Map.of("program", program))), 201);
    await().atMost(Duration.ofSeconds(30)).until(() -> TestSmtp.mailTo(SMTP, email).size() == 1);
    await().atMost(Duration.ofSeconds(10)).until(() -> API.journey(lead).path("current_step").asText().equals("wait-click"));
    return new Sent(lead, program, TestSmtp.mailTo(SMTP, email).get(0));
  }

  private static List<String> tokens(String part, String kind) {
    Matcher m = Pattern.compile("https://nurture\\.acme\\.example/t/" + kind + "/([A-Za-z0-9_-]{22})").matcher(part);
    List<String> found = new ArrayList<>();
    while (m.find()) {
      found.add(m.group(1));
    }
    return found;
  }

  private static JsonNode timeline(String lead) {
    return API.json(API.call("/v1/leads/" + lead + "/timeline", OPS).get(), 200).path("items");
  }

  private static List<JsonNode> entries(String lead, String kind) {
    List<JsonNode> out = new ArrayList<>();
    timeline(lead).forEach(i -> {
      if (i.path("kind").asText().equals(kind)) {
        out.add(i);
      }
    });
    return out;
  }

  private static List<JsonNode> events(String lead, String type) {
    return entries(lead, "event").stream().filter(e -> e.path("detail").path("type").asText().equals(type)).toList();
  }

  @Test
  void aHumanClickRedirectsToTheOriginalUrlAndEndsTheWaitWhileAHeadIsABot() throws Exception {
    Sent sent = send("clicker@example.com");
    String lead = sent.lead();
    String program = sent.program();
    MimeMessage mail = sent.mail();
    String text = sent.text();
    String html = sent.html();
    assertThat(text).doesNotContain(GUIDE).contains("Unsubscribe: https://nurture.acme.example/u/");
    List<String> clicks = tokens(text, "c");
    assertThat(clicks).hasSize(1);
    String token = clicks.get(0);
    assertThat(html).contains("/t/c/" + token).contains("/t/o/");

    // A HEAD (a link checker) gets the same redirect, is recorded as a bot's, and is not delivered.
    Response head = API.call("/t/c/" + token, null).header("User-Agent", BROWSER).head();
    assertThat(head.getStatus()).isEqualTo(302);
    assertThat(head.getHeaderString("Location")).isEqualTo(GUIDE);
    assertThat(entries(lead, "email_clicked_bot")).singleElement().satisfies(e -> {
      assertThat(e.path("detail").path("reason").asText()).isEqualTo("head_request");
      assertThat(e.path("detail").path("url").asText()).isEqualTo(GUIDE);
    });
    assertThat(events(lead, "email_clicked")).isEmpty();
    assertThat(API.journey(lead).path("current_step").asText()).isEqualTo("wait-click");

    // A person's click: 302 to the recorded URL, email_clicked on the timeline, the wait ends.
    Response get = API.call("/t/c/" + token, null).header("User-Agent", BROWSER).get();
    assertThat(get.getStatus()).isEqualTo(302);
    assertThat(get.getHeaderString("Location")).isEqualTo(GUIDE);
    assertThat(events(lead, "email_clicked")).singleElement().satisfies(e -> {
      JsonNode p = e.path("detail").path("properties");
      assertThat(p.path("url").asText()).isEqualTo(GUIDE);
      assertThat(p.path("program").asText()).isEqualTo(program);
      assertThat(p.path("step").asText()).isEqualTo("guide");
      assertThat(p.path("template").asText()).isEqualTo("whitepaper-thanks");
      assertThat(p.path("message_id").asText()).isEqualTo(mail.getMessageID());
    });
    await().atMost(Duration.ofSeconds(30)).until(() -> !API.journey(lead).path("status").asText().equals("ACTIVE"));
    assertThat(timeline(lead).findValuesAsText("kind")).contains("wait_for_met");

    // The same person clicking again within the minute is the same event: recorded once.
    assertThat(API.call("/t/c/" + token, null).header("User-Agent", BROWSER).get().getStatus()).isEqualTo(302);
    assertThat(events(lead, "email_clicked")).hasSize(1);
  }

  @Test
  void aForgedOrAlteredTokenIsA404PageNeverARedirect() throws Exception {
    Sent sent = send("forger@example.com");
    String token = tokens(sent.text(), "c").get(0);
    String pixel = tokens(sent.html(), "o").get(0);
    char last = token.charAt(token.length() - 1);
    String altered = token.substring(0, token.length() - 1) + (last == 'A' ? 'B' : 'A');
    for (String bad : List.of(altered, "AAAAAAAAAAAAAAAAAAAAAA", "not-a-token", pixel, "https:evil.example")) {
      Response r = API.call("/t/c/" + bad, null).header("User-Agent", BROWSER).get();
      assertThat(r.getStatus()).as(bad).isEqualTo(404);
      assertThat(r.getHeaderString("Location")).as(bad).isNull();
      assertThat(r.getMediaType().toString()).startsWith("text/html");
      assertThat(r.readEntity(String.class)).contains("This link is not valid");
    }
    // Jetty refuses an encoded slash in a path outright (400): still no redirect.
    Response slashed = API.call("/t/c/..%2F..%2Fevil.example", null).header("User-Agent", BROWSER).get();
    assertThat(slashed.getStatus()).isBetween(400, 404);
    assertThat(slashed.getHeaderString("Location")).isNull();
    Response unknownPixel = API.call("/t/o/" + altered, null).header("User-Agent", BROWSER).get();
    assertThat(unknownPixel.getStatus()).isEqualTo(404);
  }

  @Test
  void anOpenByAPersonIsDeliveredAndOneByApplesPrivacyProxyIsRecordedOnly() throws Exception {
    Sent sent = send("opener@example.com");
    String lead = sent.lead();
    String pixel = tokens(sent.html(), "o").get(0);

    Response proxied = API.call("/t/o/" + pixel, null).header("User-Agent", APPLE_PROXY).get();
    assertThat(proxied.getStatus()).isEqualTo(200);
    assertThat(proxied.getMediaType().toString()).isEqualTo("image/gif");
    assertThat(proxied.readEntity(byte[].class)).startsWith((byte) 'G', (byte) 'I', (byte) 'F');
    assertThat(entries(lead, "email_opened_machine")).singleElement().satisfies(e -> {
      assertThat(e.path("detail").path("machine").asBoolean()).isTrue();
      assertThat(e.path("detail").path("reason").asText()).startsWith("privacy_proxy_user_agent");
    });
    assertThat(events(lead, "email_opened")).as("not delivered to the journey").isEmpty();

    assertThat(API.call("/t/o/" + pixel, null).header("User-Agent", BROWSER).get().getStatus()).isEqualTo(200);
    assertThat(events(lead, "email_opened")).singleElement().satisfies(e ->
        assertThat(e.path("detail").path("properties").path("step").asText()).isEqualTo("guide"));
    // An open is not a click: the journey still waits.
    assertThat(API.journey(lead).path("current_step").asText()).isEqualTo("wait-click");
  }

  @Test
  void theHoneypotLinkMarksTheMessagesClicksAsBots() throws Exception {
    Sent sent = send("scanned@example.com");
    String lead = sent.lead();
    String token = tokens(sent.text(), "c").get(0);
    List<String> htmlLinks = tokens(sent.html(), "c");
    String honeypot = htmlLinks.stream().filter(t -> !t.equals(token)).findFirst().orElseThrow();

    assertThat(API.call("/t/c/" + honeypot, null).header("User-Agent", BROWSER).get().getStatus()).isEqualTo(302);
    assertThat(API.call("/t/c/" + token, null).header("User-Agent", BROWSER).get().getStatus()).isEqualTo(302);
    assertThat(entries(lead, "email_clicked_bot")).extracting(e -> e.path("detail").path("reason").asText())
        .containsExactly("honeypot_link", "near_honeypot_click");
    assertThat(events(lead, "email_clicked")).isEmpty();
  }
}
