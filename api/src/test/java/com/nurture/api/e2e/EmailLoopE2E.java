package com.nurture.api.e2e;

import static com.nurture.api.e2e.E2EServices.MA;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.nurture.activities.mail.MailSettings;
import com.nurture.activities.mail.ReceivedMail;
import com.nurture.api.NurtureApplication;
import com.nurture.api.NurtureConfiguration;
import com.nurture.api.core.InboundReplies;
import com.nurture.api.dev.DevReplies;
import io.dropwizard.lifecycle.Managed;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The email loop end to end, through the running application and a real Temporal server (the
 * parts of {@link E2EServices}; one worker process from the jar for the whole class): a tracked
 * click ends a {@code wait_for: email_clicked} and the next email goes out; a forged token is a 404;
 * a HEAD and a too-early click are recorded as bots and end nothing; a reply sent over SMTP pauses
 * the journey and an out-of-office does not; a Japanese email arrives intact. Replies are read from
 * the test's mail server by {@link DevReplies}, as {@code dev} reads its own.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class EmailLoopE2E {
  private static final String BROWSER =
      "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15";
  private static final String GUIDE = "https://acme.example/resources";
  private static final String NURTURE = "ana@acme.example";
  /** Small, so the test need not wait long, but long enough to click "too early" for certain. */
  private static final Duration MIN_CLICK_DELAY = Duration.ofSeconds(6);
  private static final E2EServices E2E = new E2EServices("e2e-mail");
  private static Process worker;

  /** The server role, reading replies from the test's mail server as dev reads its own. */
  public static class RepliesOverSmtp extends NurtureApplication {
    @Override
    protected Optional<Managed> smtpReplies(InboundReplies inbound, MailSettings mail, Clock clock) {
      return Optional.of(new DevReplies(E2E.smtp, inbound, mail.fromAddress(), clock));
    }
  }

  static final DropwizardAppExtension<NurtureConfiguration> API = E2E.api(RepliesOverSmtp.class,
      ConfigOverride.config("tracking.min_click_delay", MIN_CLICK_DELAY.toSeconds() + "s"));

  @BeforeAll
  static void startWorker() throws Exception {
    worker = E2E.startWorker(1);
  }

  @AfterAll
  static void stopAll() throws Exception {
    if (worker != null) {
      worker.destroyForcibly().waitFor();
    }
    E2E.close();
  }

  private static String newId(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** A lead enrolled in {@code program}; its first email as received. */
  private static MimeMessage enrol(String lead, Map<String, Object> attributes, String program) {
    E2E.call("PUT", "/v1/leads/" + lead, MA, attributes, 201);
    E2E.call("POST", "/v1/leads/" + lead + "/journey", MA, Map.of("program", program), 201);
    String email = (String) attributes.get("email");
    await().atMost(Duration.ofSeconds(60)).until(() -> E2E.mailTo(email).size() == 1);
    return E2E.mailTo(email).get(0);
  }

  private static String clickToken(MimeMessage mail) {
    Matcher m = Pattern.compile("https://nurture\\.acme\\.example/t/c/([A-Za-z0-9_-]{22})")
        .matcher(ReceivedMail.part(mail, "text/html"));
    assertThat(m.find()).as("a tracked link in the HTML part").isTrue();
    return m.group(1);
  }

  private static Response click(String token, String method) {
    return E2E.request("/t/c/" + token, null).header("User-Agent", BROWSER).method(method);
  }

  /** Sends the guide, waits a week for a click on it, then sends a second email. */
  private static String clickThenSecondEmail() {
    String id = newId("e2e-click");
    E2E.publish(id, """
        id: %s
        send_policy: none
        steps:
          - { id: guide, send: { template: whitepaper-thanks } }
          - id: wait-click
            wait_for: { any: [ { event: email_clicked, step: guide } ], timeout: 7d }
            on_event: clicked
            on_timeout: silent
          - { id: clicked, send: { template: onboarding-problem } }
          - { id: done, exit: { reason: clicked the guide, recycle: false } }
          - { id: silent, exit: { reason: no click, recycle: true } }
        """.formatted(id));
    return id;
  }

  @Test
  void aPersonsClickEndsTheWaitAndTheNextEmailGoesOutWhileAHeadAndATooEarlyClickDoNot() throws Exception {
    String lead = newId("clicker");
    String email = lead + "@example.com";
    MimeMessage guide = enrol(lead, Map.of("email", email, "first_name", "Pat"), clickThenSecondEmail());
    String token = clickToken(guide);
    // The ledger's "sent" time is what "too early" is measured from: the timeline shows it is recorded.
    await().atMost(Duration.ofSeconds(10)).until(() -> !E2E.timeline(lead, "email_sent").isEmpty());
    Instant firstClickable = Instant.now().plus(MIN_CLICK_DELAY).plusSeconds(1);

    // A link checker's HEAD and a click within seconds of delivery: the redirect, but bots.
    Response head = click(token, "HEAD");
    assertThat(head.getStatus()).isEqualTo(302);
    assertThat(head.getHeaderString("Location")).isEqualTo(GUIDE);
    Response early = click(token, "GET");
    assertThat(early.getStatus()).isEqualTo(302);
    assertThat(early.getHeaderString("Location")).isEqualTo(GUIDE);
    assertThat(E2E.timeline(lead, "email_clicked_bot")).extracting(e -> e.path("detail").path("reason").asText())
        .containsExactly("head_request", "too_soon_after_delivery");
    assertThat(E2E.events(lead, "email_clicked")).isEmpty();
    assertThat(E2E.journey(lead).path("current_step").asText()).isEqualTo("wait-click");
    assertThat(E2E.timeline(lead, "wait_for_met")).isEmpty();

    // The person's click, after the window: 302 to the original URL, and the journey moves on.
    long wait = Duration.between(Instant.now(), firstClickable).toMillis();
    if (wait > 0) {
      Thread.sleep(wait); // letting the too-early window pass; not an assertion
    }
    assertThat(E2E.mailTo(email)).as("the bot clicks sent nothing").hasSize(1);
    Response human = click(token, "GET");
    assertThat(human.getStatus()).isEqualTo(302);
    assertThat(human.getHeaderString("Location")).isEqualTo(GUIDE);
    await().atMost(Duration.ofSeconds(30)).until(() -> E2E.mailTo(email).size() == 2);
    assertThat(E2E.mailTo(email)).extracting(MimeMessage::getSubject).last().isEqualTo("Why good leads go quiet");
    assertThat(E2E.events(lead, "email_clicked")).singleElement().satisfies(e -> {
      JsonNode p = e.path("detail").path("properties");
      assertThat(p.path("url").asText()).isEqualTo(GUIDE);
      assertThat(p.path("message_id").asText()).isEqualTo(guide.getMessageID());
      assertThat(p.has("machine")).isFalse();
    });
    assertThat(E2E.timeline(lead, "wait_for_met")).hasSize(1);
    assertThat(E2E.timeline(lead, "email_clicked_bot")).hasSize(2);
    await().atMost(Duration.ofSeconds(30)).until(() -> !E2E.journey(lead).path("status").asText().equals("ACTIVE"));
  }

  @Test
  void aForgedClickTokenIsA404AndNeverARedirect() throws Exception {
    String lead = newId("forger");
    String token = clickToken(enrol(lead, Map.of("email", lead + "@example.com"), clickThenSecondEmail()));
    char last = token.charAt(token.length() - 1);
    String altered = token.substring(0, token.length() - 1) + (last == 'A' ? 'B' : 'A');
    for (String forged : List.of(altered, "AAAAAAAAAAAAAAAAAAAAAA", "https:evil.example")) {
      Response r = click(forged, "GET");
      assertThat(r.getStatus()).as(forged).isEqualTo(404);
      assertThat(r.getHeaderString("Location")).as(forged).isNull();
    }
    assertThat(E2E.timeline(lead, "email_clicked_bot")).isEmpty();
    assertThat(E2E.events(lead, "email_clicked")).isEmpty();
  }

  @Test
  void aReplyOverSmtpPausesTheJourneyAndAnOutOfOfficeDoesNot() throws Exception {
    String lead = newId("replier");
    String email = lead + "@example.com";
    MimeMessage welcome = enrol(lead, Map.of("email", email, "first_name", "Sam"), "onboarding");

    reply(email, welcome.getMessageID(), "Out of office: back on Monday", "Auto-Submitted", "auto-replied",
        "I am away until Monday with no access to email.");
    await().atMost(Duration.ofSeconds(20)).until(() -> !E2E.timeline(lead, "auto_reply").isEmpty());
    assertThat(E2E.events(lead, "replied")).isEmpty();
    assertThat(E2E.journey(lead).path("status").asText()).isEqualTo("ACTIVE");

    reply(email, welcome.getMessageID(), "Re: " + welcome.getSubject(), "X-Mailer", "Thunderbird",
        "Yes please, call me on Thursday.");
    await().atMost(Duration.ofSeconds(30)).until(() -> E2E.journey(lead).path("status").asText().equals("WAITING_FOR_HUMAN"));
    assertThat(E2E.events(lead, "replied")).singleElement().satisfies(e -> assertThat(
        e.path("detail").path("properties").path("text").asText()).contains("call me on Thursday"));
    assertThat(E2E.timeline(lead, "auto_reply")).hasSize(1);
  }

  @Test
  void aJapaneseEmailArrivesIntact() throws Exception {
    String lead = newId("ja");
    MimeMessage welcome = enrol(lead, Map.of("email", lead + "@example.jp", "locale", "ja-JP",
        "last_name", "山田", "company", "株式会社サンプル"), "onboarding");
    assertThat(welcome.getSubject()).isEqualTo("ご登録ありがとうございます - これからお届けする内容について");
    String text = ReceivedMail.part(welcome, "text/plain");
    assertThat(text).contains("株式会社サンプル", "山田様", "ご関心をお寄せいただき、ありがとうございます。")
        .doesNotContain("\uFFFD");
    assertThat(ReceivedMail.part(welcome, "text/html")).contains("山田様", "株式会社サンプル");
  }

  /** A reply as a mail client sends it: to Nurture's address over SMTP, answering {@code inReplyTo}. */
  private static void reply(String from, String inReplyTo, String subject, String header, String value, String body)
      throws Exception {
    Properties props = new Properties();
    props.put("mail.smtp.host", "127.0.0.1");
    props.put("mail.smtp.port", String.valueOf(E2E.smtp.getSmtp().getPort()));
    MimeMessage m = new MimeMessage(Session.getInstance(props));
    m.setFrom(new InternetAddress(from));
    m.setRecipient(Message.RecipientType.TO, new InternetAddress(NURTURE));
    m.setSubject(subject, "UTF-8");
    m.setHeader("In-Reply-To", inReplyTo);
    m.setHeader("References", inReplyTo);
    m.setHeader(header, value);
    m.setText(body + "\n\nOn Tue, Ana <" + NURTURE + "> wrote:\n> Thanks for your interest.\n", "UTF-8");
    Transport.send(m);
  }
}
