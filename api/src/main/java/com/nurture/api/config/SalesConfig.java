package com.nurture.api.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.nurture.activities.sales.SalesSettings;
import com.nurture.workflows.program.DurationText;
import jakarta.validation.constraints.Pattern;
import java.time.Duration;

/** Hand-offs to sales: the webhook (Standard Webhooks) and the follow-up SLA. */
public class SalesConfig {
  /** Where hand-offs are POSTed; empty: none (the alert list still has them). */
  @Pattern(regexp = "|https?://\\S+", message = "must be an http(s) URL or empty")
  @JsonProperty("webhook_url")
  public String webhookUrl = "";

  /** The signing secret, whsec_<base64> as Standard Webhooks tools make them. */
  @JsonProperty("webhook_secret")
  public String webhookSecret = "";

  /** How long sales has to follow up before the first escalation (the second comes at twice this). */
  @Pattern(regexp = "\\s*\\d+\\s*[wdhms].*|P.*", message = "must be a duration such as 24h")
  @JsonProperty
  public String sla = "24h";

  public SalesSettings settings() {
    return new SalesSettings(webhookUrl == null ? "" : webhookUrl, webhookSecret == null ? "" : webhookSecret);
  }

  public Duration slaDuration() {
    return DurationText.parse(sla);
  }
}
