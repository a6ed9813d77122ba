package com.nurture.api.config;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.nurture.api.tracking.Cidr;
import com.nurture.api.tracking.ClickClassifier;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.hibernate.validator.constraints.time.DurationMin;

/**
 * Click and open tracking (docs/architecture.md, "Tracking"): how clicks are told from link
 * scanners and opens from privacy proxies. Durations are read by the one duration parser
 * ({@link DurationTextDeserializer}); networks are CIDR, user agents regular expressions matched
 * case-insensitively anywhere in the header. A bad entry refuses the configuration at start-up.
 */
public class TrackingConfig {
  /** A tracked link or pixel answers 404 once it is older than this. */
  @NotNull
  @DurationMin(days = 1, message = "must be at least 1d")
  @JsonDeserialize(using = DurationTextDeserializer.class)
  @JsonProperty("link_lifetime")
  public Duration linkLifetime = Duration.ofDays(365);

  /** A click sooner than this after the message was handed to SMTP is a scanner's ("0s": no such rule). */
  @NotNull
  @JsonDeserialize(using = DurationTextDeserializer.class)
  @JsonProperty("min_click_delay")
  public Duration minClickDelay = Duration.ofSeconds(10);

  /** Clicks on a message this close to a click on its hidden honeypot link are a scanner's. */
  @NotNull
  @JsonDeserialize(using = DurationTextDeserializer.class)
  @JsonProperty("honeypot_window")
  public Duration honeypotWindow = Duration.ofSeconds(10);

  /** {@code burst_links} different links of one message clicked within {@code burst_window} are a scanner's. */
  @NotNull
  @JsonDeserialize(using = DurationTextDeserializer.class)
  @JsonProperty("burst_window")
  public Duration burstWindow = Duration.ofSeconds(5);

  @Min(2) @Max(1000)
  @JsonProperty("burst_links")
  public int burstLinks = 3;

  /** Link scanners and HTTP libraries, by User-Agent. */
  @NotNull
  @JsonProperty("scanner_user_agents")
  public List<String> scannerUserAgents = new ArrayList<>(List.of(
      "barracuda", "mimecast", "proofpoint", "ppops", "symantec", "messagelabs", "trend ?micro", "forcepoint",
      "sophos", "fortiguard", "check ?point", "ironport", "cisco", "zscaler", "bitdefender", "safelinks",
      "urldefense", "python-requests", "python-urllib", "aiohttp", "curl/", "wget/", "go-http-client", "okhttp",
      "java/", "apache-httpclient", "libwww-perl", "headlesschrome", "phantomjs", "\\bbot\\b", "bot/", "crawler", "spider",
      "facebookexternalhit", "skypeuripreview", "whatsapp"));

  /**
   * Networks of mail security gateways that follow links on delivery. Defaults: Microsoft Exchange
   * Online Protection (40.92.0.0/15, 40.107.0.0/16, 52.100.0.0/14, 104.47.0.0/17), Googlebot
   * (66.249.64.0/19), Proofpoint (148.163.128.0/19, 67.231.144.0/20). Review against the vendors'
   * published lists for your audience.
   */
  @NotNull
  @JsonProperty("scanner_networks")
  public List<String> scannerNetworks = new ArrayList<>(List.of(
      "40.92.0.0/15", "40.107.0.0/16", "52.100.0.0/14", "104.47.0.0/17", "66.249.64.0/19",
      "148.163.128.0/19", "67.231.144.0/20"));

  /**
   * Mail-privacy proxies and prefetchers that load images by themselves, by User-Agent. Apple Mail
   * Privacy Protection fetches with a bare {@code Mozilla/5.0}; Gmail's image proxy names itself
   * {@code GoogleImageProxy} (via ggpht.com); Yahoo's {@code YahooMailProxy}.
   */
  @NotNull
  @JsonProperty("proxy_user_agents")
  public List<String> proxyUserAgents = new ArrayList<>(List.of(
      "^Mozilla/5\\.0$", "GoogleImageProxy", "ggpht\\.com", "YahooMailProxy"));

  /** Their networks: Apple (17.0.0.0/8) and Google's image proxy ranges. */
  @NotNull
  @JsonProperty("proxy_networks")
  public List<String> proxyNetworks = new ArrayList<>(List.of(
      "17.0.0.0/8", "66.102.0.0/20", "66.249.80.0/20", "64.233.160.0/19", "74.125.0.0/16"));

  /** Opens by proxies are recorded on the timeline only; true delivers them to the journey too (as machine: true). */
  @JsonProperty("deliver_machine_opens")
  public boolean deliverMachineOpens = false;

  /** The classifier these settings describe. */
  public ClickClassifier classifier() {
    return new ClickClassifier(new ClickClassifier.Settings(minClickDelay, honeypotWindow, burstWindow, burstLinks,
        patterns(scannerUserAgents), networks(scannerNetworks), patterns(proxyUserAgents), networks(proxyNetworks)));
  }

  @JsonIgnore
  @AssertTrue(message = "every entry must be a valid regular expression (scanner_user_agents, proxy_user_agents) "
      + "or CIDR network (scanner_networks, proxy_networks)")
  public boolean isEveryPatternAndNetworkValid() {
    try {
      classifier();
      return true;
    } catch (IllegalArgumentException | NullPointerException e) {
      return false;
    }
  }

  private static List<Pattern> patterns(List<String> regexes) {
    try {
      return regexes.stream().map(r -> Pattern.compile(r, Pattern.CASE_INSENSITIVE)).toList();
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  private static List<Cidr> networks(List<String> cidrs) {
    return cidrs.stream().map(Cidr::parse).toList();
  }
}
