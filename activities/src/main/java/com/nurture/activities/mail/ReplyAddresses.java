package com.nurture.activities.mail;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Each message's own Reply-To address, {@code reply+{token}@{reply domain}}: the token is random
 * (128 bits, lower-case hex, so a mail system that folds the local part's case keeps it), says
 * nothing about the lead or its address, and is recorded with the message; a reply sent to it is
 * matched to that message even when the mailer dropped In-Reply-To and References.
 */
public final class ReplyAddresses {
  static final String LOCAL_PREFIX = "reply+";
  private static final Pattern ADDRESS = Pattern.compile("(?i)^reply\\+([0-9a-f]{32})@[^@\\s]+$");
  private static final SecureRandom RANDOM = new SecureRandom();

  private ReplyAddresses() {}

  /** A new token. */
  public static String newToken() {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  /** The token of a Reply-To address of ours ({@code reply+{token}@...}), empty for any other address. */
  public static Optional<String> tokenOf(String address) {
    Matcher m = ADDRESS.matcher(address.trim());
    return m.matches() ? Optional.of(m.group(1).toLowerCase(Locale.ROOT)) : Optional.empty();
  }
}
