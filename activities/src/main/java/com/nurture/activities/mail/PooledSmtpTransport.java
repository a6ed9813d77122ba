package com.nurture.activities.mail;

import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.util.Optional;
import org.simplejavamail.api.email.Email;
import org.simplejavamail.api.email.Recipient;
import org.simplejavamail.api.mailer.CustomMailer;
import org.simplejavamail.api.internal.batchsupport.LifecycleDelegatingTransport;
import org.simplejavamail.api.mailer.config.OperationalConfig;
import org.simplejavamail.internal.moduleloader.ModuleLoader;
import org.simplejavamail.internal.dkimsupport.DkimMessageIdFixingMimeMessage;

/**
 * The last step of every send through a {@link SmtpServer#mailer Mailer} that signs or is rate
 * limited: Simple Java Mail has validated the email and built its MIME message; this signs it with
 * the DKIM module's signer (when a key is configured), takes a pooled connection from the Mailer's
 * pool (the batch module's, as an unsigned send uses), waits for a send-rate slot while holding it
 * (when limits are configured, so the limit holds at the server), and sends.
 *
 * <p>Why not {@code EmailBuilder.signWithDomainKey(DkimConfig)}: that path looks the public key up
 * in DNS before every signature, with no way to turn it off (so dev, tests and a sender whose record
 * is not published yet could not send at all), and its header list can only be shortened, not
 * extended to List-Unsubscribe-Post, which RFC 8058 requires the signature to cover. The signer
 * here is the same one ({@code DkimSigner}/{@code DkimMessage} from the dkim-module), configured
 * by {@link DkimSigning#signer()}.
 */
final class PooledSmtpTransport implements CustomMailer {
  private final Optional<DkimSigning> dkim;
  private final SendRateLimiter rate;

  PooledSmtpTransport(Optional<DkimSigning> dkim, SendRateLimiter rate) {
    this.dkim = dkim;
    this.rate = rate;
  }

  @Override
  public void testConnection(OperationalConfig config, Session session) {
    try (Transport transport = session.getTransport()) {
      transport.connect();
    } catch (MessagingException e) {
      throw new SmtpTransportException(e);
    }
  }

  @Override
  public void sendMessage(OperationalConfig config, Session session, Email email,
      MimeMessage message) {
    try {
      // Keeps the Message-ID the email was built with (the send ledger's), as Simple Java Mail's own
      // DKIM path does: a plain DkimMessage would make a new one when it saves changes.
      MimeMessage outgoing = dkim.isPresent()
          ? new DkimMessageIdFixingMimeMessage(message, dkim.get().signer(), email.getId()) : message;
      Address[] recipients = email.getOverrideReceivers().isEmpty() ? outgoing.getAllRecipients()
          : email.getOverrideReceivers().stream().map(PooledSmtpTransport::address).toArray(Address[]::new);
      LifecycleDelegatingTransport pooled = ModuleLoader.loadBatchModule()
          .acquireTransport(config.getClusterKey(), session, false);
      try {
        for (Address to : recipients) {
          rate.acquire(to instanceof InternetAddress a ? a.getAddress() : to.toString());
        }
        pooled.getTransport().sendMessage(outgoing, recipients);
        pooled.signalTransportUsed();
      } catch (SendRateLimiter.RateLimited limited) {
        // Nothing was sent on the connection: it is as good as before.
        pooled.signalTransportUsed();
        throw limited;
      } catch (MessagingException | RuntimeException e) {
        // A connection that failed is not handed out again.
        pooled.signalTransportFailed();
        throw e;
      }
    } catch (MessagingException e) {
      throw new SmtpTransportException(e);
    }
  }

  private static Address address(Recipient r) {
    try {
      return new InternetAddress(r.getAddress(), r.getName());
    } catch (java.io.UnsupportedEncodingException e) {
      throw new IllegalArgumentException(e);
    }
  }

  /** Carries the SMTP client's exception (and its reply code) to {@link SendFailure}. */
  static final class SmtpTransportException extends RuntimeException {
    SmtpTransportException(MessagingException cause) {
      super(cause.getMessage(), cause);
    }
  }
}
