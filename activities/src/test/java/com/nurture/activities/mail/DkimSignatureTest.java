package com.nurture.activities.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.util.GreenMail;
import com.nurture.activities.TestDatabase;
import com.nurture.activities.TestMail;
import com.nurture.activities.TestSmtp;
import com.nurture.activities.db.LeadDao;
import com.nurture.activities.sales.SalesRecorder;
import com.nurture.activities.sales.SalesSettings;
import com.nurture.workflows.activities.HandOff;
import com.nurture.workflows.activities.SendOutcome;
import com.nurture.workflows.activities.SendRequest;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.james.jdkim.DKIMVerifier;
import org.apache.james.jdkim.api.PublicKeyRecordRetriever;
import org.apache.james.jdkim.api.SignatureRecord;
import org.apache.james.jdkim.exceptions.FailException;
import org.apache.james.jdkim.exceptions.PermFailException;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every message Nurture sends is DKIM-signed, checked the way a receiver checks it: the message as
 * a real SMTP server (GreenMail) received it, verified by Apache James jDKIM (not the signing
 * library) against the public key the DNS record would publish. A message changed after signing
 * (a header the signature covers, or the body) must fail the same check.
 */
class DkimSignatureTest {
  private static final DkimSigning DKIM = new DkimSigning("acme.example", "nurture1",
      DkimSigning.readPrivateKey(DkimSigning.generatePrivateKeyPem()));

  private final Jdbi jdbi = TestDatabase.jdbi();
  private final MailSettings settings = TestMail.settings(URI.create("https://nurture.acme.example")).withDkim(DKIM);
  private GreenMail smtp;
  private String leadId;

  @BeforeEach
  void setUp() {
    smtp = TestSmtp.start();
    leadId = "lead-" + UUID.randomUUID();
    jdbi.onDemand(LeadDao.class).upsert(leadId, leadId + "@example.com", "Europe/London", "opt_in",
        Map.of("first_name", "Pat", "last_name", "Lee", "company", "Initech", "owner_email", "owner@acme.example"));
  }

  @AfterEach
  void tearDown() {
    smtp.stop();
  }

  private SmtpServer server() {
    return new SmtpServer("127.0.0.1", smtp.getSmtp().getPort(), "", "", "smtp");
  }

  /** What a receiver's resolver would answer for selector._domainkey.domain: the test's public key. */
  private static PublicKeyRecordRetriever dns() {
    return (method, selector, domain) -> {
      if (!"dns/txt".contentEquals(method) || !DKIM.dnsName().equals(selector + "._domainkey." + domain)) {
        throw new PermFailException("no key record at " + selector + "._domainkey." + domain);
      }
      return List.of(DKIM.dnsTxtRecord());
    };
  }

