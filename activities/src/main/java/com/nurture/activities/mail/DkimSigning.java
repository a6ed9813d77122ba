package com.nurture.activities.mail;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.simplejavamail.utils.mail.dkim.Canonicalization;
import org.simplejavamail.utils.mail.dkim.DkimSigner;
import org.simplejavamail.utils.mail.dkim.SigningAlgorithm;

/**
 * The DKIM key every message is signed with (RFC 6376): {@code d=domain}, {@code s=selector},
 * RSA-SHA256, relaxed/relaxed canonicalisation. Receivers find the public key in DNS at
 * {@code selector._domainkey.domain}; {@link #dnsTxtRecord()} is what to publish there.
 *
 * @param domain the signing domain ({@code d=}): the From address's domain or a parent of it, so
 *     the signature aligns for DMARC
 * @param selector which of the domain's keys ({@code s=}), so keys can be rotated
 * @param privateKey the RSA private key (at least 1024 bits, RFC 8301; 2048 recommended)
 */
public record DkimSigning(String domain, String selector, RSAPrivateKey privateKey) {
  /**
   * The headers the signature covers, when present. Beyond RFC 6376's list, List-Unsubscribe and
   * List-Unsubscribe-Post: RFC 8058 section 4 requires one-click unsubscribe headers to be signed
   * (Gmail and Yahoo ignore them otherwise); Simple Java Mail's signer does not cover the latter by
   * default, so it is added here.
   */
  public static final List<String> SIGNED_HEADERS = List.of("From", "To", "Cc", "Reply-To", "Subject", "Date",
      "Message-ID", "In-Reply-To", "References", "MIME-Version", "Content-Type", "Content-Transfer-Encoding",
      "List-Unsubscribe", "List-Unsubscribe-Post");

  private static final Pattern DOMAIN = Pattern.compile(
      "(?i)(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
  private static final Pattern SELECTOR = Pattern.compile(
      "(?i)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*");

  public DkimSigning {
    domain = domain == null ? "" : domain.trim().toLowerCase(Locale.ROOT);
    selector = selector == null ? "" : selector.trim();
    if (!DOMAIN.matcher(domain).matches()) {
      throw new IllegalArgumentException("the DKIM domain must be a domain name such as example.com, not '" + domain + "'");
    }
    if (!SELECTOR.matcher(selector).matches()) {
      throw new IllegalArgumentException("the DKIM selector must be letters, digits, '-' and '.', such as nurture1, not '"
          + selector + "'");
    }
    if (privateKey == null) {
      throw new IllegalArgumentException("a DKIM private key is required");
    }
    if (privateKey.getModulus().bitLength() < 1024) {
      throw new IllegalArgumentException("the DKIM key has " + privateKey.getModulus().bitLength()
          + " bits; receivers ignore keys under 1024 bits (RFC 8301): use 2048");
    }
    if (!(privateKey instanceof RSAPrivateCrtKey)) {
      throw new IllegalArgumentException("the DKIM private key must carry its public exponent (a PKCS#8 RSA key)");
    }
  }

  /** Reads a PKCS#8 PEM ({@code -----BEGIN PRIVATE KEY-----}) RSA private key. */
  public static RSAPrivateKey readPrivateKey(String pem) {
    if (pem == null || pem.isBlank()) {
      throw new IllegalArgumentException("the DKIM private key is empty");
    }
    if (pem.contains("BEGIN RSA PRIVATE KEY")) {
      throw new IllegalArgumentException("the DKIM private key is PKCS#1 ('BEGIN RSA PRIVATE KEY'); convert it to PKCS#8 with "
          + "'openssl pkcs8 -topk8 -nocrypt -in key.pem -out key.pkcs8.pem'");
    }
    if (!pem.contains("-----BEGIN PRIVATE KEY-----") || !pem.contains("-----END PRIVATE KEY-----")) {
      throw new IllegalArgumentException("the DKIM private key must be a PEM PKCS#8 key ('-----BEGIN PRIVATE KEY-----')");
    }
    String base64 = pem.substring(pem.indexOf("-----BEGIN PRIVATE KEY-----") + 27, pem.indexOf("-----END PRIVATE KEY-----"))
        .replaceAll("\\s+", "");
    try {
      return (RSAPrivateKey) KeyFactory.getInstance("RSA").generatePrivate(
          new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
    } catch (IllegalArgumentException | GeneralSecurityException | ClassCastException e) {
      throw new IllegalArgumentException("the DKIM private key is not a readable RSA key: " + e.getMessage());
    }
  }

  /** A new 2048-bit RSA key, as PKCS#8 PEM (what {@code dev} keeps in its data directory). */
  public static String generatePrivateKeyPem() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      KeyPair pair = generator.generateKeyPair();
      return toPem(pair.getPrivate().getEncoded());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static String toPem(byte[] pkcs8) {
    return "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
        .encodeToString(pkcs8) + "\n-----END PRIVATE KEY-----\n";
  }

  public RSAPublicKey publicKey() {
    RSAPrivateCrtKey crt = (RSAPrivateCrtKey) privateKey;
    try {
      return (RSAPublicKey) KeyFactory.getInstance("RSA")
          .generatePublic(new RSAPublicKeySpec(crt.getModulus(), crt.getPublicExponent()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Where receivers look the public key up: {@code selector._domainkey.domain}. */
  public String dnsName() {
    return selector + "._domainkey." + domain;
  }

  /** The TXT record's value to publish at {@link #dnsName()}. */
  public String dnsTxtRecord() {
    return "v=DKIM1; k=rsa; p=" + Base64.getEncoder().encodeToString(publicKey().getEncoded());
  }

  /** The record as a zone-file line (long values split into 255-character strings, as DNS needs). */
  public String dnsZoneLine() {
    String value = dnsTxtRecord();
    StringBuilder quoted = new StringBuilder();
    for (int i = 0; i < value.length(); i += 255) {
      quoted.append(quoted.length() == 0 ? "" : " ").append('"').append(value, i, Math.min(value.length(), i + 255))
          .append('"');
    }
    return dnsName() + ". IN TXT ( " + quoted + " )";
  }

  /** Whether mail from {@code fromAddress} aligns with this domain (the same domain or a subdomain). */
  public boolean aligns(String fromAddress) {
    int at = fromAddress == null ? -1 : fromAddress.lastIndexOf('@');
    if (at < 0) {
      return false;
    }
    String host = fromAddress.substring(at + 1).toLowerCase(Locale.ROOT);
    return host.equals(domain) || host.endsWith("." + domain);
  }

  /**
   * A signer for one message (a {@link DkimSigner} holds a {@link java.security.Signature}, which is
   * not thread-safe). The key is not looked up in DNS before signing: sending must not depend on the
   * record being published or on DNS answering (dev and tests have none).
   */
  DkimSigner signer() {
    DkimSigner signer = new DkimSigner(domain, selector, privateKey);
    signer.setSigningAlgorithm(SigningAlgorithm.SHA256_WITH_RSA);
    signer.setHeaderCanonicalization(Canonicalization.RELAXED);
    signer.setBodyCanonicalization(Canonicalization.RELAXED);
    signer.setLengthParam(false);
    signer.setCopyHeaderFields(false);
    signer.setCheckDomainKey(false);
    SIGNED_HEADERS.forEach(signer::addHeaderToSign);
    return signer;
  }

  /** A short description for logs, without the key. */
  @Override
  public String toString() {
    return "DKIM d=" + domain + " s=" + selector + " (RSA " + privateKey.getModulus().bitLength() + ")";
  }

}
