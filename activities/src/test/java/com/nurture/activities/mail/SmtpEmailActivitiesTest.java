package com.nurture.activities.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.util.GreenMail;
import com.nurture.activities.TestDatabase;
import com.nurture.activities.TestMail;
import com.nurture.activities.TestSmtp;
import com.nurture.activities.db.AlertDao;
import com.nurture.activities.db.Database;
import com.nurture.activities.db.LeadDao;
import com.nurture.activities.db.MessageDao;
import com.nurture.activities.db.MessageRow;
import com.nurture.activities.db.LeadPreference;
import com.nurture.activities.db.PreferenceDao;
import com.nurture.activities.db.SuppressionDao;
import com.nurture.activities.db.TrackedLink;
import com.nurture.activities.db.TrackingDao;
import com.nurture.workflows.activities.SendOutcome;
import com.nurture.workflows.activities.SendRequest;
import io.temporal.failure.ApplicationFailure;
import jakarta.mail.internet.MimeMessage;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;

/** SendEmail against real PostgreSQL and a real SMTP server (GreenMail). */
class SmtpEmailActivitiesTest {
  private final Jdbi jdbi = TestDatabase.jdbi();
  private final UnsubscribeTokens tokens = new UnsubscribeTokens(TestMail.SIGNING_KEY);
  private final MailSettings settings = TestMail.settings(URI.create("https://nurture.acme.example"));
  private GreenMail smtp;
  private SmtpEmailActivities activities;
  private String leadId;

  @BeforeEach
  void setUp() {
    smtp = TestSmtp.start();
    activities = activitiesFor(smtp.getSmtp().getPort());
    leadId = "lead-" + UUID.randomUUID();
    jdbi.onDemand(LeadDao.class).upsert(leadId, leadId + "@example.com", "Europe/London", "opt_in",
        Map.of("first_name", "Pat", "last_name", "Lee", "company", "Initech", "industry", "logistics"));
  }

  @AfterEach
  void tearDown() {
    smtp.stop();
  }

  private SmtpEmailActivities activitiesFor(int port) {
    return new SmtpEmailActivities(jdbi, new TemplateCatalog(), tokens, settings,
        new SmtpServer("127.0.0.1", port, "", "", "smtp").mailer(), Clock.systemUTC());
  }

  private SendRequest request(String step) {
    return new SendRequest(leadId, "run-1", "onboarding", 1, step, 1, "onboarding-welcome");
  }

  @Test
  void sendsAPersonalisedEmailWithOneClickUnsubscribeHeaders() throws Exception {
    SendOutcome out = activities.sendEmail(request("welcome"));
    assertThat(out.status()).isEqualTo(SendOutcome.Status.SENT);

    MimeMessage[] received = smtp.getReceivedMessages();
    assertThat(received).hasSize(1);
    MimeMessage m = received[0];
    assertThat(m.getSubject()).isEqualTo("Welcome - what to expect").isEqualTo(out.subject());
    assertThat(m.getAllRecipients()[0].toString()).contains(leadId + "@example.com");
    assertThat(m.getMessageID()).isEqualTo(out.messageId()).endsWith("@acme.example>");
    assertThat(m.getHeader("List-Unsubscribe-Post", null)).isEqualTo("List-Unsubscribe=One-Click");

    String listUnsubscribe = m.getHeader("List-Unsubscribe", null).replaceAll("\\s+", " ");
    Matcher https = Pattern.compile("<(https://nurture\\.acme\\.example/u/([A-Za-z0-9_.-]+))>").matcher(listUnsubscribe);
    assertThat(https.find()).as(listUnsubscribe).isTrue();
    assertThat(listUnsubscribe).contains("<mailto:unsubscribe@acme.example?subject=unsubscribe%20" + https.group(2) + ">");
    assertThat(tokens.verify(https.group(2))).contains(new UnsubscribeTokens.Subject(leadId, leadId + "@example.com"));

    String text = ReceivedMail.part(m, "text/plain");
    assertThat(text).contains("Hi Pat,").contains("at Initech").contains("1 Harbour Street, Bristol")
        .contains("Unsubscribe: " + https.group(1));
    String html = ReceivedMail.part(m, "text/html");
    assertThat(html).contains("<p>Hi Pat,</p>").contains("<a href=\"" + https.group(1) + "\">Unsubscribe</a>");
    assertThat(ReceivedMail.unsubscribeToken(m)).isEqualTo(https.group(2));

    MessageRow row = jdbi.onDemand(MessageDao.class).forLead(leadId).get(0);
    assertThat(row.status()).isEqualTo("sent");
    assertThat(row.sentAt()).isPresent();
  }

