package com.nurture.activities.mail;

import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.simplejavamail.api.email.Email;
import org.simplejavamail.api.email.Recipient;
import org.simplejavamail.api.mailer.CustomMailer;
import org.simplejavamail.api.mailer.config.OperationalConfig;
import org.simplejavamail.internal.dkimsupport.DkimMessageIdFixingMimeMessage;

/**
 * The last step of every send through a {@link SmtpServer#mailer signing Mailer}: Simple Java Mail
 * has validated the email and built its MIME message; this signs it with the DKIM module's signer
 * and hands it to the SMTP server over the Mailer's own session (host, port, TLS, credentials and
 * timeouts as configured).
 *
 * <p>Why not {@code EmailBuilder.signWithDomainKey(DkimConfig)}: that path looks the public key up
 * in DNS before every signature, with no way to turn it off (so dev, tests and a sender whose record
 * is not published yet could not send at all), and its header list can only be shortened, not
 * extended to List-Unsubscribe-Post, which RFC 8058 requires the signature to cover. The signer
 * here is the same one ({@code DkimSigner}/{@code DkimMessage} from the dkim-module), configured
 * by {@link DkimSigning#signer()}.
 */
final class DkimSigningTransport implements CustomMailer {
  private final DkimSigning dkim;

  DkimSigningTransport(DkimSigning dkim) {
    this.dkim = dkim;
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
      MimeMessage signed = new DkimMessageIdFixingMimeMessage(message, dkim.signer(), email.getId());
      Address[] recipients = email.getOverrideReceivers().isEmpty() ? signed.getAllRecipients()
          : email.getOverrideReceivers().stream().map(DkimSigningTransport::address).toArray(Address[]::new);
      try (Transport transport = session.getTransport()) {
        transport.connect();
        transport.sendMessage(signed, recipients);
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
