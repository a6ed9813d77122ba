package com.nurture.activities.mail;

import static org.assertj.core.api.Assertions.assertThat;

import com.nurture.activities.TestMail;
import com.github.mustachejava.util.HtmlEscaper;
import java.io.StringWriter;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EmailRendererTest {
  private final EmailRenderer renderer = new EmailRenderer(TestMail.settings(URI.create("https://n.example")));

  @Test
  void personalisesTextWithoutEscapingAndHtmlWithEscaping() {
    EmailTemplate t = new EmailTemplate("t", "Hi {{first_name}} at {{company}}", "Hello {{greeting_name}} from {{sender.company}}",
        Optional.of("<p>Hello {{first_name}}</p>"));
    RenderedEmail e = renderer.render(t, Map.of("first_name", "Seán", "company", "O'Brien & Co"), "https://n.example/u/tok");
    assertThat(e.subject()).isEqualTo("Hi Seán at O'Brien & Co");
    assertThat(e.text()).startsWith("Hello Seán from Acme Ltd");
    assertThat(e.html()).contains("<p>Hello Seán</p>");

    RenderedEmail risky = renderer.render(t, Map.of("first_name", "<script>x</script>"), "https://n.example/u/tok");
    assertThat(risky.html()).doesNotContain("<script>").contains("&lt;script&gt;");
  }

  @Test
  void everyPartCarriesTheUnsubscribeLinkAndPostalAddress() {
    EmailTemplate t = new EmailTemplate("plain", "S", "First paragraph.\n\nSecond\nline.", Optional.empty());
    RenderedEmail e = renderer.render(t, Map.of(), "https://n.example/u/tok");
    assertThat(e.text()).contains("Unsubscribe: https://n.example/u/tok").contains("1 Harbour Street, Bristol");
    assertThat(e.html()).contains("<a href=\"https://n.example/u/tok\">Unsubscribe</a>").contains("1 Harbour Street, Bristol");
    assertThat(e.html()).contains("<p>First paragraph.</p>").contains("<p>Second<br>\nline.</p>");
  }

  @Test
  void greetsByFirstNameOrThere() {
    EmailTemplate t = new EmailTemplate("g", "S", "Hi {{greeting_name}},", Optional.empty());
    assertThat(renderer.render(t, Map.of("first_name", "Pat"), "u").text()).startsWith("Hi Pat,");
    assertThat(renderer.render(t, Map.of(), "u").text()).startsWith("Hi there,");
  }

  @Test
  void theShippedTemplatesRenderWithShortSubjects() {
    TemplateCatalog catalog = new TemplateCatalog();
    for (String id : new String[] {"onboarding-welcome", "onboarding-problem", "onboarding-approach",
        "onboarding-proof", "onboarding-next-step"}) {
      EmailTemplate t = catalog.find(id).orElseThrow();
      RenderedEmail e = renderer.render(t, Map.of("first_name", "Pat", "company", "Initech", "industry", "logistics"), "u");
      assertThat(e.subject()).as(id).hasSizeLessThanOrEqualTo(32).doesNotContain("{{");
      assertThat(e.text()).as(id).doesNotContain("{{").contains("Pat");
      assertThat(e.text().split("\\s+").length).as(id + " word count").isBetween(80, 320);
    }
    assertThat(catalog.exists("no-such-template")).isFalse();
    assertThat(catalog.exists("../etc/passwd")).isFalse();
  }
  /**
   * Escaped as Mustache's escaper escapes it, for every character alone, in a URL, and in text that
   * needs escaping; a string with nothing to escape comes back as the same string.
   */
  @Test
  void escapesAsMustacheDoes() {
    List<String> samples = new ArrayList<>(List.of(
        "https://n.example/t/c/AbC-_123", "https://n.example/u/u3.k1.x?y=1&z=<2>", "Tom's \"quote\" `tick`",
        "a=b", "caf\u00e9", "\u3053\u3093\u306b\u3061\u306f", "line\nbreak\ttab", ""));
    for (char c = 0; c < 256; c++) {
      samples.add(String.valueOf(c));
      samples.add("https://n.example/" + c + "/x");
    }
    for (String s : samples) {
      StringWriter mustache = new StringWriter();
      HtmlEscaper.escape(s, mustache);
      assertThat(EmailRenderer.escape(s)).as("escaping %s", s).isEqualTo(mustache.toString());
    }
    String plain = "https://n.example/t/o/AbC-_123";
    assertThat(EmailRenderer.escape(plain)).isSameAs(plain);
  }
}
