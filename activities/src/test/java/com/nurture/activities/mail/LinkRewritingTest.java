package com.nurture.activities.mail;

import static org.assertj.core.api.Assertions.assertThat;

import com.nurture.activities.TestMail;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Render-time link rewriting, without a database: a tracker that numbers the links it is given. */
class LinkRewritingTest {
  private final EmailRenderer renderer = new EmailRenderer(TestMail.settings(URI.create("https://n.example")));
  private static final String UNSUBSCRIBE = "https://n.example/u/tok";

  /** Records each URL asked for and answers t/c/{n}. */
  static final class Numbering implements LinkTracker {
    final List<String> urls = new ArrayList<>();

    @Override
    public String click(String url) {
      if (!urls.contains(url)) {
        urls.add(url);
      }
      return "https://n.example/t/c/" + urls.indexOf(url);
    }

    @Override
    public Optional<String> openPixel() {
      return Optional.of("https://n.example/t/o/pixel");
    }

    @Override
    public Optional<String> honeypot() {
      return Optional.of("https://n.example/t/c/honeypot");
    }
  }

  private static EmailTemplate links() {
    return new TemplateCatalog().find("test-links").orElseThrow();
  }

  @Test
  void everyTemplateLinkInBothPartsGoesThroughTheTracker() {
    Numbering tracker = new Numbering();
    RenderedEmail e = renderer.render(links(), Map.of("first_name", "Pat"), UNSUBSCRIBE, tracker);
    assertThat(tracker.urls).containsExactly("https://acme.example/guide?a=1&b=2", "https://acme.example/slides");
    assertThat(e.text()).contains("Read the guide: https://n.example/t/c/0.")
        .contains("Slides (https://n.example/t/c/1).")
        .doesNotContain("acme.example/guide").doesNotContain("acme.example/slides");
    assertThat(e.html()).contains("<a href=\"https://n.example/t/c/0\">the guide</a>")
        .contains("<a class=\"x\" href=\"https://n.example/t/c/1\">slides</a>")
        .doesNotContain("acme.example/guide");
  }

  @Test
  void theUnsubscribeLinkNoTrackLinksAndMailtoAreLeftAlone() {
    RenderedEmail e = renderer.render(links(), Map.of("first_name", "Pat"), UNSUBSCRIBE, new Numbering());
    assertThat(e.text()).contains("Private: https://acme.example/private").contains("Leave: " + UNSUBSCRIBE)
        .contains("Unsubscribe: " + UNSUBSCRIBE).doesNotContain("\uE000").doesNotContain("\uE001");
    assertThat(e.html()).contains("<a href=\"https://acme.example/private\">private</a>")
        .contains("<a href=\"https://acme.example/raw\">raw</a>")
        .contains("<a href=\"mailto:ana@acme.example\">mail</a>")
        .contains("<a href=\"" + UNSUBSCRIBE + "\">leave</a>")
        .contains("<a href=\"" + UNSUBSCRIBE + "\">Unsubscribe</a>")
        .doesNotContain("data-no-track").doesNotContain("\uE000").doesNotContain("\uE001");
  }

  @Test
  void theHtmlPartCarriesAHiddenHoneypotLinkAndTheOpenPixel() {
    RenderedEmail e = renderer.render(links(), Map.of(), UNSUBSCRIBE, new Numbering());
    assertThat(e.html()).contains("<a href=\"https://n.example/t/c/honeypot\" aria-hidden=\"true\" tabindex=\"-1\" "
        + "style=\"display:none!important")
        .contains("<img src=\"https://n.example/t/o/pixel\" width=\"1\" height=\"1\" alt=\"\"")
        .endsWith("</body></html>\n");
    assertThat(e.text()).doesNotContain("honeypot").doesNotContain("pixel");
  }

  @Test
  void withoutATrackerNothingIsRewritten() {
    RenderedEmail e = renderer.render(links(), Map.of(), UNSUBSCRIBE);
    assertThat(e.text()).contains("https://acme.example/guide?a=1&b=2.").doesNotContain("/t/");
    assertThat(e.html()).contains("href=\"https://acme.example/guide?a=1&amp;b=2\"").doesNotContain("/t/");
  }

