package com.nurture.activities.mail;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rewrites the links of a rendered email part: every {@code href} of an HTML {@code <a>} and every
 * bare http(s) URL of the text part goes through the tracker. Left as written:
 * <ul>
 *   <li>an anchor with the {@code data-no-track} attribute (the attribute is removed on the way out);</li>
 *   <li>anything inside a {@code {{#no_track}}...{{/no_track}}} section, in either part (the renderer
 *       marks the section's output with two private-use characters, removed here);</li>
 *   <li>URLs the tracker calls untouchable (the unsubscribe link, tracking URLs), and non-http links
 *       ({@code mailto:}, {@code tel:}, {@code #anchor}).</li>
 * </ul>
 */
final class LinkRewriter {
  /** Start and end of a no-track section's output: Unicode private-use characters no template writes. */
  static final char NO_TRACK_START = '\uE000';
  static final char NO_TRACK_END = '\uE001';

  static final Pattern TEXT = Pattern.compile(
      "\uE000[^\uE001]*\uE001|https?://[^\\s<>\"\uE000\uE001]+", Pattern.CASE_INSENSITIVE);
  /** Where a match of {@link #TEXT} may begin: a no-track section, or "http" in any case (not every "h" of the text). */
  static final MayStart TEXT_MAY_START = (s, i) -> s.charAt(i) == NO_TRACK_START
      || (s.charAt(i) | 0x20) == 'h' && s.regionMatches(true, i, "http", 0, 4);
  static final Pattern HTML = Pattern.compile(
      "\uE000[^\uE001]*\uE001|<a\\b[^>]*>", Pattern.CASE_INSENSITIVE);
  /** Where a match of {@link #HTML} may begin: a no-track section, or "<a" in either case. */
  static final MayStart HTML_MAY_START = (s, i) -> s.charAt(i) == NO_TRACK_START
      || s.charAt(i) == '<' && i + 1 < s.length() && (s.charAt(i + 1) | 0x20) == 'a';
  private static final Pattern HREF = Pattern.compile("(\\bhref\\s*=\\s*)(\"([^\"]*)\"|'([^']*)')",
      Pattern.CASE_INSENSITIVE);
  private static final Pattern NO_TRACK_ATTRIBUTE = Pattern.compile(
      "\\s+data-no-track(\\s*=\\s*(\"[^\"]*\"|'[^']*'|[^\\s>]+))?", Pattern.CASE_INSENSITIVE);
  private static final Pattern ENTITY = Pattern.compile("&(#[0-9]+|#x[0-9a-f]+|amp|lt|gt|quot|apos);",
      Pattern.CASE_INSENSITIVE);

  private LinkRewriter() {}

  /** Whether a match may begin at index {@code i} of {@code s}: a cheap test before the pattern is tried there. */
  @FunctionalInterface
  interface MayStart {
    boolean at(String s, int i);
  }

  /** The text part: bare URLs (trailing sentence punctuation is not part of the URL). */
  static String text(String text, Predicate<String> untouchable, Function<String, String> track) {
    StringBuilder out = new StringBuilder(text.length() + 256);
    int copied = 0;
    for (MatchResult m : matches(TEXT, text, TEXT_MAY_START)) {
      String found = m.group();
      String replacement;
      if (found.charAt(0) == NO_TRACK_START) {
        replacement = found.substring(1, found.length() - 1);
      } else {
        int end = found.length();
        while (end > 0 && ".,;:!?)]}'".indexOf(found.charAt(end - 1)) >= 0
            && !(found.charAt(end - 1) == ')' && found.substring(0, end).contains("("))) {
          end--;
        }
        String url = found.substring(0, end);
        replacement = (untouchable.test(url) || !valid(url) ? url : track.apply(url)) + found.substring(end);
      }
      out.append(text, copied, m.start()).append(replacement);
      copied = m.end();
    }
    return strip(out.append(text, copied, text.length()).toString());
  }

  /** The HTML part: the href of each {@code <a>} tag. */
  static String html(String html, Predicate<String> untouchable, Function<String, String> track) {
    StringBuilder out = new StringBuilder(html.length() + 512);
    int copied = 0;
    for (MatchResult m : matches(HTML, html, HTML_MAY_START)) {
      String found = m.group();
      String replacement;
      if (found.charAt(0) == NO_TRACK_START) {
        replacement = found.substring(1, found.length() - 1);
      } else if (NO_TRACK_ATTRIBUTE.matcher(found).find()) {
        replacement = NO_TRACK_ATTRIBUTE.matcher(found).replaceAll("");
      } else {
        Matcher href = HREF.matcher(found);
        if (href.find()) {
          String raw = href.group(3) != null ? href.group(3) : href.group(4);
          String url = unescape(raw).strip();
          String lower = url.toLowerCase(Locale.ROOT);
          boolean web = lower.startsWith("http://") || lower.startsWith("https://");
          String tracked = !web || untouchable.test(url) || !valid(url) ? url : track.apply(url);
          replacement = tracked.equals(url) ? found
              : found.substring(0, href.start()) + href.group(1) + "\"" + EmailRenderer.escape(tracked) + "\""
                  + found.substring(href.end());
        } else {
          replacement = found;
        }
      }
      out.append(html, copied, m.start()).append(replacement);
      copied = m.end();
    }
    return strip(out.append(html, copied, html.length()).toString());
  }

  /**
   * The matches of {@code pattern} in {@code s}, the ones {@link Matcher#find} finds, tried only where
   * {@code mayStart} says one may begin (at least wherever a match of the pattern can begin).
   * {@code find} tries the whole pattern at every index, and a case-insensitive alternation there cost
   * a send's rendering more than anything else it did (docs/benchmarks.md, "2026-12-07 15:07-15:40").
   * (An empty match, which neither pattern has, would be found once, and the search go on after it.)
   */
  static List<MatchResult> matches(Pattern pattern, String s, MayStart mayStart) {
    List<MatchResult> found = new ArrayList<>();
    Matcher m = pattern.matcher(s);
    int length = s.length();
    int i = 0;
    while (i < length) {
      if (mayStart.at(s, i) && m.region(i, length).lookingAt()) {
        found.add(m.toMatchResult());
        i = Math.max(m.end(), i + 1);
      } else {
        i++;
      }
    }
    return found;
  }

  /** Only a URL the redirect can answer with is tracked; a malformed one is left for the mail client to judge. */
  private static boolean valid(String url) {
    try {
      java.net.URI uri = new java.net.URI(url);
      return uri.getHost() != null;
    } catch (java.net.URISyntaxException e) {
      return false;
    }
  }

  /** Removes stray no-track marks (an unclosed section). */
  static String strip(String s) {
    return s.indexOf(NO_TRACK_START) < 0 && s.indexOf(NO_TRACK_END) < 0 ? s
        : s.replace(String.valueOf(NO_TRACK_START), "").replace(String.valueOf(NO_TRACK_END), "");
  }

  private static java.util.Optional<String> codePoint(String reference) {
    try {
      int cp = reference.startsWith("#x") ? Integer.parseInt(reference.substring(2), 16)
          : Integer.parseInt(reference.substring(1));
      return java.util.Optional.of(Character.toString(cp));
    } catch (IllegalArgumentException e) {
      return java.util.Optional.empty();
    }
  }

  /** An attribute value as the browser reads it: character references decoded. */
  static String unescape(String s) {
    Matcher m = ENTITY.matcher(s);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String e = m.group(1).toLowerCase(Locale.ROOT);
      String r = switch (e) {
        case "amp" -> "&";
        case "lt" -> "<";
        case "gt" -> ">";
        case "quot" -> "\"";
        case "apos" -> "'";
        default -> codePoint(e).orElse(m.group());
      };
      m.appendReplacement(out, Matcher.quoteReplacement(r));
    }
    m.appendTail(out);
    return out.toString();
  }
}
