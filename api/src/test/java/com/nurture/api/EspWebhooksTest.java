package com.nurture.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.nurture.activities.TestSmtp;
import com.nurture.activities.sales.StandardWebhooks;
import com.nurture.api.esp.EspSignatures;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Delivery events from email service providers (POST /v1/webhooks/esp/{provider}) reach the
 * journeys: a hard bounce of a journey's email, matched by its Message-ID, suppresses the address
 * and ends the journey; forged or stale deliveries are 401 and change nothing; a redelivery is a
 * no-op; three soft bounces in a row suppress. Same set-up as ApiTest.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class EspWebhooksTest {
  private static final GreenMail SMTP = TestSmtp.start();
  private static final String SECRET = "whsec_" + java.util.Base64.getEncoder()
      .encodeToString("an-esp-webhook-secret-for-tests".getBytes(java.nio.charset.StandardCharsets.UTF_8));
  private static final String MAILGUN_KEY = "a-mailgun-signing-key-for-tests";
  private static final String POSTMARK_PASSWORD = "a-postmark-password-for-tests";
  private static final java.security.KeyPair SENDGRID = sendgridKeys();

  private static java.security.KeyPair sendgridKeys() {
    try {
      java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("EC");
      g.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
      return g.generateKeyPair();
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static final DropwizardAppExtension<NurtureConfiguration> APP = TestApi.allInOne(SMTP,
      ConfigOverride.config("esp.standard.secret", SECRET),
      ConfigOverride.config("esp.mailgun.signing_key", MAILGUN_KEY),
      ConfigOverride.config("esp.postmark.user", "postmark"),
      ConfigOverride.config("esp.postmark.password", POSTMARK_PASSWORD),
      ConfigOverride.config("esp.sendgrid.verification_key",
          java.util.Base64.getEncoder().encodeToString(SENDGRID.getPublic().getEncoded())));

  private static final TestApi API = new TestApi(APP);

  @AfterAll
  static void stop() {
    SMTP.stop();
    API.close();
  }

  /** A lead on onboarding, once its welcome email has arrived: answers the lead id and that email's Message-ID. */
  private static String[] enrolledWithWelcome(String email) throws Exception {
    String lead = API.lead(email, Map.of("first_name", "Pat"));
    API.json(API.call("/v1/leads/" + lead + "/journey", TestApi.MA).post(Entity.json(Map.of("program", "onboarding"))), 201);
    await().atMost(Duration.ofSeconds(30)).until(() -> TestSmtp.mailTo(SMTP, email).size() == 1);
    // The email reaches the mail server before the journey records it: wait for the timeline to settle,
    // so "nothing changed" is measured from a still point.
    await().atMost(Duration.ofSeconds(20)).until(() -> timelineKinds(lead).containsAll(List.of("email_sent", "waiting")));
    return new String[] {lead, TestSmtp.mailTo(SMTP, email).get(0).getMessageID()};
  }

  private static Response standard(String webhookId, String body, long timestamp, String secret) {
    String signature = new StandardWebhooks(secret).sign(webhookId, timestamp, body);
    return API.call("/v1/webhooks/esp/standard", null).header("webhook-id", webhookId)
        .header("webhook-timestamp", String.valueOf(timestamp)).header("webhook-signature", signature)
        .post(Entity.entity(body, "application/json"));
  }

  private static Response standard(String webhookId, String body) {
    return standard(webhookId, body, Instant.now().getEpochSecond(), SECRET);
  }

  private static String event(String type, String messageId, boolean hard) {
    return "{\"type\":\"" + type + "\",\"message_id\":\"" + messageId + "\",\"hard\":" + hard
        + ",\"diagnostic\":\"550 5.1.1 no such user\",\"timestamp\":\"" + Instant.now() + "\"}";
  }

  private static String mailgun(String eventId, String event, String severity, String messageId, long timestamp,
      String key) {
    String token = UUID.randomUUID().toString().replace("-", "");
    String ts = String.valueOf(timestamp);
    return "{\"signature\":{\"timestamp\":\"" + ts + "\",\"token\":\"" + token + "\",\"signature\":\""
        + EspSignatures.mailgunSignature(key, ts, token) + "\"},\"event-data\":{\"id\":\"" + eventId + "\",\"event\":\""
        + event + "\",\"severity\":\"" + severity + "\",\"timestamp\":" + timestamp + ".25,\"recipient\":\"x@example.com\","
        + "\"delivery-status\":{\"code\":550,\"message\":\"\",\"description\":\"No such mailbox\"},"
        + "\"message\":{\"headers\":{\"message-id\":\"" + messageId + "\"}}}}";
  }

  private static List<String> timelineKinds(String lead) {
    return API.json(API.call("/v1/leads/" + lead + "/timeline", TestApi.OPS).get(), 200).path("items").findValuesAsText("kind");
  }

  private static boolean suppressed(String email) {
    return API.call("/v1/suppressions/" + email, TestApi.OPS).get().getStatus() == 200;
  }

  @Test
  void aHardBounceSuppressesAndEndsTheJourneyAndARedeliveryIsANoOp() throws Exception {
    String[] lead = enrolledWithWelcome("hard-bounce@example.com");
    String body = event("bounced", lead[1], true);

    JsonNode first = API.json(standard("msg_hard_1", body), 202).path("events").get(0);
    assertThat(first.path("outcome").asText()).isEqualTo("bounced");
    assertThat(first.path("lead_id").asText()).isEqualTo(lead[0]);
    assertThat(first.path("duplicate").asBoolean()).isFalse();
    assertThat(suppressed("hard-bounce@example.com")).isTrue();
    await().atMost(Duration.ofSeconds(20)).until(() -> API.journey(lead[0]).path("status").asText().equals("UNSUBSCRIBED"));
    int entries = timelineKinds(lead[0]).size();

    JsonNode again = API.json(standard("msg_hard_1", body), 202).path("events").get(0);
    assertThat(again.path("duplicate").asBoolean()).isTrue();
    Thread.sleep(1_000);
    assertThat(timelineKinds(lead[0])).hasSize(entries);
  }

  @Test
  void forgedStaleOrUnsignedDeliveriesAre401AndChangeNothing() throws Exception {
    String[] lead = enrolledWithWelcome("guarded-esp@example.com");
    String body = event("bounced", lead[1], true);
    int before = timelineKinds(lead[0]).size();
    String otherSecret = "whsec_" + java.util.Base64.getEncoder().encodeToString("someone-elses-secret".getBytes());
    assertThat(standard("msg_forged", body, Instant.now().getEpochSecond(), otherSecret).getStatus()).isEqualTo(401);
    assertThat(standard("msg_stale", body, Instant.now().minusSeconds(600).getEpochSecond(), SECRET).getStatus())
        .isEqualTo(401);
    assertThat(API.call("/v1/webhooks/esp/standard", null).post(Entity.json(body)).getStatus()).isEqualTo(401);
    long now = Instant.now().getEpochSecond();
    assertThat(API.call("/v1/webhooks/esp/mailgun", null).post(Entity.json(
        mailgun("mg-forged", "failed", "permanent", lead[1], now, "not-the-key"))).getStatus()).isEqualTo(401);
    assertThat(API.call("/v1/webhooks/esp/mailgun", null).post(Entity.json(
        mailgun("mg-stale", "failed", "permanent", lead[1], now - 600, MAILGUN_KEY))).getStatus()).isEqualTo(401);
    assertThat(API.call("/v1/webhooks/esp/no-such-esp", null).post(Entity.json(body)).getStatus()).isEqualTo(404);
    Thread.sleep(1_000);
    assertThat(timelineKinds(lead[0])).hasSize(before);
    assertThat(suppressed("guarded-esp@example.com")).isFalse();
    assertThat(API.journey(lead[0]).path("status").asText()).isEqualTo("ACTIVE");
  }

  @Test
  void threeSoftBouncesInARowSuppressAndADeliveryResetsTheCount() throws Exception {
    String[] lead = enrolledWithWelcome("soft-bounce@example.com");
    String soft = event("bounced", lead[1], false);
    API.json(standard("msg_soft_1", soft), 202);
    API.json(standard("msg_soft_2", soft), 202);
    // A redelivery of the second is not a third bounce.
    assertThat(API.json(standard("msg_soft_2", soft), 202).path("events").get(0).path("duplicate").asBoolean()).isTrue();
    JsonNode delivered = API.json(standard("msg_delivered", event("delivered", lead[1], false)), 202).path("events").get(0);
    assertThat(delivered.path("outcome").asText()).isEqualTo("email_delivered");
    API.json(standard("msg_soft_3", soft), 202);
    API.json(standard("msg_soft_4", soft), 202);
    assertThat(suppressed("soft-bounce@example.com")).isFalse();
    assertThat(API.journey(lead[0]).path("status").asText()).isEqualTo("ACTIVE");

    API.json(standard("msg_soft_5", soft), 202);
    assertThat(suppressed("soft-bounce@example.com")).isTrue();
    assertThat(timelineKinds(lead[0])).contains("email_delivered", "suppressed_soft_bounces");
  }

  @Test
  void aMailgunPermanentFailureSuppressesAndEndsTheJourney() throws Exception {
    String[] lead = enrolledWithWelcome("mailgun-bounce@example.com");
    String bare = lead[1].substring(1, lead[1].length() - 1);
    String body = mailgun("mg-event-1", "failed", "permanent", bare, Instant.now().getEpochSecond(), MAILGUN_KEY);

    JsonNode first = API.json(API.call("/v1/webhooks/esp/mailgun", null).post(Entity.json(body)), 202)
        .path("events").get(0);
    assertThat(first.path("outcome").asText()).isEqualTo("bounced");
    assertThat(first.path("event_id").asText()).isEqualTo("esp/mailgun/mg-event-1");
    assertThat(suppressed("mailgun-bounce@example.com")).isTrue();
    await().atMost(Duration.ofSeconds(20)).until(() -> API.journey(lead[0]).path("status").asText().equals("UNSUBSCRIBED"));

    // Mailgun retries with a new token and signature but the same event id: the same event.
    String retry = mailgun("mg-event-1", "failed", "permanent", bare, Instant.now().getEpochSecond(), MAILGUN_KEY);
    assertThat(API.json(API.call("/v1/webhooks/esp/mailgun", null).post(Entity.json(retry)), 202)
        .path("events").get(0).path("duplicate").asBoolean()).isTrue();
    // An event Nurture does not act on is acknowledged and ignored.
    String accepted = mailgun("mg-event-2", "accepted", "", bare, Instant.now().getEpochSecond(), MAILGUN_KEY);
    assertThat(API.json(API.call("/v1/webhooks/esp/mailgun", null).post(Entity.json(accepted)), 202)
        .path("events").size()).isZero();
  }

  private static Response postmark(String body, String password) {
    String auth = "Basic " + java.util.Base64.getEncoder().encodeToString(("postmark:" + password).getBytes());
    return API.call("/v1/webhooks/esp/postmark", null).header("Authorization", auth).post(Entity.json(body));
  }

  @Test
  void aPostmarkHardBounceMatchedByTheRecipientSuppressesAndEndsTheJourney() throws Exception {
    String[] lead = enrolledWithWelcome("postmark-bounce@example.com");
    // Postmark's MessageID is its own id, not ours: the recipient is matched instead.
    String body = "{\"RecordType\":\"Bounce\",\"ID\":4323372036854775807,\"Type\":\"HardBounce\",\"TypeCode\":1,"
        + "\"MessageID\":\"883953f4-6105-42a2-a16a-77a8eac79483\",\"Description\":\"The server was unable to deliver\","
        + "\"Details\":\"smtp;550 5.1.1 unknown user\",\"Email\":\"postmark-bounce@example.com\","
        + "\"BouncedAt\":\"" + Instant.now() + "\"}";

    int before = timelineKinds(lead[0]).size();
    assertThat(postmark(body, "a-guess").getStatus()).isEqualTo(401);
    assertThat(API.call("/v1/webhooks/esp/postmark", null).post(Entity.json(body)).getStatus()).isEqualTo(401);
    assertThat(timelineKinds(lead[0])).hasSize(before);
    assertThat(suppressed("postmark-bounce@example.com")).isFalse();

    JsonNode first = API.json(postmark(body, POSTMARK_PASSWORD), 202).path("events").get(0);
    assertThat(first.path("outcome").asText()).isEqualTo("bounced");
    assertThat(first.path("event_id").asText()).isEqualTo("esp/postmark/bounce-4323372036854775807");
    assertThat(suppressed("postmark-bounce@example.com")).isTrue();
    await().atMost(Duration.ofSeconds(20)).until(() -> API.journey(lead[0]).path("status").asText().equals("UNSUBSCRIBED"));
    assertThat(API.json(postmark(body, POSTMARK_PASSWORD), 202).path("events").get(0).path("duplicate").asBoolean())
        .isTrue();
  }

  private static Response sendgrid(String body, long timestamp, java.security.PrivateKey key) throws Exception {
    String ts = String.valueOf(timestamp);
    java.security.Signature s = java.security.Signature.getInstance("SHA256withECDSA");
    s.initSign(key);
    s.update((ts + body).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    return API.call("/v1/webhooks/esp/sendgrid", null).header("X-Twilio-Email-Event-Webhook-Timestamp", ts)
        .header("X-Twilio-Email-Event-Webhook-Signature", java.util.Base64.getEncoder().encodeToString(s.sign()))
        .post(Entity.json(body));
  }

  @Test
  void aSendgridBounceSuppressesAndEndsTheJourneyForgedOrStaleOnesChangeNothing() throws Exception {
    String[] lead = enrolledWithWelcome("sendgrid-bounce@example.com");
    long now = Instant.now().getEpochSecond();
    String body = "[{\"email\":\"sendgrid-bounce@example.com\",\"timestamp\":" + now + ",\"smtp-id\":\"" + lead[1]
        + "\",\"event\":\"processed\",\"sg_event_id\":\"sg-proc-1\"},"
        + "{\"email\":\"sendgrid-bounce@example.com\",\"timestamp\":" + now + ",\"smtp-id\":\"" + lead[1]
        + "\",\"event\":\"bounce\",\"type\":\"bounce\",\"status\":\"5.1.1\",\"reason\":\"550 no such user\","
        + "\"sg_event_id\":\"sg-bounce-1\"}]";

    int before = timelineKinds(lead[0]).size();
    assertThat(sendgrid(body, now, sendgridKeys().getPrivate()).getStatus()).isEqualTo(401);
    assertThat(sendgrid(body, now - 600, SENDGRID.getPrivate()).getStatus()).isEqualTo(401);
    assertThat(timelineKinds(lead[0])).hasSize(before);
    assertThat(suppressed("sendgrid-bounce@example.com")).isFalse();

    JsonNode events = API.json(sendgrid(body, now, SENDGRID.getPrivate()), 202).path("events");
    assertThat(events).hasSize(1);
    assertThat(events.get(0).path("outcome").asText()).isEqualTo("bounced");
    assertThat(events.get(0).path("event_id").asText()).isEqualTo("esp/sendgrid/sg-bounce-1");
    assertThat(suppressed("sendgrid-bounce@example.com")).isTrue();
    await().atMost(Duration.ofSeconds(20)).until(() -> API.journey(lead[0]).path("status").asText().equals("UNSUBSCRIBED"));
    assertThat(API.json(sendgrid(body, now, SENDGRID.getPrivate()), 202).path("events").get(0).path("duplicate")
        .asBoolean()).isTrue();
  }
}
