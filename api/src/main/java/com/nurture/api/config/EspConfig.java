package com.nurture.api.config;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Delivery events from email service providers, posted to /v1/webhooks/esp/{provider}. Each
 * provider's endpoint answers 503 until its secret is configured.
 */
public class EspConfig {
  public Standard standard = new Standard();
  public Mailgun mailgun = new Mailgun();

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
}
