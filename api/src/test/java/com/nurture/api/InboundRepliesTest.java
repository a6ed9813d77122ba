package com.nurture.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.nurture.activities.TestSmtp;
import com.nurture.activities.sales.StandardWebhooks;
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
 * Replies pause journeys by themselves: an inbound email posted as raw MIME to
 * /v1/webhooks/inbound/standard (signed per Standard Webhooks) is matched to the lead by the
 * Message-ID it answers, and its journey waits for a person, with the reply's text on the alert.
 * Auto-replies are recorded only; a delivery report is a bounce. Same set-up as ApiTest.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class InboundRepliesTest {
  private static final GreenMail SMTP = TestSmtp.start();
  private static final String SECRET = "whsec_" + java.util.Base64.getEncoder()
      .encodeToString("an-inbound-webhook-secret-for-tests".getBytes(java.nio.charset.StandardCharsets.UTF_8));

  static final DropwizardAppExtension<NurtureConfiguration> APP = TestApi.allInOne(SMTP,
      ConfigOverride.config("inbound.webhook_secret", SECRET));

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
    // The journey has written the send and gone to sleep: its timeline is settled before the test acts.
    await().atMost(Duration.ofSeconds(30)).until(() -> timelineKinds(lead).contains("waiting"));
    return new String[] {lead, TestSmtp.mailTo(SMTP, email).get(0).getMessageID()};
  }

  private static Response post(String provider, String raw, long timestamp, String secret) {
    String id = "msg_" + UUID.randomUUID();
    String signature = new StandardWebhooks(secret).sign(id, timestamp, raw);
    return API.call("/v1/webhooks/inbound/" + provider, null).header("webhook-id", id)
        .header("webhook-timestamp", String.valueOf(timestamp)).header("webhook-signature", signature)
        .post(Entity.entity(raw, "message/rfc822"));
  }

  private static Response post(String raw) {
    return post("standard", raw, Instant.now().getEpochSecond(), SECRET);
  }

  private static String reply(String from, String inReplyTo, String extraHeaders) {
    return ("From: Pat <" + from + ">\nTo: hello@acme.example\nSubject: Re: Welcome\nMessage-ID: <" + UUID.randomUUID()
        + "@example.com>\nIn-Reply-To: " + inReplyTo + "\n" + extraHeaders + "Content-Type: text/plain; charset=UTF-8\n\n"
        + "Yes please, call me on Thursday.\n\nOn Tue, 3 Mar 2026 at 09:00, Sam <hello@acme.example> wrote:\n"
        + "> Thanks for your interest.\n").replace("\n", "\r\n");
  }

  private static List<String> replyAlerts(String lead) {
    List<String> messages = new java.util.ArrayList<>();
    API.json(API.call("/v1/alerts", TestApi.OPS).get(), 200).forEach(a -> {
      if (a.path("lead_id").asText().equals(lead) && a.path("kind").asText().equals("reply")) {
        messages.add(a.path("message").asText());
      }
    });
    return messages;
  }

  private static List<String> timelineKinds(String lead) {
    return API.json(API.call("/v1/leads/" + lead + "/timeline", TestApi.OPS).get(), 200).path("items").findValuesAsText("kind");
  }

  @Test
  void aReplyToANurtureEmailPausesTheJourneyWithTheTextOnTheAlert() throws Exception {
    String[] lead = enrolledWithWelcome("replier@example.com");
    String raw = reply("replier@example.com", lead[1], "");

    JsonNode first = API.json(post(raw), 202);
    assertThat(first.path("outcome").asText()).isEqualTo("reply");
    assertThat(first.path("lead_id").asText()).isEqualTo(lead[0]);
    await().atMost(Duration.ofSeconds(20)).until(() -> API.journey(lead[0]).path("status").asText().equals("WAITING_FOR_HUMAN"));
    await().atMost(Duration.ofSeconds(20)).until(() -> !replyAlerts(lead[0]).isEmpty());
    assertThat(replyAlerts(lead[0])).singleElement().satisfies(m -> assertThat(m)
        .contains("Yes please, call me on Thursday.").doesNotContain("Thanks for your interest"));

    // The provider delivers it again: the same event, no second reaction.
    JsonNode again = API.json(post(raw), 202);
    assertThat(again.path("duplicate").asBoolean()).isTrue();
    assertThat(timelineKinds(lead[0]).stream().filter("waiting_for_human"::equals)).hasSize(1);

    // The lead's owner (here the default owner) is emailed the reply's text, once.
    await().atMost(Duration.ofSeconds(20)).until(() -> TestSmtp.mailTo(SMTP, "sdr-desk@acme.example").stream()
        .anyMatch(m -> subject(m).equals("Reply from replier@example.com")));
    List<jakarta.mail.internet.MimeMessage> notes = TestSmtp.mailTo(SMTP, "sdr-desk@acme.example").stream()
        .filter(m -> subject(m).equals("Reply from replier@example.com")).toList();
    assertThat(notes).singleElement().satisfies(m -> assertThat(
        com.nurture.activities.mail.ReceivedMail.part(m, "text/plain")).contains("Yes please, call me on Thursday.")
        .doesNotContain("Thanks for your interest"));
  }

  private static String subject(jakarta.mail.internet.MimeMessage m) {
    try {
      return m.getSubject();
    } catch (jakarta.mail.MessagingException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void forgedOrStaleDeliveriesAre401AndChangeNothing() throws Exception {
    String[] lead = enrolledWithWelcome("guarded@example.com");
    String raw = reply("guarded@example.com", lead[1], "");
    int before = timelineKinds(lead[0]).size();
    assertThat(post("standard", raw, Instant.now().getEpochSecond(), "whsec_" + java.util.Base64.getEncoder()
        .encodeToString("someone-elses-secret-entirely".getBytes())).getStatus()).isEqualTo(401);
    assertThat(post("standard", raw, Instant.now().minusSeconds(600).getEpochSecond(), SECRET).getStatus()).isEqualTo(401);
    assertThat(API.call("/v1/webhooks/inbound/standard", null).post(Entity.entity(raw, "message/rfc822")).getStatus())
        .isEqualTo(401);
    assertThat(post("sendgrid-unknown", raw, Instant.now().getEpochSecond(), SECRET).getStatus()).isEqualTo(404);
    // A provider whose proof is not configured is unavailable, not open.
    assertThat(post("postmark", raw, Instant.now().getEpochSecond(), SECRET).getStatus()).isEqualTo(503);
    assertThat(post("sendgrid", raw, Instant.now().getEpochSecond(), SECRET).getStatus()).isEqualTo(503);
    Thread.sleep(1_000);
    assertThat(timelineKinds(lead[0])).hasSize(before);
    assertThat(API.journey(lead[0]).path("status").asText()).isEqualTo("ACTIVE");
  }

  @Test
  void anAutoReplyIsRecordedAndDoesNotPause() throws Exception {
    String[] lead = enrolledWithWelcome("ooo@example.com");
    JsonNode answer = API.json(post(reply("ooo@example.com", lead[1], "Auto-Submitted: auto-replied\n")), 202);
    assertThat(answer.path("outcome").asText()).isEqualTo("auto_reply");
    assertThat(timelineKinds(lead[0])).contains("auto_reply").doesNotContain("waiting_for_human");
    assertThat(API.journey(lead[0]).path("status").asText()).isEqualTo("ACTIVE");
  }

  @Test
  void aDeliveryReportIsAHardBounceThatSuppressesAndEnds() throws Exception {
    String[] lead = enrolledWithWelcome("gone@example.com");
    String dsn = ("From: MAILER-DAEMON@mx.example.com\nTo: hello@acme.example\nSubject: Undelivered\nMessage-ID: <dsn-"
        + UUID.randomUUID() + "@mx.example.com>\nIn-Reply-To: " + lead[1] + "\nMIME-Version: 1.0\n"
        + "Content-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\n\n--b\nContent-Type: text/plain\n\n"
        + "Not delivered.\n--b\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example.com\n\n"
        + "Final-Recipient: rfc822; gone@example.com\nAction: failed\nStatus: 5.1.1\n--b--\n").replace("\n", "\r\n");
    assertThat(API.json(post(dsn), 202).path("outcome").asText()).isEqualTo("bounce");
    await().atMost(Duration.ofSeconds(20)).until(() -> API.journey(lead[0]).path("status").asText().equals("UNSUBSCRIBED"));
    assertThat(timelineKinds(lead[0])).contains("suppressed");
  }
}
