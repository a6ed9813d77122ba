package com.nurture.activities.mail;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * Who the mail is from and the things every email must carry: the sender's postal address and
 * the public URL the unsubscribe links point at.
 *
 * @param publicUrl base URL of the API as recipients reach it, e.g. {@code https://nurture.example.com}
 * @param unsubscribeMailto address for the {@code mailto:} form of List-Unsubscribe
 * @param resourceUrl where templates point readers for guides, recordings and the like
 * @param dkim the key every message is DKIM-signed with; empty: mail goes unsigned (a warning at
 *     start-up: receivers such as Gmail and Yahoo require bulk senders to sign)
 * @param replyDomain the domain of each message's own Reply-To address ({@code reply+{token}@domain},
 *     docs/api.md "Inbound email"); empty: no Reply-To, replies go to the from address
 */
public record MailSettings(
    String fromAddress,
    String fromName,
    String company,
    String product,
    String postalAddress,
    URI publicUrl,
    String unsubscribeMailto,
    String resourceUrl,
    Optional<DkimSigning> dkim,
    Optional<String> replyDomain) {

  public MailSettings {
    Objects.requireNonNull(dkim, "dkim");
    Objects.requireNonNull(replyDomain, "replyDomain");
    dkim.ifPresent(d -> {
      if (!d.aligns(fromAddress)) {
        throw new IllegalArgumentException("the DKIM domain " + d.domain() + " must be the from address's domain or a "
            + "parent of it (DMARC alignment), and " + fromAddress + " is not");
      }
    });
  }

  /** Settings without DKIM signing. */
  public MailSettings(String fromAddress, String fromName, String company, String product, String postalAddress,
      URI publicUrl, String unsubscribeMailto, String resourceUrl) {
    this(fromAddress, fromName, company, product, postalAddress, publicUrl, unsubscribeMailto, resourceUrl,
        Optional.empty(), Optional.empty());
  }

  public MailSettings withDkim(DkimSigning signing) {
    return new MailSettings(fromAddress, fromName, company, product, postalAddress, publicUrl, unsubscribeMailto,
        resourceUrl, Optional.of(signing), replyDomain);
  }

  /** These settings, each message getting its own Reply-To address at {@code domain}. */
  public MailSettings withReplyDomain(String domain) {
    return new MailSettings(fromAddress, fromName, company, product, postalAddress, publicUrl, unsubscribeMailto,
        resourceUrl, dkim, Optional.of(domain));
  }

  /** The Reply-To address of the message whose token this is, when a reply domain is configured. */
  public Optional<String> replyTo(String token) {
    return replyDomain.map(d -> ReplyAddresses.LOCAL_PREFIX + token + "@" + d);
  }

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
