package com.nurture.activities.mail;

import com.sanctionco.jmail.EmailValidationResult;
import com.sanctionco.jmail.EmailValidator;
import com.sanctionco.jmail.FailureReason;
import com.sanctionco.jmail.JMail;
import java.net.IDN;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * Which lead addresses Nurture can mail, decided once, where a lead comes in, so an address the
 * sender would refuse never reaches a journey (where every send of it would fail for ever).
 *
 * <p>The check is Simple Java Mail's own: its Mailer validates every recipient with JMail's strict
 * validator (no IP-literal domains, a top-level domain required, no obsolete whitespace), and so do
 * we. On top of it, because JMail accepts a few forms a lead's address must not have:
 * <ul>
 *   <li>no whitespace or control character anywhere (JMail reads {@code pat\r\n@example.com} as
 *       folding white space), quoted or not;</li>
 *   <li>a bare address only: no display name ({@code Pat <pat@example.com>}), comment or source route;</li>
 *   <li>the local part is ASCII (an internationalised local part needs SMTPUTF8, which the sender
 *       does not use); the domain may be internationalised ({@code bücher.example}, or its
 *       A-label {@code xn--bcher-kva.example}): it must convert with {@link IDN#toASCII} under the
 *       STD3 rules, and the address in that form must fit SMTP's limits (64-octet local part,
 *       254-octet address).</li>
 * </ul>
 */
public final class MailAddresses {
  private static final EmailValidator VALIDATOR = JMail.strictValidator()
      .disallowExplicitSourceRouting()
      .withRule(e -> !e.hasIdentifier() && e.comments().isEmpty());

  private MailAddresses() {}

  /** @return why {@code address} cannot be mailed, or empty when it can (null is not checked: empty) */
  public static Optional<String> problem(String address) {
    if (address == null) {
      return Optional.empty();
    }
    for (int i = 0; i < address.length(); i++) {
      char c = address.charAt(i);
      if (Character.isISOControl(c)) {
        return Optional.of("must not contain control characters (found " + codePoint(c) + ")");
      }
      if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
        return Optional.of("must not contain spaces");
      }
    }
    EmailValidationResult result = VALIDATOR.validate(address);
    if (!result.isSuccess()) {
      return Optional.of("must be an email address such as pat@example.com (" + reason(result.getFailureReason()) + ")");
    }
    int at = address.lastIndexOf('@');
    String local = address.substring(0, at);
    if (!local.chars().allMatch(ch -> ch < 0x80)) {
      return Optional.of("must have an ASCII local part (the part before @); the domain may be internationalised");
    }
    Optional<String> ascii = asciiDomain(address.substring(at + 1));
    if (ascii.isEmpty()) {
      return Optional.of("must have a valid domain: '" + address.substring(at + 1) + "' is not a valid internationalised domain name");
    }
    if (local.length() > 64) {
      return Optional.of("must have a local part of at most 64 characters");
    }
    if ((local + "@" + ascii.get()).getBytes(StandardCharsets.US_ASCII).length > 254) {
      return Optional.of("must be at most 254 characters (with the domain in its ASCII form)");
    }
    return Optional.empty();
  }

  public static boolean isValid(String address) {
    return address != null && problem(address).isEmpty();
  }

  /**
   * The address with its domain in ASCII (A-labels, {@code pat@xn--bcher-kva.example}), as SMTP
   * without SMTPUTF8 needs it; an address already ASCII, or one that is not valid, is returned as is.
   */
  public static String toAscii(String address) {
    int at = address == null ? -1 : address.lastIndexOf('@');
    if (at < 0 || address.chars().allMatch(ch -> ch < 0x80)) {
      return address;
    }
    return asciiDomain(address.substring(at + 1)).map(d -> address.substring(0, at + 1) + d).orElse(address);
  }

  private static Optional<String> asciiDomain(String domain) {
    try {
      String ascii = IDN.toASCII(domain, IDN.USE_STD3_ASCII_RULES);
      return ascii.isEmpty() || ascii.length() > 253 ? Optional.empty() : Optional.of(ascii);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static String codePoint(char c) {
    return String.format("U+%04X", (int) c);
  }

  private static String reason(FailureReason r) {
    if (r == null) {
      return "invalid";
    }
    return switch (r) {
      case MULTIPLE_AT_SYMBOLS -> "more than one @";
      case MISSING_AT_SYMBOL -> "no @";
      case DOMAIN_MISSING -> "no domain";
      case LOCAL_PART_MISSING -> "nothing before the @";
      case FAILED_CUSTOM_VALIDATION -> "a domain with a top-level domain is required; no display name, comment, source route or IP address";
      default -> r.name().toLowerCase(Locale.ROOT).replace('_', ' ');
    };
  }
}
