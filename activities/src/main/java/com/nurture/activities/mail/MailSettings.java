package com.nurture.activities.mail;

import java.net.URI;

/**
 * Who the mail is from and the things every email must carry: the sender's postal address and
 * the public URL the unsubscribe links point at.
 *
 * @param publicUrl base URL of the API as recipients reach it, e.g. {@code https://nurture.example.com}
 * @param unsubscribeMailto address for the {@code mailto:} form of List-Unsubscribe
 * @param resourceUrl where templates point readers for guides, recordings and the like
 */
public record MailSettings(
    String fromAddress,
    String fromName,
    String company,
    String product,
    String postalAddress,
    URI publicUrl,
    String unsubscribeMailto,
    String resourceUrl) {

  /** The host part of the from address, used to make Message-IDs. */
  public String domain() {
    int at = fromAddress.lastIndexOf('@');
    return at < 0 ? "nurture.local" : fromAddress.substring(at + 1);
  }

  public String unsubscribeUrl(String token) {
    String base = publicUrl.toString();
    return (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/u/" + token;
  }
}
