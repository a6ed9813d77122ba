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
  static {
    JakartaMailStreams.nameTheProvider(); // before the first email is built
  }

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
    return mailer(dkim, SmtpPool.DEFAULT);
  }

  /**
   * The same, sending over a pool of connections to the server, reused from one email to the next
   * (signed or not): opening a connection per email is what capped sends at about 22/s.
   */
  public Mailer mailer(Optional<DkimSigning> dkim, SmtpPool pool) {
    return mailer(dkim, pool, SendRateLimiter.none());
  }

  /**
   * The same, under the configured send rate limits: a send takes its slot while it holds its
   * pooled connection, just before the message goes out, so the limit holds at the server.
   */
  public Mailer mailer(Optional<DkimSigning> dkim, SmtpPool pool, SendRateLimiter rate) {
    Mailer smtp = smtpMailer(pool);
    if (dkim.isEmpty() && rate.unlimited()) {
      return smtp;
    }
    // The same session (server, TLS, credentials, timeouts) and pool; the last step signs (with a
    // key), waits for a rate slot (with limits), then sends over a pooled connection.
    return pooled(MailerBuilder.usingSession(smtp.getSession()), pool)
        .withSessionTimeout(30_000)
        .withCustomMailer(new PooledSmtpTransport(dkim, rate))
        .buildMailer();
  }

  private static <T extends org.simplejavamail.api.mailer.MailerGenericBuilder<?>> T pooled(T builder, SmtpPool pool) {
    builder.withConnectionPoolCoreSize(pool.coreSize())
        .withConnectionPoolMaxSize(pool.maxSize())
        .withConnectionPoolClaimTimeoutMillis(Math.toIntExact(Math.min(Integer.MAX_VALUE, pool.claimTimeout().toMillis())))
        .withConnectionPoolExpireAfterMillis(Math.toIntExact(Math.min(Integer.MAX_VALUE, pool.expireAfter().toMillis())));
    return builder;
  }

  private Mailer smtpMailer(SmtpPool pool) {
    TransportStrategy strategy = switch (transport.toLowerCase(Locale.ROOT)) {
      case "smtp" -> TransportStrategy.SMTP;
      case "starttls" -> TransportStrategy.SMTP_TLS;
      case "smtps" -> TransportStrategy.SMTPS;
      default -> throw new IllegalArgumentException("smtp transport must be smtp, starttls or smtps, not " + transport);
    };
    return pooled(MailerBuilder
        .withSMTPServer(host, port, username.isEmpty() ? null : username, password.isEmpty() ? null : password)
        .withTransportStrategy(strategy)
        .withSessionTimeout(30_000), pool)
        .buildMailer();
  }
}