  @Test
  void aTextOnlyTemplateGetsTrackedUrlsInItsGeneratedHtmlToo() {
    EmailTemplate t = new EmailTemplate("plain-link", "S", "See {{sender.resource_url}} today.", Optional.empty());
    Numbering tracker = new Numbering();
    RenderedEmail e = renderer.render(t, Map.of(), UNSUBSCRIBE, tracker);
    assertThat(tracker.urls).containsExactly("https://acme.example/resources");
    assertThat(e.text()).startsWith("See https://n.example/t/c/0 today.");
    assertThat(e.html()).contains("See https://n.example/t/c/0 today.").doesNotContain("acme.example/resources");
  }

  @Test
  void aMalformedUrlIsLeftAsWritten() {
    Numbering tracker = new Numbering();
    String html = LinkRewriter.html("<a href=\"https://bad host/\nx\">x</a> <a href=\"https://ok.example/a\">ok</a>",
        url -> false, tracker::click);
    assertThat(tracker.urls).containsExactly("https://ok.example/a");
    assertThat(html).contains("https://bad host/\nx").contains("https://n.example/t/c/0");
  }

  @Test
  void attributeValuesAreReadAsTheBrowserReadsThem() {
    assertThat(LinkRewriter.unescape("https://a.example/?x=1&amp;y=&#50;&#x33;&quot;")).isEqualTo("https://a.example/?x=1&y=23\"");
    assertThat(LinkRewriter.unescape("&#99999999999;")).isEqualTo("&#99999999999;");
  }
  /**
   * The rewriter tries its patterns only where a match can begin ({@link LinkRewriter#matches}); on
   * text made of the pieces links and no-track sections are made of, in both cases and every order, it
   * finds exactly what {@code Matcher.find} finds trying every index.
   */
  @Test
  void triedWhereAMatchCanBeginItFindsWhatFindFinds() {
    String[] pieces = {"http://a.example/x", "HTTPS://B.example", "hTtP://c.example/p?q=1&r=2", "https://", "http:/",
        "h", "H", "ht", "<a href=\"https://d.example\">", "<A HREF='http://e.example'>", "<a", "<abbr>", "<", ">",
        " ", "\n", "\"", ".", ")", "\uE000", "\uE001", "\uE000http://f.example\uE001", "text ", "é", "<a\uE000>",
        "tp://g.example", "TP://", "a href=\"http://h.example\">", "A>", "hTt"};
    Random random = new Random(20261207);
    int compared = 0;
    for (int run = 0; run < 5_000; run++) {
      StringBuilder b = new StringBuilder();
      for (int k = random.nextInt(12); k >= 0; k--) {
        b.append(pieces[random.nextInt(pieces.length)]);
      }
      String s = b.toString();
      assertThat(spans(LinkRewriter.matches(LinkRewriter.TEXT, s, LinkRewriter.TEXT_MAY_START)))
          .as("text part %s", s).isEqualTo(spansFound(LinkRewriter.TEXT, s));
      assertThat(spans(LinkRewriter.matches(LinkRewriter.HTML, s, LinkRewriter.HTML_MAY_START)))
          .as("HTML part %s", s).isEqualTo(spansFound(LinkRewriter.HTML, s));
      compared += spansFound(LinkRewriter.TEXT, s).size() + spansFound(LinkRewriter.HTML, s).size();
    }
    assertThat(compared).as("matches compared").isGreaterThan(10_000);
  }

  private static List<String> spans(List<MatchResult> matches) {
    return matches.stream().map(m -> m.start() + "-" + m.end()).toList();
  }

  private static List<String> spansFound(Pattern pattern, String s) {
    Matcher m = pattern.matcher(s);
    List<String> found = new ArrayList<>();
    while (m.find()) {
      found.add(m.start() + "-" + m.end());
    }
    return found;
  }
}
