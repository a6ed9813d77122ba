package com.nurture.activities;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.util.Arrays;
import java.util.List;

/** A real SMTP server (GreenMail) on a free loopback port, and what it received for one address. */
public final class TestSmtp {
  private TestSmtp() {}

  public static GreenMail start() {
    quietUserManager();
    GreenMail smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", "smtp"));
    smtp.start();
    return smtp;
  }

  public static List<MimeMessage> mailTo(GreenMail smtp, String email) {
    return Arrays.stream(smtp.getReceivedMessages()).filter(m -> {
      try {
        return m.getAllRecipients()[0].toString().contains(email);
      } catch (MessagingException e) {
        throw new IllegalStateException(e);
      }
    }).toList();
  }

  /**
   * GreenMail logs each new mailbox's address (as login and password) at INFO. logback-test.xml
   * quiets it, but a Dropwizard application stopped earlier in the same JVM leaves logging at its
   * bootstrap level (INFO), so this is set again where mail is about to arrive: no address in a log.
   */
  public static void quietUserManager() {
    ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("com.icegreen.greenmail.user.UserManager"))
        .setLevel(ch.qos.logback.classic.Level.WARN);
  }
}
