package com.nurture.activities.sales;

/**
 * Where hand-offs go: the sales system's webhook endpoint and its signing secret (empty: not sent),
 * and whether the lead's owner gets an email too.
 *
 * @param ownerEmails email the lead's owner about each hand-off
 * @param defaultOwner the address used when a lead has no {@code owner_email} attribute (empty: none)
 */
public record SalesSettings(String webhookUrl, String webhookSecret, boolean ownerEmails, String defaultOwner) {
  public SalesSettings(String webhookUrl, String webhookSecret) {
    this(webhookUrl, webhookSecret, false, "");
  }

  public boolean webhookConfigured() {
    return !webhookUrl.isBlank();
  }
}
