package com.nurture.activities.mail;

import java.util.Locale;
import java.util.Optional;
import org.simplejavamail.api.mailer.Mailer;
import org.simplejavamail.api.mailer.config.TransportStrategy;
import org.simplejavamail.mailer.MailerBuilder;

/**
 * Where mail goes. {@code transport} is {@code smtp} (plain, for local capture servers),
 * {@code starttls} or {@code smtps}.
 */
public record SmtpServer(String host, int port, String username, String password, String transport) {
  /** A Mailer that sends unsigned (tests that are not about signing; production configures DKIM). */
  public Mailer mailer() {
    return mailer(Optional.empty());
  }

  /**
   * The Mailer every email goes through. With a DKIM key, every message it sends is signed (journey
   * emails and owner notes alike): the signing is in the Mailer, not in each place that builds an
   * email, so no sender can forget it.
   */
  public Mailer mailer(Optional<DkimSigning> dkim) {
    Mailer smtp = smtpMailer();
    if (dkim.isEmpty()) {
      return smtp;
    }
    // The same session (server, TLS, credentials, timeouts); the last step signs, then sends.
    return MailerBuilder.usingSession(smtp.getSession())
        .withSessionTimeout(30_000)
        .withCustomMailer(new DkimSigningTransport(dkim.get()))
        .buildMailer();
  }

  private Mailer smtpMailer() {
    TransportStrategy strategy = switch (transport.toLowerCase(Locale.ROOT)) {
      case "smtp" -> TransportStrategy.SMTP;
      case "starttls" -> TransportStrategy.SMTP_TLS;
      case "smtps" -> TransportStrategy.SMTPS;
      default -> throw new IllegalArgumentException("smtp transport must be smtp, starttls or smtps, not " + transport);
    };
    return MailerBuilder
        .withSMTPServer(host, port, username.isEmpty() ? null : username, password.isEmpty() ? null : password)
        .withTransportStrategy(strategy)
        .withSessionTimeout(30_000)
        .buildMailer();
  }
}
