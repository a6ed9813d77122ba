package com.nurture.api.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nurture.api.config.TrackingConfig;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Each rule of the click and open classifier on its own, with the shipped defaults; no server. */
class ClickClassifierTest {
  private static final String BROWSER =
      "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15";
  private static final Instant SENT = Instant.parse("2026-03-02T09:00:00Z");
  private static final Instant LATER = SENT.plus(Duration.ofHours(2));

  private final ClickClassifier classifier = new TrackingConfig().classifier();

  private static Optional<InetAddress> ip(String a) {
    return Cidr.literal(a);
  }

  private static ClickClassifier.Click click(String method, String ua, String ip, Instant at, String token,
      List<ClickClassifier.EarlierClick> earlier) {
    return new ClickClassifier.Click(method, ua, ip(ip), at, token, false, Optional.of(SENT), earlier);
  }

  private static ClickClassifier.Click human(Instant at) {
    return click("GET", BROWSER, "203.0.113.7", at, "tok-a", List.of());
  }

  @Test
  void aBrowserGetLongAfterDeliveryIsAPerson() {
    assertThat(classifier.click(human(LATER))).isEqualTo(ClickClassifier.Verdict.HUMAN);
  }

  @Test
  void aHeadRequestIsABot() {
    assertThat(classifier.click(click("HEAD", BROWSER, "203.0.113.7", LATER, "tok-a", List.of())))
        .isEqualTo(new ClickClassifier.Verdict(false, "head_request"));
  }

  @Test
  void theHoneypotLinkIsABot() {
    ClickClassifier.Click c = new ClickClassifier.Click("GET", BROWSER, ip("203.0.113.7"), LATER, "hp", true,
        Optional.of(SENT), List.of());
    assertThat(classifier.click(c).reason()).isEqualTo("honeypot_link");
  }

  @Test
  void aClickWithinTenSecondsOfDeliveryIsABotAndTheDelayIsConfigurable() {
    assertThat(classifier.click(human(SENT.plusSeconds(9))).reason()).isEqualTo("too_soon_after_delivery");
    assertThat(classifier.click(human(SENT.plusSeconds(10))).human()).isTrue();
    TrackingConfig none = new TrackingConfig();
    none.minClickDelay = Duration.ZERO;
    assertThat(none.classifier().click(human(SENT.plusSeconds(1))).human()).isTrue();
    ClickClassifier.Click unknownDelivery = new ClickClassifier.Click("GET", BROWSER, ip("203.0.113.7"),
        SENT.plusSeconds(1), "tok-a", false, Optional.empty(), List.of());
    assertThat(classifier.click(unknownDelivery).human()).isTrue();
  }

  @Test
  void clicksWithinTheWindowAfterAHoneypotClickAreBots() {
    var honeypot = new ClickClassifier.EarlierClick(LATER, "hp", true);
    assertThat(classifier.click(click("GET", BROWSER, "203.0.113.7", LATER.plusSeconds(10), "tok-a",
        List.of(honeypot))).reason()).isEqualTo("near_honeypot_click");
    assertThat(classifier.click(click("GET", BROWSER, "203.0.113.7", LATER.plusSeconds(11), "tok-a",
        List.of(honeypot))).human()).isTrue();
  }

  @Test
  void knownScannerUserAgentsAndNoUserAgentAreBots() {
    for (String ua : List.of("Barracuda Sentinel (EE)", "Mozilla/5.0 (compatible; Mimecast)", "python-requests/2.31",
        "curl/8.4.0", "Go-http-client/1.1", "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0 Safari/537.36",
        "Java/17.0.2", "facebookexternalhit/1.1")) {
      assertThat(classifier.click(click("GET", ua, "203.0.113.7", LATER, "tok-a", List.of())).reason())
          .as(ua).startsWith("scanner_user_agent");
    }
    assertThat(classifier.click(click("GET", "", "203.0.113.7", LATER, "tok-a", List.of())).reason())
        .isEqualTo("no_user_agent");
    assertThat(classifier.click(click("GET", "Mozilla/5.0 (Linux; Android 12; Cubot X30)", "203.0.113.7", LATER, "tok-a",
        List.of())).human()).as("a phone whose name ends in 'bot'").isTrue();
  }