  @Test
  void aRetryOfASentEmailDoesNotSendAgain() {
    SendOutcome first = activities.sendEmail(request("welcome"));
    SendOutcome again = activities.sendEmail(request("welcome"));
    assertThat(again.status()).isEqualTo(SendOutcome.Status.ALREADY_SENT);
    assertThat(again.messageId()).isEqualTo(first.messageId());
    assertThat(smtp.getReceivedMessages()).hasSize(1);
  }

  @Test
  void aSuppressedAddressIsNeverSentTo() {
    jdbi.onDemand(SuppressionDao.class).suppress(leadId.toUpperCase() + "@EXAMPLE.COM", "test", leadId);
    SendOutcome out = activities.sendEmail(request("welcome"));
    assertThat(out.status()).isEqualTo(SendOutcome.Status.SUPPRESSED);
    assertThat(activities.sendEmail(request("welcome")).status()).isEqualTo(SendOutcome.Status.SUPPRESSED);
    assertThat(smtp.getReceivedMessages()).isEmpty();
  }

  @Test
  void aFailedSmtpSendIsReleasedAndTheRetrySendsOnce() {
    smtp.stop();
    assertThatThrownBy(() -> activities.sendEmail(request("welcome")))
        .isInstanceOfSatisfying(ApplicationFailure.class, f -> {
          assertThat(f).hasMessageContaining("SMTP send failed");
          assertThat(f.isNonRetryable()).as("a refused connection is transient").isFalse();
        });
    assertThat(jdbi.onDemand(MessageDao.class).forLead(leadId).get(0).status()).isEqualTo("retrying");

    smtp = TestSmtp.start();
    SendOutcome out = activitiesFor(smtp.getSmtp().getPort()).sendEmail(request("welcome"));
    assertThat(out.status()).isEqualTo(SendOutcome.Status.SENT);
    assertThat(smtp.getReceivedMessages()).hasSize(1);
    MessageRow row = jdbi.onDemand(MessageDao.class).forLead(leadId).get(0);
    assertThat(row.attempts()).isEqualTo(2);
    assertThat(row.status()).isEqualTo("sent");
  }

