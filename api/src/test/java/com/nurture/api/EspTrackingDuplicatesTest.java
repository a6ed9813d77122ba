package com.nurture.api;

import static com.nurture.api.TestApi.MA;
import static com.nurture.api.TestApi.OPS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.nurture.activities.TestSmtp;
import com.nurture.activities.mail.ReceivedMail;
import com.nurture.activities.sales.StandardWebhooks;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import jakarta.mail.internet.MimeMessage;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Opens and clicks reported by both our own tracking and a provider's webhook count once
 * (EngagementDuplicates): whichever comes second, within five minutes, for the same message (and
 * link), is on the timeline as a duplicate naming the first and never reaches the journey; a report
 * further apart is a new event. A provider's click on a link our tracking judged a bot's is not
 * delivered either.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class EspTrackingDuplicatesTest {
  private static final GreenMail SMTP = TestSmtp.start();
  private static final String SECRET = "whsec_" + java.util.Base64.getEncoder()
      .encodeToString("an-esp-webhook-secret-for-tests".getBytes(java.nio.charset.StandardCharsets.UTF_8));
  private static final String BROWSER =
      "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15";
  private static final String GUIDE = "https://acme.example/resources";

  static final DropwizardAppExtension<NurtureConfiguration> APP = TestApi.allInOne(SMTP,
      ConfigOverride.config("esp.standard.secret", SECRET),
      ConfigOverride.config("tracking.min_click_delay", "0s"));

  private static final TestApi API = new TestApi(APP);

  @AfterAll
  static void stop() {
    SMTP.stop();
    API.close();
  }

  /** A lead sent the guide (one tracked link) and waiting a week for a click on it. */
  private record Sent(String lead, String messageId, String click, String pixel) {}

  private static Sent sent(String email) {
    String program = API.clickWaitProgram();
    String lead = API.lead(email, Map.of("first_name", "Pat"));
    API.json(API.call("/v1/leads/" + lead + "/journey", MA).post(Entity.json(Map.of("program", program))), 201);
    await().atMost(Duration.ofSeconds(30)).until(() -> TestSmtp.mailTo(SMTP, email).size() == 1);
    await().atMost(Duration.ofSeconds(10)).until(() -> API.journey(lead).path("current_step").asText().equals("wait-click"));
    MimeMessage mail = TestSmtp.mailTo(SMTP, email).get(0);
    String html;
    try {
      html = ReceivedMail.part(mail, "text/html");
      return new Sent(lead, mail.getMessageID(), token(html, "c"), token(html, "o"));
    } catch (jakarta.mail.MessagingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String token(String html, String kind) {
    Matcher m = Pattern.compile("https://nurture\\.acme\\.example/t/" + kind + "/([A-Za-z0-9_-]{22})").matcher(html);
    assertThat(m.find()).isTrue();
    return m.group(1);
  }

  /** A provider's open or click through the {@code standard} webhook; answers its one outcome. */
  private static JsonNode provider(String type, String messageId, String url, Instant at) {
    String id = "evt_" + UUID.randomUUID();
    String body = "{\"type\":\"" + type + "\",\"message_id\":\"" + messageId + "\",\"timestamp\":\"" + at + "\""
        + (url == null ? "" : ",\"url\":\"" + url + "\"") + "}";
    long now = Instant.now().getEpochSecond();
    Response r = API.call("/v1/webhooks/esp/standard", null).header("webhook-id", id)
        .header("webhook-timestamp", String.valueOf(now))
        .header("webhook-signature", new StandardWebhooks(SECRET).sign(id, now, body))
        .post(Entity.entity(body, "application/json"));
    return API.json(r, 202).path("events").get(0);
  }

  private static List<JsonNode> entries(String lead, String kind) {
    List<JsonNode> out = new ArrayList<>();
    API.json(API.call("/v1/leads/" + lead + "/timeline", OPS).get(), 200).path("items").forEach(i -> {
      if (i.path("kind").asText().equals(kind)) {
        out.add(i);
      }
    });
    return out;
  }

  private static List<JsonNode> events(String lead, String type) {
    return entries(lead, "event").stream().filter(e -> e.path("detail").path("type").asText().equals(type)).toList();
  }

  private static Response get(String path) {
    return API.call(path, null).header("User-Agent", BROWSER).get();
  }

  @Test
  void aProvidersClickOnALinkOurTrackingRecordedIsADuplicateAndOneMuchLaterIsNot() throws Exception {
    Sent s = sent("dup-click@example.com");
    assertThat(get("/t/c/" + s.click()).getStatus()).isEqualTo(302);
    JsonNode ours = events(s.lead(), "email_clicked").get(0);
    String ourId = ours.path("detail").path("event_id").asText();
    assertThat(ourId).startsWith("click-");

    // The provider wrapped our link: it reports our /t/c/ URL, a minute later.
    JsonNode theirs = provider("clicked", s.messageId(), "https://nurture.acme.example/t/c/" + s.click(),
        Instant.now().plusSeconds(60));
    assertThat(theirs.path("outcome").asText()).isEqualTo("email_clicked");
    assertThat(theirs.path("duplicate_of").asText()).isEqualTo(ourId);
    assertThat(events(s.lead(), "email_clicked")).hasSize(1);
    assertThat(entries(s.lead(), "email_clicked_duplicate")).singleElement().satisfies(e -> {
      assertThat(e.path("detail").path("duplicate_of").asText()).isEqualTo(ourId);
      assertThat(e.path("detail").path("url").asText()).isEqualTo(GUIDE);
      assertThat(e.path("detail").path("event_id").asText()).isEqualTo(theirs.path("event_id").asText());
    });

    // The same click reported with the original URL: a duplicate too. Ten minutes on: a new click.
    assertThat(provider("clicked", s.messageId(), GUIDE, Instant.now().minusSeconds(120)).path("duplicate_of").asText())
        .isEqualTo(ourId);
    JsonNode later = provider("clicked", s.messageId(), GUIDE, Instant.now().plus(Duration.ofMinutes(10)));
    assertThat(later.has("duplicate_of")).isFalse();
    assertThat(events(s.lead(), "email_clicked")).hasSize(2);
  }

  @Test
  void ourOpenAfterTheProvidersIsADuplicateAndIsNotDeliveredAgain() throws Exception {
    Sent s = sent("dup-open@example.com");
    JsonNode theirs = provider("opened", s.messageId(), null, Instant.now().minusSeconds(30));
    assertThat(theirs.has("duplicate_of")).isFalse();
    assertThat(events(s.lead(), "email_opened")).hasSize(1);

    Response pixel = get("/t/o/" + s.pixel());
    assertThat(pixel.getStatus()).isEqualTo(200);
    assertThat(pixel.getMediaType().toString()).isEqualTo("image/gif");
    assertThat(events(s.lead(), "email_opened")).hasSize(1);
    assertThat(entries(s.lead(), "email_opened_duplicate")).singleElement().satisfies(e ->
        assertThat(e.path("detail").path("duplicate_of").asText()).isEqualTo(theirs.path("event_id").asText()));
    // Our click is a different engagement: it is delivered and ends the wait.
    assertThat(get("/t/c/" + s.click()).getStatus()).isEqualTo(302);
    await().atMost(Duration.ofSeconds(20)).until(() -> !API.journey(s.lead()).path("status").asText().equals("ACTIVE"));
  }

  @Test
  void aProvidersClickOnALinkOurTrackingJudgedABotsIsNotDelivered() throws Exception {
    Sent s = sent("dup-bot@example.com");
    Response head = API.call("/t/c/" + s.click(), null).header("User-Agent", BROWSER).head();
    assertThat(head.getStatus()).isEqualTo(302);
    assertThat(entries(s.lead(), "email_clicked_bot")).hasSize(1);

    JsonNode theirs = provider("clicked", s.messageId(), GUIDE, Instant.now());
    assertThat(theirs.path("duplicate_of").asText()).startsWith("tracking_hit/");
    assertThat(events(s.lead(), "email_clicked")).isEmpty();
    assertThat(entries(s.lead(), "email_clicked_duplicate")).hasSize(1);
    assertThat(API.journey(s.lead()).path("current_step").asText()).isEqualTo("wait-click");
  }
}
