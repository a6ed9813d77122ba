package com.nurture.activities.mail;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import com.github.mustachejava.MustacheException;
import com.github.mustachejava.MustacheFactory;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Renders a template for one lead with Mustache and appends what every email must carry: a visible
 * unsubscribe link and the sender's postal address. The footer is added here, not left to each
 * template, so no template can forget it.
 */
public final class EmailRenderer {
  /** Subject and text parts are not HTML: values go in as they are. */
  private final MustacheFactory plain = new DefaultMustacheFactory() {
    @Override
    public void encode(String value, Writer writer) {
      try {
        writer.write(value);
      } catch (IOException e) {
        throw new MustacheException("cannot write", e);
      }
    }
  };
  private final MustacheFactory html = new DefaultMustacheFactory();
  private final Map<String, Mustache> compiled = new ConcurrentHashMap<>();
  private final MailSettings settings;
  /** What templates see as {@code sender}: the same for every email. */
  private final Map<String, Object> sender;
  /** Each footer's text and HTML around the unsubscribe link, escaped once: the same for every email in its language. */
  private final Map<Footer, FooterParts> footers = new ConcurrentHashMap<>();
  private static final Pattern WHITESPACE = Pattern.compile("\\s+");

  public EmailRenderer(MailSettings settings) {
    this.settings = settings;
    this.sender = Map.of(
        "name", settings.fromName(),
        "company", settings.company(),
        "product", settings.product(),
        "postal_address", settings.postalAddress(),
        "resource_url", settings.resourceUrl());
  }

  /**
   * @param lead the lead's fields and attributes (snake_case names, e.g. first_name, company)
   */
  public RenderedEmail render(EmailTemplate template, Map<String, Object> lead, String unsubscribeUrl) {
    return render(template, lead, unsubscribeUrl, LinkTracker.NONE);
  }

  /**
   * Renders and rewrites the links through {@code tracker} (see {@link LinkRewriter}): every link
   * of the template's own content, never the footer's unsubscribe link. Templates opt a link out
   * with {@code data-no-track} on the {@code <a>} tag, or with {@code {{#no_track}}...{{/no_track}}}
   * around it (either part).
   */
  public RenderedEmail render(EmailTemplate template, Map<String, Object> lead, String unsubscribeUrl,
      LinkTracker tracker) {
    Map<String, Object> scope = new HashMap<>(lead);
    Object first = lead.get("first_name");
    scope.put("greeting_name", first == null || String.valueOf(first).isBlank() ? "there" : first);
    scope.put("sender", sender);
    scope.put("unsubscribe_url", unsubscribeUrl);
    scope.put("no_track", (Function<String, String>) s ->
        LinkRewriter.NO_TRACK_START + s + LinkRewriter.NO_TRACK_END);
    Predicate<String> untouchable = url -> url.equals(unsubscribeUrl) || tracker.untouchable(url);

    String subject = WHITESPACE.matcher(run(plain, template.id() + "#subject", template.subject(), scope)).replaceAll(" ")
        .trim();
    String text = LinkRewriter.text(run(plain, template.id() + "#text", template.text(), scope).strip(), untouchable,
        tracker::click);
    String body = template.html()
        .map(h -> LinkRewriter.html(run(html, template.id() + "#html", h, scope).strip(), untouchable, tracker::click))
        .orElseGet(() -> paragraphs(text));
    FooterParts footer = footers.computeIfAbsent(Footer.of(template.id()), this::parts);
    return new RenderedEmail(LinkRewriter.strip(subject), text + footer.textBeforeLink() + unsubscribeUrl + "\n",
        htmlDocument(footer, body, unsubscribeUrl, tracker));
  }

  /**
   * The unsubscribe line every email carries, in the template's language: a template whose id ends
   * in a language ({@code onboarding-welcome.ja}) gets that language's footer, English otherwise.
   */
  record Footer(String text, String htmlBefore, String htmlLink, String htmlAfter) {
    static final Footer ENGLISH = new Footer("Don't want these emails? Unsubscribe: ", "Don't want these emails? ",
        "Unsubscribe", ".");
    static final Map<String, Footer> BY_LANGUAGE = Map.of(
        "ja", new Footer("今後このメールが不要な場合は、こちらから配信を停止できます: ",
            "今後このメールが不要な場合は、", "配信停止", "の手続きができます。"));

