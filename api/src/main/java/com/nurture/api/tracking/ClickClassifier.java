package com.nurture.api.tracking;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Decides whether a request to a tracked link was a person or a machine, and why; likewise for the
 * open pixel. Pure: no clock, database or HTTP, so every rule is unit-tested on its own
 * (ClickClassifierTest). Rules for a click, first match wins:
 * <ol>
 *   <li>{@code head_request}: a HEAD request (people's browsers GET; link checkers HEAD);</li>
 *   <li>{@code honeypot_link}: the hidden link no person sees;</li>
 *   <li>{@code no_user_agent} / {@code scanner_user_agent}: no User-Agent, or one of the known link
 *       scanners and HTTP libraries ({@link Settings#scannerUserAgents});</li>
 *   <li>{@code scanner_network}: from a network of security gateways ({@link Settings#scannerNetworks});</li>
 *   <li>{@code too_soon_after_delivery}: sooner than {@link Settings#minDelayAfterDelivery} after the
 *       message was handed to SMTP (gateways scan on arrival; people take longer);</li>
 *   <li>{@code near_honeypot_click}: within {@link Settings#honeypotWindow} after a honeypot click
 *       on the same message;</li>
 *   <li>{@code many_links_at_once}: this click makes {@link Settings#burstLinks} different links of the
 *       message clicked within {@link Settings#burstWindow}.</li>
 * </ol>
 * An open is {@code machine} when its User-Agent or network is a mail-privacy proxy or prefetcher
 * ({@link Settings#proxyUserAgents}, {@link Settings#proxyNetworks}).
 */
public final class ClickClassifier {
  /**
   * @param scannerUserAgents matched case-insensitively anywhere in the User-Agent (regular expressions)
   * @param proxyUserAgents likewise, for opens
   */
  public record Settings(Duration minDelayAfterDelivery, Duration honeypotWindow, Duration burstWindow, int burstLinks,
      List<Pattern> scannerUserAgents, List<Cidr> scannerNetworks, List<Pattern> proxyUserAgents,
      List<Cidr> proxyNetworks) {
    public Settings {
      scannerUserAgents = List.copyOf(scannerUserAgents);
      scannerNetworks = List.copyOf(scannerNetworks);
      proxyUserAgents = List.copyOf(proxyUserAgents);
      proxyNetworks = List.copyOf(proxyNetworks);
    }
  }

  /** @param reason empty for a person; otherwise the rule that decided, e.g. {@code head_request} */
  public record Verdict(boolean human, String reason) {
    public static final Verdict HUMAN = new Verdict(true, "");

    static Verdict machine(String reason) {
      return new Verdict(false, reason);
    }
  }

  /** An earlier click on the same message: when, on which token, and whether on the honeypot. */
  public record EarlierClick(Instant at, String token, boolean honeypot) {}

  /**
   * One request to a tracked link.
   *
   * @param deliveredAt when the message was handed to SMTP (empty: not known as sent)
   * @param earlier the same message's earlier clicks (at least those within the windows above)
   */
  public record Click(String method, String userAgent, Optional<InetAddress> ip, Instant at, String token,
      boolean honeypot, Optional<Instant> deliveredAt, List<EarlierClick> earlier) {}

  private final Settings settings;

  public ClickClassifier(Settings settings) {
    this.settings = settings;
  }

  public Settings settings() {
    return settings;
  }

  public Verdict click(Click c) {
    if ("HEAD".equalsIgnoreCase(c.method())) {
      return Verdict.machine("head_request");
    }
    if (c.honeypot()) {
      return Verdict.machine("honeypot_link");
    }
    String ua = c.userAgent() == null ? "" : c.userAgent().strip();
    if (ua.isEmpty()) {
      return Verdict.machine("no_user_agent");
    }
    Optional<String> scanner = firstMatch(settings.scannerUserAgents(), ua);
    if (scanner.isPresent()) {
      return Verdict.machine("scanner_user_agent: " + scanner.get());
    }
    Optional<Cidr> network = c.ip().flatMap(ip -> firstNetwork(settings.scannerNetworks(), ip));
    if (network.isPresent()) {
      return Verdict.machine("scanner_network: " + network.get());
    }
    if (c.deliveredAt().isPresent()
        && Duration.between(c.deliveredAt().get(), c.at()).compareTo(settings.minDelayAfterDelivery()) < 0) {
      return Verdict.machine("too_soon_after_delivery");
    }
    boolean nearHoneypot = c.earlier().stream().anyMatch(e -> e.honeypot() && within(e.at(), c.at(), settings.honeypotWindow()));
    if (nearHoneypot) {
      return Verdict.machine("near_honeypot_click");
    }
    Set<String> links = c.earlier().stream()
        .filter(e -> !e.honeypot() && within(e.at(), c.at(), settings.burstWindow()))
        .map(EarlierClick::token).collect(Collectors.toSet());
    links.add(c.token());
    if (settings.burstLinks() > 1 && links.size() >= settings.burstLinks()) {
      return Verdict.machine("many_links_at_once");
    }
    return Verdict.HUMAN;
  }

  /** An open of the pixel: a person's mail client, or a privacy proxy / prefetcher ({@code machine}). */
  public Verdict open(String userAgent, Optional<InetAddress> ip) {
    String ua = userAgent == null ? "" : userAgent.strip();
    Optional<String> proxy = firstMatch(settings.proxyUserAgents(), ua);
    if (proxy.isPresent()) {
      return Verdict.machine("privacy_proxy_user_agent: " + proxy.get());
    }
    Optional<Cidr> network = ip.flatMap(a -> firstNetwork(settings.proxyNetworks(), a));
    if (network.isPresent()) {
      return Verdict.machine("privacy_proxy_network: " + network.get());
    }
    return Verdict.HUMAN;
  }

  /** {@code earlier} at most {@code window} before {@code at} (or at the same instant). */
  private static boolean within(Instant earlier, Instant at, Duration window) {
    Duration gap = Duration.between(earlier, at);
    return !gap.isNegative() && gap.compareTo(window) <= 0;
  }

  private static Optional<String> firstMatch(List<Pattern> patterns, String ua) {
    return patterns.stream().filter(p -> p.matcher(ua).find()).map(Pattern::pattern).findFirst();
  }

  private static Optional<Cidr> firstNetwork(List<Cidr> networks, InetAddress ip) {
    return networks.stream().filter(n -> n.contains(ip)).findFirst();
  }
}
