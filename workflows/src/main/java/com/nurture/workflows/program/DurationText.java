package com.nurture.workflows.program;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one parser of durations, wherever people write them (programs, scoring.yaml, config.yml,
 * simulation scripts): {@code 3d}, {@code 12h}, {@code 1d12h}, {@code 90m}, {@code 2w},
 * {@code 30s}; ISO-8601 ({@code PT36H}) is accepted too. Never negative. (config.yml binds its
 * {@code java.time.Duration} fields with the API's DurationTextDeserializer, which calls
 * {@link #parse}, so a bad value refuses the configuration at start-up with the key it is under.)
 */
public final class DurationText {
  private static final Pattern PART = Pattern.compile("(\\d+)\\s*(w|d|h|m|s)");
  private static final Pattern WHOLE = Pattern.compile("(\\s*\\d+\\s*(w|d|h|m|s)\\s*)+");

  private DurationText() {}

  /** @throws IllegalArgumentException with a message fit for a validation error */
  public static Duration parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("a duration is required, e.g. 3d, 12h or 1d12h");
    }
    String t = text.trim().toLowerCase(Locale.ROOT);
    Duration total;
    try {
      total = t.startsWith("p") || t.startsWith("-p") || t.startsWith("+p")
          ? Duration.parse(t.toUpperCase(Locale.ROOT))
          : shortForm(text, t);
    } catch (DateTimeParseException | ArithmeticException | NumberFormatException e) {
      throw notADuration(text);
    }
    if (total.isNegative()) {
      throw new IllegalArgumentException("'" + text + "' is negative; a duration is zero or longer");
    }
    return total;
  }

  private static Duration shortForm(String text, String t) {
    if (!WHOLE.matcher(t).matches()) {
      throw notADuration(text);
    }
    Duration total = Duration.ZERO;
    Matcher m = PART.matcher(t);
    while (m.find()) {
      long n = Long.parseLong(m.group(1));
      total = total.plus(switch (m.group(2)) {
        case "w" -> Duration.ofDays(Math.multiplyExact(7, n));
        case "d" -> Duration.ofDays(n);
        case "h" -> Duration.ofHours(n);
        case "m" -> Duration.ofMinutes(n);
        default -> Duration.ofSeconds(n);
      });
    }
    return total;
  }

  private static IllegalArgumentException notADuration(String text) {
    return new IllegalArgumentException("'" + text + "' is not a duration; write e.g. 3d, 12h or 1d12h");
  }

  /** The shortest text form: {@code 1d12h}, {@code 3d}, {@code 90s} becomes {@code 1m30s}. */
  public static String format(Duration d) {
    if (d.isZero()) {
      return "0s";
    }
    StringBuilder b = new StringBuilder();
    long days = d.toDays();
    if (days > 0) b.append(days).append('d');
    if (d.toHoursPart() > 0) b.append(d.toHoursPart()).append('h');
    if (d.toMinutesPart() > 0) b.append(d.toMinutesPart()).append('m');
    if (d.toSecondsPart() > 0) b.append(d.toSecondsPart()).append('s');
    return b.length() == 0 ? d.toMillis() + "ms" : b.toString();
  }
}
