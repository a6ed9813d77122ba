package com.nurture.activities.sales;

/** Where hand-offs go: the sales system's webhook endpoint and its signing secret (empty: not sent). */
public record SalesSettings(String webhookUrl, String webhookSecret) {
  public boolean webhookConfigured() {
    return !webhookUrl.isBlank();
  }
}