    static Footer of(String templateId) {
      int dot = templateId.lastIndexOf('.');
      return dot < 0 ? ENGLISH : BY_LANGUAGE.getOrDefault(templateId.substring(dot + 1), ENGLISH);
    }
  }

  private String run(MustacheFactory factory, String name, String source, Map<String, Object> scope) {
    Mustache m = compiled.computeIfAbsent((factory == html ? "h:" : "p:") + name,
        k -> factory.compile(new StringReader(source), name));
    StringWriter out = new StringWriter();
    m.execute(out, List.of(scope));
    return out.toString();
  }

  /** A footer as this sender's emails carry it, around the unsubscribe link. */
  private record FooterParts(String textBeforeLink, String htmlBeforeLink, String htmlAfterLink) {}

  private FooterParts parts(Footer footer) {
    return new FooterParts("\n\n--\n" + settings.company() + ", " + settings.postalAddress() + "\n" + footer.text(),
        "<p style=\"font-size:12px;color:#666\">" + escape(settings.company()) + ", " + escape(settings.postalAddress())
            + "<br>" + escape(footer.htmlBefore()) + "<a href=\"",
        "\">" + escape(footer.htmlLink()) + "</a>" + escape(footer.htmlAfter()) + "</p>\n");
  }

  private String htmlDocument(FooterParts footer, String body, String unsubscribeUrl, LinkTracker tracker) {
    return "<!DOCTYPE html>\n<html><body style=\"font-family:Arial,Helvetica,sans-serif;font-size:15px;line-height:1.5;color:#222\">\n"
        + body
        + "\n<hr style=\"border:none;border-top:1px solid #ddd;margin-top:24px\">\n"
        + footer.htmlBeforeLink() + escape(unsubscribeUrl) + footer.htmlAfterLink()
        // No person sees or follows the honeypot link: a click on it is a link scanner's.
        + tracker.honeypot().map(u -> "<a href=\"" + escape(u) + "\" aria-hidden=\"true\" tabindex=\"-1\" "
            + "style=\"display:none!important;font-size:0;line-height:0;max-height:0;overflow:hidden;mso-hide:all\">"
            + "&#8203;</a>\n").orElse("")
        + tracker.openPixel().map(u -> "<img src=\"" + escape(u) + "\" width=\"1\" height=\"1\" alt=\"\" "
            + "style=\"display:block;width:1px;height:1px;border:0\">\n").orElse("")
        + "</body></html>\n";
  }

  /** Plain text to HTML: blank lines separate paragraphs, single line breaks are kept. */
  static String paragraphs(String text) {
    StringBuilder b = new StringBuilder();
    for (String para : text.split("\\n\\s*\\n")) {
      if (!para.isBlank()) {
        b.append("<p>").append(String.join("<br>\n", para.strip().lines().map(EmailRenderer::escape).toList()))
            .append("</p>\n");
      }
    }
    return b.toString().strip();
  }

  /**
   * HTML-escaped as Mustache escapes a value ({@code HtmlEscaper}). A string of letters, digits and the
   * punctuation of URLs that Mustache leaves as it is (every tracking and unsubscribe URL) is returned
   * as it is, without the escaper's copy through a synchronised writer.
   */
  static String escape(String s) {
    if (unescaped(s)) {
      return s;
    }
    try {
      StringWriter w = new StringWriter();
      com.github.mustachejava.util.HtmlEscaper.escape(s, w);
      return w.toString();
    } catch (RuntimeException e) {
      throw new UncheckedIOException(new IOException("cannot escape", e));
    }
  }

  /** The characters besides letters and digits that Mustache's escaper leaves alone and URLs are made of. */
  private static final String URL_PUNCTUATION = "-._~:/?#[]@!$()*+,;%";

  private static boolean unescaped(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || URL_PUNCTUATION.indexOf(c) >= 0;
      if (!plain) {
        return false;
      }
    }
    return true;
  }
}
