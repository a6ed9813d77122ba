package com.nurture.activities.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.util.GreenMail;
import com.nurture.activities.TestDatabase;
import com.nurture.activities.TestMail;
import com.nurture.activities.TestSmtp;
import com.nurture.activities.db.LeadDao;
import com.nurture.activities.inbound.InboundMail;
import com.nurture.activities.inbound.ReplyMatcher;
import com.nurture.workflows.activities.SendOutcome;
import com.nurture.workflows.activities.SendRequest;
import io.temporal.failure.ApplicationFailure;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Each email's own Reply-To address (inbound.reply_domain): opaque, recorded with the message, the
 * same across a retried send, and how ReplyMatcher finds a reply that lost its In-Reply-To. Real
 * PostgreSQL and SMTP (GreenMail), as SmtpEmailActivitiesTest.
 */
class ReplyToAddressTest {
  private static final String DOMAIN = "reply.acme.example";
  private final Jdbi jdbi = TestDatabase.jdbi();
  private final MailSettings settings = TestMail.settings(URI.create("https://nurture.acme.example"))
      .withReplyDomain(DOMAIN);
  private GreenMail smtp;
  private String leadId;

  @BeforeEach
  void setUp() {
    smtp = TestSmtp.start();
    leadId = "lead-" + UUID.randomUUID();
    jdbi.onDemand(LeadDao.class).upsert(leadId, leadId + "@example.com", "Europe/London", "opt_in",
        Map.of("first_name", "Pat"));
  }

  @AfterEach
  void tearDown() {
    smtp.stop();
  }

  private SmtpEmailActivities activities(MailSettings mail) {
    return new SmtpEmailActivities(jdbi, new TemplateCatalog(), new UnsubscribeTokens(TestMail.SIGNING_KEY), mail,
        new SmtpServer("127.0.0.1", smtp.getSmtp().getPort(), "", "", "smtp").mailer(), Clock.systemUTC());
  }

  private SendRequest request() {
    return new SendRequest(leadId, "run-1", "onboarding", 1, "welcome", 1, "onboarding-welcome");
  }

  private static String replyTo(MimeMessage m) throws Exception {
    return ((InternetAddress) m.getReplyTo()[0]).getAddress();
  }

  private static InboundMail inbound(String from, String to) {
    return InboundMail.parse(("From: " + from + "\r\nTo: Ana <" + to + ">\r\nSubject: Re: Welcome\r\n"
        + "Message-ID: <" + UUID.randomUUID() + "@example.com>\r\n\r\nCall me.\r\n").getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aRetriedSendCarriesTheReplyToItsFirstAttemptRecorded() throws Exception {
    SmtpEmailActivities refused = activities(settings);
    smtp.stop();
    assertThatThrownBy(() -> refused.sendEmail(request())).isInstanceOf(ApplicationFailure.class);
    Optional<String> recorded = jdbi.withHandle(h -> h.createQuery(
        "SELECT reply_token FROM messages WHERE lead_id = :lead").bind("lead", leadId).mapTo(String.class).findOne());
    assertThat(recorded).get().asString().matches("[0-9a-f]{32}");

    smtp = TestSmtp.start();
    assertThat(activities(settings).sendEmail(request()).status()).isEqualTo(SendOutcome.Status.SENT);
    MimeMessage m = smtp.getReceivedMessages()[0];
    assertThat(replyTo(m)).isEqualTo("reply+" + recorded.get() + "@" + DOMAIN).doesNotContain(leadId);
  }

  @Test
  void withoutAReplyDomainEmailsCarryNoReplyTo() throws Exception {
    activities(TestMail.settings(URI.create("https://nurture.acme.example"))).sendEmail(request());
    assertThat(smtp.getReceivedMessages()[0].getHeader("Reply-To")).isNull();
  }

  @Test
  void aReplyToTheAddressIsMatchedByItAForgedTokenFallsToTheSender() throws Exception {
    activities(settings).sendEmail(request());
    String address = replyTo(smtp.getReceivedMessages()[0]);
    ReplyMatcher matcher = new ReplyMatcher(jdbi);

    // A colleague answers from an unknown address, with no In-Reply-To: the Reply-To finds the lead.
    Optional<ReplyMatcher.Match> byReplyTo = matcher.match(inbound("colleague@elsewhere.example", address.toUpperCase()));
    assertThat(byReplyTo).get().satisfies(match -> {
      assertThat(match.lead().id()).isEqualTo(leadId);
      assertThat(match.by()).isEqualTo("reply-to");
    });

    String forged = "reply+" + "0123456789abcdef".repeat(2) + "@" + DOMAIN;
    assertThat(matcher.match(inbound("colleague@elsewhere.example", forged))).isEmpty();
    assertThat(matcher.match(inbound(leadId + "@example.com", forged))).get()
        .satisfies(match -> assertThat(match.by()).isEqualTo("sender"));
  }

  @Test
  void theRecipientsOfAnInboundEmailAreReadFromToCcAndDeliveredTo() {
    InboundMail mail = InboundMail.parse(("From: pat@example.com\r\nTo: Ana <Ana@Acme.example>, b@acme.example\r\n"
        + "Cc: c@acme.example\r\nDelivered-To: reply+abc@reply.acme.example\r\nSubject: Hi\r\n\r\nHi\r\n")
        .getBytes(StandardCharsets.UTF_8));
    assertThat(mail.recipients()).containsExactly("ana@acme.example", "b@acme.example", "c@acme.example",
        "reply+abc@reply.acme.example");
    assertThat(mail.withRecipients(java.util.List.of("B@acme.example", "envelope@acme.example")).recipients())
        .containsExactly("ana@acme.example", "b@acme.example", "c@acme.example", "reply+abc@reply.acme.example",
            "envelope@acme.example");
  }
}
