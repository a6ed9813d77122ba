package com.nurture.activities.mail;

import java.util.Locale;
import java.util.function.Function;
import java.util.function.Predicate;
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

  private static final Pattern TEXT = Pattern.compile(
      "\uE000[^\uE001]*\uE001|https?://[^\\s<>\"\uE000\uE001]+", Pattern.CASE_INSENSITIVE);
  private static final Pattern HTML = Pattern.compile(
      "\uE000[^\uE001]*\uE001|<a\\b[^>]*>", Pattern.CASE_INSENSITIVE);
  private static final Pattern HREF = Pattern.compile("(\\bhref\\s*=\\s*)(\"([^\"]*)\"|'([^']*)')",
      Pattern.CASE_INSENSITIVE);
  private static final Pattern NO_TRACK_ATTRIBUTE = Pattern.compile(
      "\\s+data-no-track(\\s*=\\s*(\"[^\"]*\"|'[^']*'|[^\\s>]+))?", Pattern.CASE_INSENSITIVE);
  private static final Pattern ENTITY = Pattern.compile("&(#[0-9]+|#x[0-9a-f]+|amp|lt|gt|quot|apos);",
      Pattern.CASE_INSENSITIVE);

  private LinkRewriter() {}

  /** The text part: bare URLs (trailing sentence punctuation is not part of the URL). */
  static String text(String text, Predicate<String> untouchable, Function<String, String> track) {
    Matcher m = TEXT.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
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
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(out);
    return strip(out.toString());
  }

  /** The HTML part: the href of each {@code <a>} tag. */
  static String html(String html, Predicate<String> untouchable, Function<String, String> track) {
    Matcher m = HTML.matcher(html);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
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
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(out);
    return strip(out.toString());
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
