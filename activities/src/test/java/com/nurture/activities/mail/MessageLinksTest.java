package com.nurture.activities.mail;

import static org.assertj.core.api.Assertions.assertThat;

import com.nurture.activities.db.LinkToken;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MessageLinksTest {
  private final MessageLinks.Message message = new MessageLinks.Message("k/welcome/1", "<m@acme.example>", "lead-1",
      "onboarding", 1, "welcome", "onboarding-welcome", "");
  private final MessageLinks links = new MessageLinks(message, "https://nurture.acme.example/", "https://acme.example/r");

  @Test
  void everyLinkIsRecordedInOneCallAndTheTokensRecordedEarlierReplaceTheOffered() {
    String pricing = links.click("https://acme.example/pricing");
    String docs = links.click("https://acme.example/docs");
    String pixel = links.openPixel().orElseThrow();
    assertThat(links.click("https://acme.example/pricing")).as("one token per (kind, URL)").isEqualTo(pricing);
    RenderedEmail rendered = new RenderedEmail("Hi", "see " + pricing + " and " + docs,
        "<a href=\"" + pricing + "\">p</a><a href=\"" + docs + "\">d</a><img src=\"" + pixel + "\">");

    List<List<LinkToken>> calls = new ArrayList<>();
    RenderedEmail recorded = links.record(rendered, (m, offered) -> {
      calls.add(offered);
      assertThat(m).isEqualTo(message);
      // An earlier attempt recorded the pricing link: its token comes back instead of the offered one.
      return offered.stream().map(l -> l.url().endsWith("/pricing") ? new LinkToken("EarlierToken0123456789a", l.kind(),
          l.url()) : l).toList();
    });

    assertThat(calls).singleElement().satisfies(offered -> assertThat(offered)
        .extracting(LinkToken::kind, LinkToken::url).containsExactly(
            org.assertj.core.groups.Tuple.tuple("click", "https://acme.example/pricing"),
            org.assertj.core.groups.Tuple.tuple("click", "https://acme.example/docs"),
            org.assertj.core.groups.Tuple.tuple("open", "")));
    String earlier = "https://nurture.acme.example/t/c/EarlierToken0123456789a";
    assertThat(recorded.text()).isEqualTo("see " + earlier + " and " + docs);
    assertThat(recorded.html()).contains("href=\"" + earlier + "\"", "href=\"" + docs + "\"", "src=\"" + pixel + "\"")
        .doesNotContain(pricing);
    assertThat(recorded.subject()).isEqualTo("Hi");
  }

  @Test
  void aMessageThatAskedForNoLinkRecordsNothing() {
    RenderedEmail rendered = new RenderedEmail("Hi", "text", "<p>html</p>");
    assertThat(links.record(rendered, (m, offered) -> {
      throw new AssertionError("no statement for a message without links");
    })).isSameAs(rendered);
  }

  @Test
  void tokensAreRandomAndSayNothingOfTheLeadOrUrl() {
    String url = links.click("https://acme.example/pricing");
    String token = url.substring(url.lastIndexOf('/') + 1);
    assertThat(url).startsWith("https://nurture.acme.example/t/c/");
    assertThat(token).matches("[A-Za-z0-9_-]{22}").doesNotContain("lead-1", "pricing");
    assertThat(new MessageLinks(message, "https://nurture.acme.example", "https://acme.example/r")
        .click("https://acme.example/pricing")).isNotEqualTo(url);
  }
}
