package com.nurture.api.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;
import java.util.Optional;

/**
 * Inbound email (replies, auto-replies, delivery reports) posted to /v1/webhooks/inbound/{provider},
 * and the per-message Reply-To address replies are matched by. Each provider answers 503 until its
 * proof is configured. A key left empty in the YAML ({@code ${VAR:-}}) stays "" (never null).
 */
public class InboundConfig {
  /**
   * The Standard Webhooks secret ({@code whsec_<base64>}) that signs deliveries to
   * /v1/webhooks/inbound/standard; empty: that endpoint answers 503 (not configured).
   */
  @JsonSetter(nulls = Nulls.SKIP)
  @JsonProperty("webhook_secret")
  public String webhookSecret = "";

  /**
   * The domain of each email's own Reply-To address, {@code reply+{token}@{reply_domain}} (its MX
   * must route to one of the inbound providers); empty: emails carry no Reply-To.
   */
  @Pattern(regexp = "|[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)+",
      message = "must be a domain name such as reply.acme.example, or empty")
  @JsonSetter(nulls = Nulls.SKIP)
  @JsonProperty("reply_domain")
  public String replyDomain = "";

  @Valid
  public Basic sendgrid = new Basic();

  @Valid
  public Mailgun mailgun = new Mailgun();

  @Valid
  @JsonProperty("amazon_ses")
  public AmazonSes amazonSes = new AmazonSes();

  @Valid
  public Basic postmark = new Basic();

  /** The reply domain, when configured. */
  public Optional<String> replyDomain() {
    return replyDomain == null || replyDomain.isBlank() ? Optional.empty() : Optional.of(replyDomain.trim());
  }

  /**
   * HTTP basic credentials the provider sends because they are in the URL it posts to
   * ({@code https://user:password@host/v1/webhooks/inbound/...}); either empty: not configured.
   */
  public static class Basic {
    @JsonSetter(nulls = Nulls.SKIP)
    @JsonProperty("user")
    public String user = "";


    @JsonSetter(nulls = Nulls.SKIP)
    @JsonProperty("password")
    public String password = "";
  }

  /** Mailgun routes: forwards signed like Mailgun's webhooks (HMAC-SHA256 of timestamp + token). */
  public static class Mailgun {
    /** The HTTP webhook signing key; empty: {@code esp.mailgun.signing_key} (the same account's key). */
    @JsonSetter(nulls = Nulls.SKIP)
    @JsonProperty("signing_key")
    public String signingKey = "";
  }

  /** Amazon SES receipt rules publishing to an SNS topic (the SNS action). */
  public static class AmazonSes {
    /** The ARN of the SNS topic the receipt rule publishes to; empty: not configured. */
    @JsonSetter(nulls = Nulls.SKIP)
    @JsonProperty("topic_arn")
    public String topicArn = "";
  }
}