  @Test
  void scannerNetworksAreBotsAndConfigurable() {
    assertThat(classifier.click(click("GET", BROWSER, "40.107.22.5", LATER, "tok-a", List.of())).reason())
        .isEqualTo("scanner_network: 40.107.0.0/16");
    TrackingConfig own = new TrackingConfig();
    own.scannerNetworks = List.of("198.51.100.0/24", "2001:db8::/32");
    assertThat(own.classifier().click(click("GET", BROWSER, "198.51.100.200", LATER, "tok-a", List.of())).reason())
        .isEqualTo("scanner_network: 198.51.100.0/24");
    assertThat(own.classifier().click(click("GET", BROWSER, "2001:db8::1", LATER, "tok-a", List.of())).reason())
        .isEqualTo("scanner_network: 2001:db8::/32");
    assertThat(own.classifier().click(click("GET", BROWSER, "40.107.22.5", LATER, "tok-a", List.of())).human()).isTrue();
  }

  @Test
  void manyLinksOfOneMessageWithinSecondsAreBots() {
    var a = new ClickClassifier.EarlierClick(LATER, "tok-a", false);
    var b = new ClickClassifier.EarlierClick(LATER.plusSeconds(1), "tok-b", false);
    assertThat(classifier.click(click("GET", BROWSER, "203.0.113.7", LATER.plusSeconds(2), "tok-c", List.of(a, b)))
        .reason()).isEqualTo("many_links_at_once");
    assertThat(classifier.click(click("GET", BROWSER, "203.0.113.7", LATER.plusSeconds(2), "tok-b", List.of(a, b)))
        .human()).as("the same two links again").isTrue();
    assertThat(classifier.click(click("GET", BROWSER, "203.0.113.7", LATER.plusSeconds(30), "tok-c", List.of(a, b)))
        .human()).as("a third link half a minute later").isTrue();
  }

  @Test
  void opensByPrivacyProxiesAreMachineOpens() {
    assertThat(classifier.open(BROWSER, ip("203.0.113.7"))).isEqualTo(ClickClassifier.Verdict.HUMAN);
    assertThat(classifier.open("Mozilla/5.0", ip("203.0.113.7")).reason())
        .isEqualTo("privacy_proxy_user_agent: ^Mozilla/5\\.0$");
    assertThat(classifier.open("Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)",
        ip("203.0.113.7")).reason()).startsWith("privacy_proxy_user_agent");
    assertThat(classifier.open(BROWSER, ip("17.58.1.2")).reason()).isEqualTo("privacy_proxy_network: 17.0.0.0/8");
    assertThat(classifier.open(BROWSER, ip("66.102.8.1")).reason()).isEqualTo("privacy_proxy_network: 66.102.0.0/20");
  }

  @Test
  void networksParseStrictly() {
    assertThat(Cidr.parse("10.0.0.0/8").contains(Cidr.literal("10.255.1.1").orElseThrow())).isTrue();
    assertThat(Cidr.parse("10.0.0.0/8").contains(Cidr.literal("11.0.0.1").orElseThrow())).isFalse();
    assertThat(Cidr.parse("10.0.0.0/8").contains(Cidr.literal("::1").orElseThrow())).isFalse();
    assertThat(Cidr.parse("192.0.2.1").contains(Cidr.literal("192.0.2.1").orElseThrow())).isTrue();
    for (String bad : List.of("10.0.0.0/33", "example.com/8", "300.1.1.1/8", "10.0.0.0/x", "")) {
      assertThatThrownBy(() -> Cidr.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
    }
    assertThat(Cidr.literal("example.com")).isEmpty();
    TrackingConfig bad = new TrackingConfig();
    bad.proxyNetworks = List.of("not-a-network");
    assertThat(bad.isEveryPatternAndNetworkValid()).isFalse();
    assertThat(new TrackingConfig().isEveryPatternAndNetworkValid()).isTrue();
  }
}
