package com.nurture.activities.mail;

import java.util.Locale;
import org.simplejavamail.api.mailer.Mailer;
import org.simplejavamail.api.mailer.config.TransportStrategy;
import org.simplejavamail.mailer.MailerBuilder;

/**
 * Where mail goes. {@code transport} is {@code smtp} (plain, for local capture servers),
 * {@code starttls} or {@code smtps}.
 */
public record SmtpServer(String host, int port, String username, String password, String transport) {
  public Mailer mailer() {
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
