package com.nurture.api.resources;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.nurture.activities.TestSmtp;
import com.nurture.activities.mail.DkimSigning;
import com.nurture.activities.mail.SmtpEmailActivities;
import com.nurture.activities.mail.SmtpServer;
import com.nurture.api.dev.MailCapture;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.simplejavamail.email.EmailBuilder;

/** GET /dev/mailbox shows each message's raw source as received: every header, the DKIM signature among them. */
class DevMailboxResourceTest {
  private GreenMail smtp;

  @BeforeEach
  void start() {
    smtp = TestSmtp.start();
  }

  @AfterEach
  void stop() {
    smtp.stop();
  }

  @Test
  void eachMessageCarriesItsRawSourceWithTheDkimSignature() throws Exception {
    DkimSigning dkim = new DkimSigning("nurture.localhost", "nurture-dev",
        DkimSigning.readPrivateKey(DkimSigning.generatePrivateKeyPem()));
    SmtpServer server = new SmtpServer("127.0.0.1", smtp.getSmtp().getPort(), "", "", "smtp");
    SmtpEmailActivities.sendAndWait(server.mailer(Optional.of(dkim)), EmailBuilder.startingBlank()
        .from("Sam", "hello@nurture.localhost")
        .to("pat@example.com")
        .withSubject("Welcome")
        .withPlainText("Hi Pat,\n")
        .withHeader("X-Test", "raw")
        .buildEmail());

    DevMailboxResource.Mailbox box = new DevMailboxResource(smtp, new MailCapture(smtp, 10)).list(null);
    assertThat(box.count()).isEqualTo(1);
    DevMailboxResource.Mail mail = box.messages().get(0);
    assertThat(mail.subject()).isEqualTo("Welcome");
    String unfolded = mail.raw().replaceAll("\r\n[ \t]+", " ");
    assertThat(unfolded)
        .contains("DKIM-Signature: v=1; a=rsa-sha256;")
        .contains("d=nurture.localhost;")
        .contains("s=nurture-dev;")
        .contains("\r\nSubject: Welcome\r\n")
        .contains("\r\nX-Test: raw\r\n")
        .contains("\r\nMessage-ID: " + mail.messageId() + "\r\n")
        .contains("\r\n\r\n")
        .contains("Hi Pat,");
  }

  @Test
  void anAddressWhoseLastMessageIsDroppedIsForgottenAndMadeAgainByItsNextEmail() throws Exception {
    SmtpServer server = new SmtpServer("127.0.0.1", smtp.getSmtp().getPort(), "", "", "smtp");
    for (int i = 1; i <= 6; i++) { // six addresses, one email each
      SmtpEmailActivities.sendAndWait(server.mailer(Optional.empty()), EmailBuilder.startingBlank()
          .from("Sam", "hello@nurture.localhost")
          .to("lead" + i + "@example.com")
          .withSubject("email " + i)
          .withPlainText("n " + i)
          .buildEmail());
    }
    MailCapture capture = new MailCapture(smtp, 2);
    assertThat(smtp.getUserManager().listUser()).hasSize(6);

    assertThat(capture.trim()).isEqualTo(4);
    assertThat(smtp.getUserManager().listUser()).extracting(u -> u.getEmail())
        .containsExactlyInAnyOrder("lead5@example.com", "lead6@example.com");

    SmtpEmailActivities.sendAndWait(server.mailer(Optional.empty()), EmailBuilder.startingBlank()
        .from("Sam", "hello@nurture.localhost")
        .to("lead1@example.com")
        .withSubject("again")
        .withPlainText("back")
        .buildEmail());
    DevMailboxResource.Mailbox box = new DevMailboxResource(smtp, capture).list(null);
    assertThat(box.messages()).extracting(DevMailboxResource.Mail::subject)
        .containsExactlyInAnyOrder("email 5", "email 6", "again");
  }

  @Test
  void theCaptureKeepsOnlyTheNewestAndDeleteEmptiesIt() throws Exception {
    SmtpServer server = new SmtpServer("127.0.0.1", smtp.getSmtp().getPort(), "", "", "smtp");
    for (int i = 1; i <= 5; i++) {
      SmtpEmailActivities.sendAndWait(server.mailer(Optional.empty()), EmailBuilder.startingBlank()
          .from("Sam", "hello@nurture.localhost")
          .to(i % 2 == 0 ? "pat@example.com" : "kim@example.org") // two mailboxes: retention spans them
          .withSubject("email " + i)
          .withPlainText("n " + i)
          .buildEmail());
    }
    MailCapture capture = new MailCapture(smtp, 3);
    DevMailboxResource resource = new DevMailboxResource(smtp, capture);

    assertThat(capture.trim()).isEqualTo(2);
    assertThat(resource.list(null).messages()).extracting(DevMailboxResource.Mail::subject)
        .containsExactlyInAnyOrder("email 3", "email 4", "email 5");
    assertThat(capture.trim()).isZero();
    assertThat(smtp.getUserManager().listUser()).extracting(u -> u.getEmail())
        .containsExactlyInAnyOrder("pat@example.com", "kim@example.org"); // each still holds a message

    Response purged = resource.purge();
    assertThat(purged.getStatus()).isEqualTo(204);
    assertThat(resource.list(null).count()).isZero();
    assertThat(List.of(smtp.getReceivedMessages())).isEmpty();
  }
}
