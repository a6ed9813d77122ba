package com.nurture.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.icegreen.greenmail.util.GreenMail;
import com.nurture.activities.TestDatabase;
import com.nurture.activities.TestSmtp;
import com.nurture.api.esp.EspSignatures;
import com.nurture.api.esp.SignedSns;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.ResourceHelpers;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import jakarta.mail.internet.MimeMessage;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Replies through each inbound provider (POST /v1/webhooks/inbound/{provider}) reach the journeys:
 * a real reply to a sent nurture email, delivered as the provider delivers it and with its proof,
 * pauses the journey; forged or stale proof is 401 and changes nothing. And the per-message
 * Reply-To: a reply that lost its In-Reply-To is matched by the reply+token address it was sent to;
 * a forged token matches nothing. Same set-up as InboundRepliesTest, SNS keys as AmazonSesWebhookTest.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class InboundProvidersTest {
  private static final GreenMail SMTP = TestSmtp.start();
  private static final String TOPIC = "arn:aws:sns:eu-west-1:123456789012:ses-inbound";
  private static final String MAILGUN_KEY = "a-mailgun-route-signing-key";
  private static final String PASSWORD = "an-inbound-password-for-tests";
  private static final String REPLY_DOMAIN = "reply.acme.example";
  private static final ObjectMapper JSON = new ObjectMapper();

  static final DropwizardAppExtension<NurtureConfiguration> APP = new DropwizardAppExtension<>(
      AmazonSesWebhookTest.WithTestSnsKeys.class, ResourceHelpers.resourceFilePath("api-test.yml"),
      ConfigOverride.config("database.url", TestDatabase.database().jdbcUrl()),
      ConfigOverride.config("smtp.port", String.valueOf(SMTP.getSmtp().getPort())),
      ConfigOverride.config("inbound.reply_domain", REPLY_DOMAIN),
      ConfigOverride.config("inbound.sendgrid.user", "sendgrid"),
      ConfigOverride.config("inbound.sendgrid.password", PASSWORD),
      ConfigOverride.config("inbound.mailgun.signing_key", MAILGUN_KEY),
      ConfigOverride.config("inbound.amazon_ses.topic_arn", TOPIC),
      ConfigOverride.config("inbound.postmark.user", "postmark"),
      ConfigOverride.config("inbound.postmark.password", PASSWORD));

  private static final TestApi API = new TestApi(APP);

  @AfterAll
  static void stop() {
    SMTP.stop();
    API.close();
  }

  /** A lead on onboarding once its welcome email arrived: the lead id and that email. */
  private record Sent(String lead, String messageId, String replyTo) {}

  private static Sent enrolledWithWelcome(String email) throws Exception {
    String lead = API.lead(email, Map.of("first_name", "Pat"));
    API.json(API.call("/v1/leads/" + lead + "/journey", TestApi.MA).post(Entity.json(Map.of("program", "onboarding"))), 201);
    await().atMost(Duration.ofSeconds(30)).until(() -> TestSmtp.mailTo(SMTP, email).size() == 1);
    await().atMost(Duration.ofSeconds(30)).until(() -> timelineKinds(lead).contains("waiting"));
    MimeMessage welcome = TestSmtp.mailTo(SMTP, email).get(0);
    String replyTo = ((jakarta.mail.internet.InternetAddress) welcome.getReplyTo()[0]).getAddress();
    return new Sent(lead, welcome.getMessageID(), replyTo);
  }

  private static String reply(String from, String to, String inReplyTo) {
    return ("From: Pat <" + from + ">\nTo: " + to + "\nSubject: Re: Welcome\nMessage-ID: <" + UUID.randomUUID()
        + "@example.com>\n" + (inReplyTo.isEmpty() ? "" : "In-Reply-To: " + inReplyTo + "\n")
        + "Content-Type: text/plain; charset=UTF-8\n\nYes please, call me on Thursday.\n\n"
        + "On Tue, 3 Mar 2026 at 09:00, Ana <ana@acme.example> wrote:\n> Thanks for your interest.\n").replace("\n", "\r\n");
  }

  private static List<String> timelineKinds(String lead) {
    return API.json(API.call("/v1/leads/" + lead + "/timeline", TestApi.OPS).get(), 200).path("items").findValuesAsText("kind");
  }

  private static void pausedForAPerson(String lead) {
    await().atMost(Duration.ofSeconds(20)).until(() -> API.journey(lead).path("status").asText().equals("WAITING_FOR_HUMAN"));
  }

  private static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  /** A multipart/form-data body of these text fields; answers the body and its content type. */
  private static Entity<byte[]> form(Map<String, String> fields) {
    String boundary = "xYzZY" + UUID.randomUUID();
    StringBuilder b = new StringBuilder();
    fields.forEach((name, value) -> b.append("--").append(boundary).append("\r\nContent-Disposition: form-data; name=\"")
        .append(name).append("\"\r\n\r\n").append(value).append("\r\n"));
    b.append("--").append(boundary).append("--\r\n");
    return Entity.entity(b.toString().getBytes(StandardCharsets.UTF_8), "multipart/form-data; boundary=" + boundary);
  }

  private static Response sendgrid(String raw, String authorization) {
    var call = API.call("/v1/webhooks/inbound/sendgrid", null);
    if (authorization != null) {
      call = call.header("Authorization", authorization);
    }
    return call.post(form(Map.of("email", raw, "envelope", "{\"to\":[\"ana@acme.example\"],\"from\":\"x@example.com\"}")));
  }

  @Test
  void sendgridRawMimeReplyPausesTheJourneyForgedCredentialsChangeNothing() throws Exception {
    Sent sent = enrolledWithWelcome("sendgrid-reply@example.com");
    String raw = reply("sendgrid-reply@example.com", "ana@acme.example", sent.messageId());
    int before = timelineKinds(sent.lead()).size();
    assertThat(sendgrid(raw, basic("sendgrid", "a-guess")).getStatus()).isEqualTo(401);
    assertThat(sendgrid(raw, null).getStatus()).isEqualTo(401);
    Thread.sleep(500);
    assertThat(timelineKinds(sent.lead())).hasSize(before);

    JsonNode answer = API.json(sendgrid(raw, basic("sendgrid", PASSWORD)), 202);
    assertThat(answer.path("outcome").asText()).isEqualTo("reply");
    assertThat(answer.path("lead_id").asText()).isEqualTo(sent.lead());
    assertThat(answer.path("matched_by").asText()).isEqualTo("in-reply-to");
    pausedForAPerson(sent.lead());
  }

  private static Response mailgun(String raw, long timestamp, String key) {
    String token = UUID.randomUUID().toString().replace("-", "");
    String ts = String.valueOf(timestamp);
    // Mailgun posts the raw MIME to a forward() URL ending in "mime".
    return API.call("/v1/webhooks/inbound/mailgun/mime", null).post(form(Map.of("recipient", "ana@acme.example",
        "body-mime", raw, "timestamp", ts, "token", token, "signature", EspSignatures.mailgunSignature(key, ts, token))));
  }

  @Test
  void mailgunForwardedMimeReplyPausesTheJourneyForgedOrStaleSignaturesChangeNothing() throws Exception {
    Sent sent = enrolledWithWelcome("mailgun-reply@example.com");
    String raw = reply("mailgun-reply@example.com", "ana@acme.example", sent.messageId());
    long now = Instant.now().getEpochSecond();
    int before = timelineKinds(sent.lead()).size();
    assertThat(mailgun(raw, now, "not-the-key").getStatus()).isEqualTo(401);
    assertThat(mailgun(raw, now - 600, MAILGUN_KEY).getStatus()).isEqualTo(401);
    Thread.sleep(500);
    assertThat(timelineKinds(sent.lead())).hasSize(before);

    // Signed, but posted to a URL not ending in "mime": parsed fields, no body-mime. Refused by name.
    String token = UUID.randomUUID().toString().replace("-", "");
    String ts = String.valueOf(now);
    assertThat(API.problemFields(API.call("/v1/webhooks/inbound/mailgun/mime", null).post(form(Map.of(
        "body-plain", "Yes please", "timestamp", ts, "token", token,
        "signature", EspSignatures.mailgunSignature(MAILGUN_KEY, ts, token)))))).containsExactly("body-mime");

    JsonNode answer = API.json(mailgun(raw, now, MAILGUN_KEY), 202);
    assertThat(answer.path("outcome").asText()).isEqualTo("reply");
    assertThat(answer.path("lead_id").asText()).isEqualTo(sent.lead());
    pausedForAPerson(sent.lead());
  }

  private static String sns(String message, KeyPair signer) {
    return SignedSns.body(TOPIC, UUID.randomUUID().toString(), message, signer);
  }

  /** An SES receipt notification (SNS action) carrying the email in the given encoding. */
  private static String received(String raw, String encoding) throws Exception {
    ObjectNode n = JSON.createObjectNode();
    n.put("notificationType", "Received");
    n.putObject("mail").put("messageId", "ses-own-" + UUID.randomUUID()).put("source", "pat@example.com");
    ObjectNode receipt = n.putObject("receipt");
    receipt.putArray("recipients").add("ana@acme.example");
    receipt.putObject("action").put("type", "SNS").put("topicArn", TOPIC).put("encoding", encoding);
    n.put("content", encoding.equals("BASE64")
        ? Base64.getEncoder().encodeToString(raw.getBytes(StandardCharsets.UTF_8)) : raw);
    return JSON.writeValueAsString(n);
  }

  private static Response ses(String body) {
    return API.call("/v1/webhooks/inbound/amazon-ses", null).post(Entity.entity(body, "text/plain"));
  }

  @Test
  void amazonSesReceiptInEitherEncodingPausesTheJourneyAForgedSignatureChangesNothing() throws Exception {
    Sent sent = enrolledWithWelcome("ses-reply@example.com");
    String base64 = received(reply("ses-reply@example.com", "ana@acme.example", sent.messageId()), "BASE64");
    int before = timelineKinds(sent.lead()).size();
    KeyPair someoneElse = SignedSns.keys();
    assertThat(ses(sns(base64, someoneElse)).getStatus()).isEqualTo(401);
    Thread.sleep(500);
    assertThat(timelineKinds(sent.lead())).hasSize(before);

    // A delivery-event notification sent here by mistake is not an email.
    assertThat(API.problemFields(ses(sns("{\"notificationType\":\"Bounce\"}", AmazonSesWebhookTest.SNS_KEYS))))
        .containsExactly("Message");

    JsonNode answer = API.json(ses(sns(base64, AmazonSesWebhookTest.SNS_KEYS)), 202);
    assertThat(answer.path("outcome").asText()).isEqualTo("reply");
    assertThat(answer.path("lead_id").asText()).isEqualTo(sent.lead());
    pausedForAPerson(sent.lead());

    // The SNS action's UTF8 encoding: the content is the email as text (a second reply, a new event).
    String utf8 = received(reply("ses-reply@example.com", "ana@acme.example", sent.messageId()), "UTF8");
    JsonNode second = API.json(ses(sns(utf8, AmazonSesWebhookTest.SNS_KEYS)), 202);
    assertThat(second.path("outcome").asText()).isEqualTo("reply");
    assertThat(second.path("lead_id").asText()).isEqualTo(sent.lead());
    assertThat(second.path("event_id").asText()).isNotEqualTo(answer.path("event_id").asText());
  }

  private static Response postmark(String body, String authorization) {
    return API.call("/v1/webhooks/inbound/postmark", null).header("Authorization", authorization).post(Entity.json(body));
  }

  @Test
  void postmarkRawEmailReplyPausesTheJourneyForgedCredentialsChangeNothing() throws Exception {
    Sent sent = enrolledWithWelcome("postmark-reply@example.com");
    ObjectNode body = JSON.createObjectNode();
    body.put("From", "postmark-reply@example.com").put("Subject", "Re: Welcome").put("MessageID", UUID.randomUUID().toString())
        .put("RawEmail", reply("postmark-reply@example.com", "ana@acme.example", sent.messageId()));
    String json = JSON.writeValueAsString(body);
    int before = timelineKinds(sent.lead()).size();
    assertThat(postmark(json, basic("postmark", "a-guess")).getStatus()).isEqualTo(401);
    Thread.sleep(500);
    assertThat(timelineKinds(sent.lead())).hasSize(before);

    JsonNode answer = API.json(postmark(json, basic("postmark", PASSWORD)), 202);
    assertThat(answer.path("outcome").asText()).isEqualTo("reply");
    assertThat(answer.path("lead_id").asText()).isEqualTo(sent.lead());
    pausedForAPerson(sent.lead());
  }

  @Test
  void postmarkJsonWithoutRawEmailIsReadFromItsFields() throws Exception {
    Sent sent = enrolledWithWelcome("postmark-fields@example.com");
    ObjectNode body = JSON.createObjectNode();
    body.put("From", "Pat <postmark-fields@example.com>").put("Subject", "Re: Welcome")
        .put("MessageID", UUID.randomUUID().toString()).put("OriginalRecipient", "ana@acme.example")
        .put("TextBody", "Yes please, call me on Thursday.\n\n> Thanks for your interest.")
        .put("StrippedTextReply", "Yes please, call me on Thursday.");
    body.putObject("FromFull").put("Email", "postmark-fields@example.com").put("Name", "Pat");
    var headers = body.putArray("Headers");
    headers.addObject().put("Name", "Message-ID").put("Value", "<" + UUID.randomUUID() + "@example.com>");
    headers.addObject().put("Name", "In-Reply-To").put("Value", sent.messageId());

    JsonNode answer = API.json(postmark(JSON.writeValueAsString(body), basic("postmark", PASSWORD)), 202);
    assertThat(answer.path("outcome").asText()).isEqualTo("reply");
    assertThat(answer.path("matched_by").asText()).isEqualTo("in-reply-to");
    assertThat(answer.path("lead_id").asText()).isEqualTo(sent.lead());
    pausedForAPerson(sent.lead());
    await().atMost(Duration.ofSeconds(20)).until(() -> API.json(API.call("/v1/alerts", TestApi.OPS).get(), 200)
        .findValuesAsText("message").stream().anyMatch(m -> m.contains("Yes please, call me on Thursday.")));
  }

  @Test
  void eachEmailHasItsOwnOpaqueReplyToAndAReplyToItIsMatchedWithoutInReplyTo() throws Exception {
    Sent sent = enrolledWithWelcome("reply-to@example.com");
    assertThat(sent.replyTo()).matches("reply\\+[0-9a-f]{32}@" + REPLY_DOMAIN.replace(".", "\\."))
        .doesNotContain(sent.lead()).doesNotContain("reply-to@example.com");

    // A forged token from an unknown sender matches nothing; from the lead's own address, the sender.
    String forged = "reply+" + "0123456789abcdef".repeat(2) + "@" + REPLY_DOMAIN;
    assertThat(API.json(sendgrid(reply("someone@elsewhere.example", forged, ""), basic("sendgrid", PASSWORD)), 202)
        .path("outcome").asText()).isEqualTo("unmatched");
    JsonNode bySender = API.json(sendgrid(reply("reply-to@example.com", forged, ""), basic("sendgrid", PASSWORD)), 202);
    assertThat(bySender.path("matched_by").asText()).isEqualTo("sender");

    // A colleague answers from another address, and the mailer kept no In-Reply-To: the Reply-To address finds it.
    Sent other = enrolledWithWelcome("reply-to-2@example.com");
    JsonNode answer = API.json(sendgrid(reply("colleague@elsewhere.example", other.replyTo(), ""),
        basic("sendgrid", PASSWORD)), 202);
    assertThat(answer.path("outcome").asText()).isEqualTo("reply");
    assertThat(answer.path("lead_id").asText()).isEqualTo(other.lead());
    assertThat(answer.path("matched_by").asText()).isEqualTo("reply-to");
    pausedForAPerson(other.lead());
  }
}
