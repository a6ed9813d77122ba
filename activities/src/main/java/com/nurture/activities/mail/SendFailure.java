package com.nurture.activities.mail;

import jakarta.mail.internet.AddressException;
import java.lang.reflect.Method;
import java.util.OptionalInt;
import org.simplejavamail.mailer.MailValidationException;

/**
 * Why a send failed, and whether trying again could help. Permanent: the message itself is wrong
 * (an invalid address, a header-injection attempt, an unrenderable or unknown template) or the SMTP
 * server refused it with a 5xx reply. Everything else (connection refused, a timeout, a 4xx reply)
 * is transient and retried by Temporal with backoff.
 *
 * @param permanent retrying cannot succeed
 * @param reason what went wrong, for the ledger, the timeline and the alert (never the address)
 */
public record SendFailure(boolean permanent, String reason, boolean hardBounce) {

  public SendFailure(boolean permanent, String reason) {
    this(permanent, reason, false);
  }

  /** The failure type the workflow sees for a permanent failure: not retried. */
  public static final String PERMANENT_TYPE = "PermanentSendFailure";

  public static SendFailure permanent(String reason) {
    return new SendFailure(true, reason);
  }

  /** Classifies what Simple Java Mail or the SMTP client threw. */
  public static SendFailure of(Throwable thrown) {
    for (Throwable t = thrown; t != null; t = t.getCause()) {
      if (t instanceof MailValidationException) {
        return permanent("the message is invalid: " + describe(t));
      }
      if (t instanceof AddressException) {
        return permanent("the address is invalid: " + describe(t));
      }
      OptionalInt code = smtpReturnCode(t);
      if (code.isPresent() && code.getAsInt() >= 500 && code.getAsInt() < 600) {
        // Refused at RCPT (SMTPAddressFailedException): the mailbox is refused, a hard bounce at send.
        boolean recipient = t.getClass().getSimpleName().equals("SMTPAddressFailedException");
        return new SendFailure(true, (recipient ? "the SMTP server refused the recipient (" : "the SMTP server refused the message (")
            + code.getAsInt() + "): " + describe(t), recipient);
      }
      if (code.isPresent() && code.getAsInt() >= 400 && code.getAsInt() < 500) {
        return new SendFailure(false, "the SMTP server deferred the message (" + code.getAsInt() + "): " + describe(t));
      }
    }
    return new SendFailure(false, describe(thrown));
  }

  /**
   * The SMTP reply code of Jakarta Mail's SMTP exceptions (SMTPSendFailedException,
   * SMTPAddressFailedException, SMTPSenderFailedException all have {@code getReturnCode()}); read
   * reflectively so the classifier does not bind to one Jakarta Mail implementation's package.
   */
  static OptionalInt smtpReturnCode(Throwable t) {
    try {
      Method m = t.getClass().getMethod("getReturnCode");
      Object code = m.invoke(t);
      return code instanceof Integer i && i > 0 ? OptionalInt.of(i) : OptionalInt.empty();
    } catch (ReflectiveOperationException | RuntimeException e) {
      return OptionalInt.empty();
    }
  }

  private static String describe(Throwable t) {
    String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    // One line, bounded, no address (Addresses): this goes to a database column, a timeline entry and an alert.
    String line = com.nurture.activities.privacy.Addresses.mask(message.replaceAll("[\\r\\n]+", " "), "<address>").trim();
    return line.length() > 300 ? line.substring(0, 300) + "..." : line;
  }
}