  private static String raw(MimeMessage m) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    m.writeTo(out);
    return out.toString(StandardCharsets.US_ASCII);
  }

  private static List<SignatureRecord> verify(String raw) throws Exception {
    return new DKIMVerifier(dns()).verify(new ByteArrayInputStream(raw.getBytes(StandardCharsets.US_ASCII)));
  }

  private static List<String> signedHeaders(SignatureRecord s) {
    return s.getHeaders().stream().map(h -> h.toString().toLowerCase(Locale.ROOT)).toList();
  }

  @Test
  void aJourneyEmailIsSignedOverEveryHeaderThatMattersAndVerifiesAsReceived() throws Exception {
    SmtpEmailActivities activities = new SmtpEmailActivities(jdbi, new TemplateCatalog(),
        new UnsubscribeTokens(TestMail.SIGNING_KEY), settings, server().mailer(settings.dkim()), Clock.systemUTC());
    SendOutcome out = activities.sendEmail(new SendRequest(leadId, "run-1", "onboarding", 1, "welcome", 1,
        "onboarding-welcome"));
    assertThat(out.status()).isEqualTo(SendOutcome.Status.SENT);

    MimeMessage m = smtp.getReceivedMessages()[0];
    assertThat(m.getMessageID()).as("the ledger's Message-ID survives signing").isEqualTo(out.messageId());
    String raw = raw(m);
    assertThat(raw).contains("DKIM-Signature:");

    List<SignatureRecord> verified = verify(raw);
    assertThat(verified).hasSize(1);
    SignatureRecord s = verified.get(0);
    assertThat(s.getDToken().toString()).isEqualTo("acme.example");
    assertThat(s.getSelector().toString()).isEqualTo("nurture1");
    assertThat(m.getHeader("DKIM-Signature", null).replaceAll("\\s+", "")).contains("a=rsa-sha256;")
        .contains("c=relaxed/relaxed;");
    assertThat(s.getHeaderCanonicalisationMethod()).isEqualTo("relaxed");
    assertThat(s.getBodyCanonicalisationMethod()).isEqualTo("relaxed");
    assertThat(s.getBodyHashLimit()).as("no l= tag: nothing can be appended to a signed body").isEqualTo(-1);
    assertThat(signedHeaders(s)).contains("from", "to", "subject", "date", "message-id", "list-unsubscribe",
        "list-unsubscribe-post");

    // The same check fails when anything it covers changes on the way.
    String subject = m.getHeader("Subject", null);
    assertThatThrownBy(() -> verify(raw.replace("Subject: " + subject, "Subject: " + subject + "!")))
        .isInstanceOf(FailException.class);
    assertThatThrownBy(() -> verify(raw.replace("List-Unsubscribe-Post: List-Unsubscribe=One-Click",
        "List-Unsubscribe-Post: List-Unsubscribe=Nope")))
        .as("List-Unsubscribe-Post is covered").isInstanceOf(FailException.class);
    assertThat(raw).contains("Hi Pat,");
    assertThatThrownBy(() -> verify(raw.replace("Hi Pat,", "Hi Pam,"))).as("the body is covered")
        .isInstanceOf(FailException.class);
    // And a key the domain does not publish does not verify it.
    assertThatThrownBy(() -> new DKIMVerifier((method, selector, domain) ->
        List.of(new DkimSigning("acme.example", "nurture1", DkimSigning.readPrivateKey(
            DkimSigning.generatePrivateKeyPem())).dnsTxtRecord()))
        .verify(new ByteArrayInputStream(raw.getBytes(StandardCharsets.US_ASCII))))
        .isInstanceOf(FailException.class);
  }

  @Test
  void theOwnersHandOffNoteIsSignedToo() throws Exception {
    SalesRecorder sales = new SalesRecorder(jdbi, new SalesSettings("", "", true, ""), Clock.systemUTC(),
        server().mailer(settings.dkim()), settings);
    Instant now = Instant.now();
    HandOff h = new HandOff("handoff-" + UUID.randomUUID(), leadId, "pricing page", 80, "high", List.of(),
        now.plusSeconds(3600), now);
    sales.recordHandOff(h);
    sales.notifyOwner(h);

    MimeMessage m = smtp.getReceivedMessages()[0];
    assertThat(m.getAllRecipients()[0].toString()).isEqualTo("owner@acme.example");
    String raw = raw(m);
    SignatureRecord s = verify(raw).get(0);
    assertThat(signedHeaders(s)).contains("from", "to", "subject", "date", "message-id");
    assertThatThrownBy(() -> verify(raw.replace("To: owner@acme.example", "To: someone@acme.example")))
        .isInstanceOf(FailException.class);
  }

  @Test
  void withoutAKeyMailGoesOutUnsigned() throws Exception {
    SmtpEmailActivities activities = new SmtpEmailActivities(jdbi, new TemplateCatalog(),
        new UnsubscribeTokens(TestMail.SIGNING_KEY), TestMail.settings(URI.create("https://nurture.acme.example")),
        server().mailer(Optional.empty()), Clock.systemUTC());
    activities.sendEmail(new SendRequest(leadId, "run-1", "onboarding", 1, "welcome", 1, "onboarding-welcome"));
    assertThat(raw(smtp.getReceivedMessages()[0])).doesNotContain("DKIM-Signature");
  }
}
