package com.nurture.activities.privacy;

import java.util.regex.Pattern;

/**
 * Email addresses inside free text that goes to a log, a database column or an alert (an SMTP
 * server's reply, a request line): found and replaced, so no address is written there. One pattern
 * for every such place: the request log ({@code [email]}) and send failures ({@code <address>}).
 */
public final class Addresses {
  /**
   * local@domain, the '@' plain or percent-encoded once or twice ({@code %40}, {@code %2540}, as in a
   * URL's query); either side ends at white space, quotes, angle brackets, list and URL delimiters.
   */
  private static final Pattern ADDRESS = Pattern.compile(
      "[^\\s<>\"'@,;:/?&=()\\[\\]]+(?:@|%40|%2540)[^\\s<>\"'@,;/?&=()\\[\\]]+", Pattern.CASE_INSENSITIVE);

  private Addresses() {}

  /** {@code text} with every address in it replaced by {@code replacement}. */
  public static String mask(String text, String replacement) {
    return ADDRESS.matcher(text).replaceAll(java.util.regex.Matcher.quoteReplacement(replacement));
  }
}
