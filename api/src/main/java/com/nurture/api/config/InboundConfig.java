package com.nurture.api.config;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Inbound email (replies, auto-replies, delivery reports) posted to /v1/webhooks/inbound/{provider}. */
public class InboundConfig {
  /**
   * The Standard Webhooks secret ({@code whsec_<base64>}) that signs deliveries to
   * /v1/webhooks/inbound/standard; empty: that endpoint answers 503 (not configured).
   */
  @JsonProperty("webhook_secret")
  public String webhookSecret = "";
}