  @Test
  void aDatabaseRestartAfterSmtpAcceptedTheMessageDoesNotTurnTheSendIntoAnUnknownOne() {
    // The claim gets the first connection; the next two, to mark the send sent, find PostgreSQL away.
    AtomicInteger connections = new AtomicInteger();
    DataSource database = TestDatabase.database().dataSource();
    DataSource restarting = (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
          if (method.getName().equals("getConnection")) {
            int n = connections.incrementAndGet();
            if (n == 2 || n == 3) {
              throw new PSQLException("Connection to localhost refused", PSQLState.CONNECTION_UNABLE_TO_CONNECT);
            }
          }
          try {
            return method.invoke(database, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
    SmtpEmailActivities duringRestart = new SmtpEmailActivities(Database.open(restarting), new TemplateCatalog(),
        tokens, settings, new SmtpServer("127.0.0.1", smtp.getSmtp().getPort(), "", "", "smtp").mailer(),
        Clock.systemUTC());

    SendOutcome out = duringRestart.sendEmail(request("welcome"));
    assertThat(out.status()).isEqualTo(SendOutcome.Status.SENT);
    assertThat(connections.get()).as("claim, two refused, then the write that landed").isEqualTo(4);
    assertThat(jdbi.onDemand(MessageDao.class).forLead(leadId)).singleElement()
        .satisfies(m -> assertThat(m.status()).isEqualTo("sent"));
    assertThat(activities.sendEmail(request("welcome")).status()).isEqualTo(SendOutcome.Status.ALREADY_SENT);
    assertThat(smtp.getReceivedMessages()).hasSize(1);
    assertThat(jdbi.onDemand(AlertDao.class).forLead(leadId)).isEmpty();
  }

  @Test
  void aSendInterruptedMidFlightIsNotResentAndRaisesAnAlert() {
    SendRequest r = request("welcome");
    jdbi.onDemand(MessageDao.class).claim(r.idempotencyKey(), leadId, leadId + "@example.com", "onboarding",
        1, "welcome", "onboarding-welcome", "", "Welcome", "sending", "<x@acme.example>");
    SendOutcome out = activities.sendEmail(r);
    assertThat(out.status()).isEqualTo(SendOutcome.Status.OUTCOME_UNKNOWN);
    assertThat(jdbi.onDemand(MessageDao.class).forLead(leadId)).singleElement()
        .satisfies(m -> assertThat(m.status()).as("never left 'sending'").isEqualTo("unknown"));
    assertThat(activities.sendEmail(r).status()).isEqualTo(SendOutcome.Status.OUTCOME_UNKNOWN);
    assertThat(smtp.getReceivedMessages()).isEmpty();
    assertThat(jdbi.onDemand(AlertDao.class).forLead(leadId))
        .singleElement().satisfies(a -> assertThat(a.kind()).isEqualTo("send_outcome_unknown"));
  }

  @Test
  void anUnknownLeadOrTemplateFailsWithoutRetry() {
    SendRequest noLead = new SendRequest("nobody-" + UUID.randomUUID(), "run", "p", 1, "s", 1, "onboarding-welcome");
    assertThatThrownBy(() -> activities.sendEmail(noLead)).isInstanceOfSatisfying(ApplicationFailure.class,
        f -> assertThat(f.isNonRetryable()).isTrue());
    SendRequest noTemplate = new SendRequest(leadId, "run", "p", 1, "s", 1, "missing-template");
    assertThatThrownBy(() -> activities.sendEmail(noTemplate)).isInstanceOfSatisfying(ApplicationFailure.class, f -> {
      assertThat(f.getType()).isEqualTo(SendFailure.PERMANENT_TYPE);
      assertThat(f.isNonRetryable()).isTrue();
    });
    assertThat(jdbi.onDemand(MessageDao.class).forLead(leadId)).singleElement()
        .satisfies(m -> assertThat(m.status()).isEqualTo("failed"));
    assertThat(jdbi.onDemand(MessageDao.class).lastError(noTemplate.idempotencyKey()))
        .contains("template missing-template does not exist");
    // Asked again (a redelivered task), it fails the same way and sends nothing.
    assertThatThrownBy(() -> activities.sendEmail(noTemplate)).isInstanceOfSatisfying(ApplicationFailure.class,
        f -> assertThat(f.isNonRetryable()).isTrue());
  }

  @Test
  void aHeaderInjectionAttemptIsAPermanentFailureAndNothingIsSent() {
    String injected = leadWith(Map.of("first_name", "Pat\r\nBcc: victim@elsewhere.example", "last_name", "Lee"));
    SendRequest r = new SendRequest(injected, "run", "p", 1, "welcome", 1, "onboarding-welcome");
    assertThatThrownBy(() -> activities.sendEmail(r)).isInstanceOfSatisfying(ApplicationFailure.class, f -> {
      assertThat(f.getType()).isEqualTo(SendFailure.PERMANENT_TYPE);
      assertThat(f.isNonRetryable()).isTrue();
      assertThat(f.getOriginalMessage()).doesNotContain("@");
    });
    assertThat(smtp.getReceivedMessages()).isEmpty();
    assertThat(jdbi.onDemand(MessageDao.class).forLead(injected)).singleElement()
        .satisfies(m -> assertThat(m.status()).isEqualTo("failed"));
  }

  @Test
  void anSmtp5xxRefusalIsPermanentAnd4xxIsRetried() throws Exception {
    // The mailbox refused at RCPT: a hard bounce at send. The address is suppressed, the journey hears SUPPRESSED.
    try (RefusingSmtpServer refusing = new RefusingSmtpServer("550 5.1.1 <" + leadId + "@example.com>: no such user")) {
      SendRequest r = request("refused");
      assertThat(activitiesFor(refusing.port()).sendEmail(r).status()).isEqualTo(SendOutcome.Status.SUPPRESSED);
      assertThat(jdbi.onDemand(MessageDao.class).lastError(r.idempotencyKey())).hasValueSatisfying(
          e -> assertThat(e).startsWith("hard bounce at send").contains("550").doesNotContain(leadId + "@"));
      assertThat(jdbi.onDemand(SuppressionDao.class).find(leadId + "@example.com")).isPresent();
      jdbi.onDemand(SuppressionDao.class).remove(leadId + "@example.com");
    }
    // The message refused after DATA (content, policy): permanent, but the mailbox is not to blame.
    try (RefusingSmtpServer refusing = new RefusingSmtpServer("250 2.1.5 OK", "554 5.7.1 message refused as spam")) {
      SendRequest r = request("content");
      assertThatThrownBy(() -> activitiesFor(refusing.port()).sendEmail(r))
          .isInstanceOfSatisfying(ApplicationFailure.class, f -> {
            assertThat(f.isNonRetryable()).isTrue();
            assertThat(f.getOriginalMessage()).contains("554").contains("refused the message");
          });
      assertThat(jdbi.onDemand(SuppressionDao.class).find(leadId + "@example.com")).isEmpty();
    }
    try (RefusingSmtpServer deferring = new RefusingSmtpServer("451 4.7.1 greylisted, try again later")) {
      SendRequest r = request("deferred");
      assertThatThrownBy(() -> activitiesFor(deferring.port()).sendEmail(r))
          .isInstanceOfSatisfying(ApplicationFailure.class, f -> assertThat(f.isNonRetryable()).isFalse());
      assertThat(jdbi.onDemand(MessageDao.class).forLead(leadId)).filteredOn(m -> m.stepId().equals("deferred"))
          .singleElement().satisfies(m -> assertThat(m.status()).isEqualTo("retrying"));
    }
  }

  @Test
  void aSendTheJourneyGaveUpOnIsMarkedFailedWithItsReason() {
    smtp.stop();
    SendRequest r = request("welcome");
    assertThatThrownBy(() -> activities.sendEmail(r)).isInstanceOf(ApplicationFailure.class);
    activities.recordSendFailed(r.idempotencyKey(), "gave_up after 24h of transient failures: connection refused");
    activities.recordSendFailed(r.idempotencyKey(), "gave_up again");
    assertThat(jdbi.onDemand(MessageDao.class).forLead(leadId)).singleElement()
        .satisfies(m -> assertThat(m.status()).isEqualTo("failed"));
    assertThat(jdbi.onDemand(MessageDao.class).lastError(r.idempotencyKey()))
        .contains("gave_up after 24h of transient failures: connection refused");
  }

  private String leadWith(Map<String, Object> attributes) {
    String id = "lead-" + UUID.randomUUID();
    jdbi.onDemand(LeadDao.class).upsert(id, id + "@example.com", "", "", attributes);
    return id;
  }

  @Test
  void picksTheTemplateVariantForTheLeadsSegmentWithFallbackToTheBase() throws Exception {
    String maker = leadWith(Map.of("first_name", "Ana", "industry", "Manufacturing", "persona", "executive"));
    String boss = leadWith(Map.of("first_name", "Bo", "industry", "retail", "persona", "Executive"));
    String other = leadWith(Map.of("first_name", "Cy", "industry", "retail"));
    for (String lead : List.of(maker, boss, other)) {
      SendOutcome out = activities.sendEmail(new SendRequest(lead, "run", "p", 1, "case", 1, "test-case"));
      assertThat(out.status()).isEqualTo(SendOutcome.Status.SENT);
    }
    assertThat(TestSmtp.mailTo(smtp, maker).get(0).getSubject()).isEqualTo("How a plant cut lead time");
    assertThat(TestSmtp.mailTo(smtp, boss).get(0).getSubject()).isEqualTo("The numbers, in two minutes");
    assertThat(TestSmtp.mailTo(smtp, other).get(0).getSubject()).isEqualTo("A story from a team like yours");
    assertThat(jdbi.onDemand(MessageDao.class).forLead(maker).get(0).template()).isEqualTo("test-case.manufacturing");
  }

  @Test
  void aVariantsSubjectIsSentAndRecordedWithItsVariant() throws Exception {
    SendOutcome out = activities.sendEmail(new SendRequest(leadId, "run", "p", 1, "welcome", 1, "onboarding-welcome",
        "b", "{{first_name}}, a quick welcome", false));
    assertThat(out.subject()).isEqualTo("Pat, a quick welcome");
    assertThat(smtp.getReceivedMessages()[0].getSubject()).isEqualTo("Pat, a quick welcome");
    MessageRow row = jdbi.onDemand(MessageDao.class).forLead(leadId).get(0);
    assertThat(row.variant()).isEqualTo("b");
    assertThat(row.subject()).isEqualTo("Pat, a quick welcome");
  }

  @Test
  void aHeldOutSendIsRecordedButNeverSent() {
    SendRequest held = new SendRequest(leadId, "run", "p", 1, "welcome", 1, "onboarding-welcome", "", "", true);
    assertThat(activities.sendEmail(held).status()).isEqualTo(SendOutcome.Status.HELD_OUT);
    assertThat(activities.sendEmail(held).status()).isEqualTo(SendOutcome.Status.HELD_OUT);
    assertThat(smtp.getReceivedMessages()).isEmpty();
    assertThat(jdbi.onDemand(MessageDao.class).forLead(leadId)).singleElement()
        .satisfies(m -> assertThat(m.status()).isEqualTo("held_out"));
  }

  @Test
  void trackedLinksAreRecordedWithTheMessageAndARetrySendsTheSameOnes() throws Exception {
    smtp.stop();
    SendRequest r = new SendRequest(leadId, "run", "p", 3, "links", 1, "test-links", "b", "", false);
    assertThatThrownBy(() -> activities.sendEmail(r)).isInstanceOf(ApplicationFailure.class);
    List<TrackedLink> first = jdbi.onDemand(TrackingDao.class).forMessage(r.idempotencyKey());
    assertThat(first).extracting(TrackedLink::kind, TrackedLink::url).containsExactlyInAnyOrder(
        org.assertj.core.groups.Tuple.tuple("click", "https://acme.example/guide?a=1&b=2"),
        org.assertj.core.groups.Tuple.tuple("click", "https://acme.example/slides"),
        org.assertj.core.groups.Tuple.tuple("open", ""),
        org.assertj.core.groups.Tuple.tuple("honeypot", "https://acme.example/resources"));
    assertThat(first).allSatisfy(l -> {
      assertThat(l.token()).matches("[A-Za-z0-9_-]{22}").doesNotContain(leadId);
      assertThat(l.leadId()).isEqualTo(leadId);
      assertThat(l.programId()).isEqualTo("p");
      assertThat(l.programVersion()).isEqualTo(3);
      assertThat(l.stepId()).isEqualTo("links");
      assertThat(l.template()).isEqualTo("test-links");
      assertThat(l.variant()).isEqualTo("b");
    });

    smtp = TestSmtp.start();
    SendOutcome out = activitiesFor(smtp.getSmtp().getPort()).sendEmail(r);
    assertThat(out.status()).isEqualTo(SendOutcome.Status.SENT);
    List<TrackedLink> after = jdbi.onDemand(TrackingDao.class).forMessage(r.idempotencyKey());
    assertThat(after).as("the retry reused every token").containsExactlyInAnyOrderElementsOf(first);
    assertThat(after).allSatisfy(l -> assertThat(l.messageId()).isEqualTo(out.messageId()));

    MimeMessage m = smtp.getReceivedMessages()[0];
    String text = ReceivedMail.part(m, "text/plain");
    String html = ReceivedMail.part(m, "text/html");
    for (TrackedLink l : after) {
      String url = "https://nurture.acme.example/" + (l.kind().equals("open") ? "t/o/" : "t/c/") + l.token();
      assertThat(html).contains(url);
      if (l.kind().equals("click")) {
        assertThat(text).contains(url);
      }
    }
    assertThat(text).doesNotContain("acme.example/guide").doesNotContain("acme.example/slides");
  }

  @Test
  void aHeldOutSendIssuesNoTrackingTokens() {
    SendRequest held = new SendRequest(leadId, "run", "p", 1, "links", 1, "test-links", "", "", true);
    assertThat(activities.sendEmail(held).status()).isEqualTo(SendOutcome.Status.HELD_OUT);
    assertThat(jdbi.onDemand(TrackingDao.class).forMessage(held.idempotencyKey())).isEmpty();
  }

  @Test
  void aPausedLeadIsNotSentToUntilThePauseEnds() {
    java.time.Instant now = java.time.Instant.now();
    jdbi.useExtension(PreferenceDao.class, p -> p.set(leadId, LeadPreference.PAUSED, now.plus(java.time.Duration.ofDays(30)), now));
    assertThat(activities.sendEmail(request("welcome")).status()).isEqualTo(SendOutcome.Status.HELD_OUT);
    assertThat(activities.sendEmail(request("welcome")).status()).as("a retry reads the ledger").isEqualTo(SendOutcome.Status.HELD_OUT);
    assertThat(smtp.getReceivedMessages()).isEmpty();
    assertThat(jdbi.onDemand(MessageDao.class).forLead(leadId)).singleElement()
        .satisfies(m -> assertThat(m.status()).isEqualTo("suppressed_by_preference"));

    jdbi.useExtension(PreferenceDao.class, p -> p.set(leadId, LeadPreference.PAUSED, now.minusSeconds(1), now));
    assertThat(activities.sendEmail(request("day-3")).status()).as("the pause is over").isEqualTo(SendOutcome.Status.SENT);
    assertThat(smtp.getReceivedMessages()).hasSize(1);
  }

  @Test
  void aLeadThatAskedForFewerEmailsGetsAtMostOneIn30Days() {
    jdbi.useExtension(PreferenceDao.class, p -> p.set(leadId, LeadPreference.FEWER, null, java.time.Instant.now()));
    assertThat(activities.sendEmail(request("welcome")).status()).isEqualTo(SendOutcome.Status.SENT);
    assertThat(activities.sendEmail(request("day-3")).status()).isEqualTo(SendOutcome.Status.HELD_OUT);
    assertThat(smtp.getReceivedMessages()).hasSize(1);
    assertThat(jdbi.onDemand(MessageDao.class).forLead(leadId)).extracting(MessageRow::status)
        .containsExactlyInAnyOrder("sent", "suppressed_by_preference");

    // 31 days later (the clock moved on) the next email goes out.
    SmtpEmailActivities later = new SmtpEmailActivities(jdbi, new TemplateCatalog(), tokens, settings,
        new SmtpServer("127.0.0.1", smtp.getSmtp().getPort(), "", "", "smtp").mailer(),
        Clock.offset(Clock.systemUTC(), java.time.Duration.ofDays(31)));
    assertThat(later.sendEmail(request("day-10")).status()).isEqualTo(SendOutcome.Status.SENT);
  }
}
