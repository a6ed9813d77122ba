package com.nurture.api.config;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Delivery events from email service providers, posted to /v1/webhooks/esp/{provider}. Each
 * provider's endpoint answers 503 until its secret is configured.
 */
public class EspConfig {
  public Standard standard = new Standard();
  public Mailgun mailgun = new Mailgun();
  public Postmark postmark = new Postmark();
  public Sendgrid sendgrid = new Sendgrid();
  @JsonProperty("amazon_ses")
  public AmazonSes amazonSes = new AmazonSes();

  /** /v1/webhooks/esp/standard: Standard Webhooks signatures. */
  public static class Standard {
    /** The signing secret ({@code whsec_<base64>}, or plain text); empty: not configured. */
    @JsonProperty("secret")
    public String secret = "";
  }

  /** /v1/webhooks/esp/mailgun: Mailgun's signature object (HMAC-SHA256 of timestamp + token). */
  public static class Mailgun {
    /** The HTTP webhook signing key (Mailgun's "Webhook signing key"); empty: not configured. */
    @JsonProperty("signing_key")
    public String signingKey = "";
  }

  /** /v1/webhooks/esp/postmark: HTTP basic auth, the user and password set on the webhook's URL. */
  public static class Postmark {
    /** Empty (either): not configured. */
    @JsonProperty("user")
    public String user = "";

    @JsonProperty("password")
    public String password = "";
  }

  /** /v1/webhooks/esp/sendgrid: SendGrid's signed Event Webhook (ECDSA P-256). */
  public static class Sendgrid {
    /** The webhook's verification key as SendGrid shows it (base64 DER public key); empty: not configured. */
    @JsonProperty("verification_key")
    public String verificationKey = "";
  }

  /** /v1/webhooks/esp/amazon-ses: Amazon SES notifications through an SNS topic (signed by SNS). */
  public static class AmazonSes {
    /**
     * The SNS topic's ARN: an SNS signature proves only that SNS sent the message, so only this
     * topic's are taken. Empty: not configured.
     */
    @JsonProperty("topic_arn")
    public String topicArn = "";
  }
}
