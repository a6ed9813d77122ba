package com.nurture.api.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.nurture.activities.sales.SalesSettings;
import com.nurture.workflows.journey.JourneySettings;
import com.nurture.workflows.program.DurationText;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMin;

/** Hand-offs to sales: the webhook (Standard Webhooks) and the follow-up SLA. */
public class SalesConfig {
  /** Where hand-offs are POSTed; empty: none (the alert list still has them). */
  @Pattern(regexp = "|https?://\\S+", message = "must be an http(s) URL or empty")
  @JsonProperty("webhook_url")
  public String webhookUrl = "";

  /** The signing secret, whsec_<base64> as Standard Webhooks tools make them. */
  @JsonProperty("webhook_secret")
  public String webhookSecret = "";

  /**
   * How long sales has to follow up before the first escalation (the second comes at twice this).
   * Read by {@link DurationText} when the configuration is bound: a bad value refuses to start.
   */
  @NotNull
  @DurationMin(seconds = 1, message = "must be longer than zero")
  @JsonDeserialize(using = DurationTextDeserializer.class)
  @JsonProperty
  public Duration sla = JourneySettings.DEFAULTS.handOffSla();

  /** Email the lead's owner (its owner_email attribute, else default_owner) about each hand-off. */
  @JsonProperty("owner_emails")
  public boolean ownerEmails = false;

  @jakarta.validation.constraints.Email(message = "must be an email address or empty")
  @JsonProperty("default_owner")
  public String defaultOwner = "";

  /** Email domains of strategic accounts: a lead from one (or a subdomain) raises a strategic_account alert. */
  @JsonProperty("strategic_accounts")
  public java.util.List<@Pattern(regexp = "[A-Za-z0-9.-]+\\.[A-Za-z]{2,}", message = "must be a domain such as example.com") String>
      strategicAccounts = java.util.List.of();

  public SalesSettings settings() {
    return new SalesSettings(webhookUrl == null ? "" : webhookUrl, webhookSecret == null ? "" : webhookSecret,
        ownerEmails, defaultOwner == null ? "" : defaultOwner);
  }
}
