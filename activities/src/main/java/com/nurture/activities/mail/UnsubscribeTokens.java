package com.nurture.activities.mail;

import com.nurture.activities.privacy.AesGcm;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Unsubscribe tokens, which travel in every email's links and List-Unsubscribe header (and so into
 * access logs and mail scanners). They name the lead and the address the mail went to, so the
 * right address is suppressed even if the lead's address changed since, but they must not reveal
 * either to whoever reads the URL.
 *
 * <p>Tokens are opaque: {@code u3.<key id>.<base64url(nonce | AES-256-GCM(leadId \n email))>}, the key
 * id being the configured id of the {@link SigningKeys} key that issued it. AES-GCM is authenticated
 * encryption: a token not issued with that key, or altered in any way (its key id included, which
 * is authenticated data), fails to decrypt and is refused. The AES key is derived (HMAC-SHA256)
 * from the signing key. Nothing is stored per token. A token whose key has been removed from the
 * configuration is refused.
 *
 * <p>Older formats keep working, since emails already delivered carry them: while the legacy key
 * ({@code mail.signing_key}, no id) signs, tokens are {@code u2.<8 hex digits of a hash of the
 * key>.<...>} as before; format 1 ({@code base64url(leadId \n email) . base64url(HMAC-SHA256)}) is
 * still verified, never issued.
 */
public final class UnsubscribeTokens {
  /** What a valid token names. */
  public record Subject(String leadId, String email) {}

  private static final String V2 = "u2";
  private static final String V3 = "u3";
  private static final Base64.Encoder ENC = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder DEC = Base64.getUrlDecoder();

  /** What each configured key gives: its HMAC key, the AES key and fingerprint key derived from it. */
  private record Derived(SigningKeys.Key key, SecretKeySpec signingKey, SecretKeySpec encryptionKey,
      SecretKeySpec fingerprintKey, String hashId) {
    static Derived of(SigningKeys.Key key) {
      SecretKeySpec signing = new SecretKeySpec(key.secret(), "HmacSHA256");
      return new Derived(key, signing,
          new SecretKeySpec(hmac(signing, "nurture unsubscribe token v2 encryption"), "AES"),
          new SecretKeySpec(hmac(signing, "nurture consent evidence fingerprint"), "HmacSHA256"),
          HexFormat.of().formatHex(hmac(signing, "nurture unsubscribe token v2 key id"), 0, 4));
    }

    /** The header a token this key issues starts with (and authenticates). */
    String header() {
      return key.legacy() ? V2 + "." + hashId : V3 + "." + key.id();
    }
  }

  private final List<Derived> keys;

  /** @param secret at least 32 bytes of secret material: the legacy key alone */
  public UnsubscribeTokens(byte[] secret) {
    this(legacyKeys(secret));
  }

  /** @param keys the first signs, every one verifies */
  public UnsubscribeTokens(SigningKeys keys) {
    this.keys = keys.all().stream().map(Derived::of).toList();
  }

  private static SigningKeys legacyKeys(byte[] secret) {
    if (secret.length < 32) {
      throw new IllegalArgumentException("the unsubscribe signing key must be at least 32 bytes");
    }
    return SigningKeys.legacy(secret);
  }

  /** A new, opaque token for this lead and address, naming the signing key. */
  public String issue(String leadId, String email) {
    Derived signer = keys.get(0);
    String header = signer.header();
    try {
      byte[] sealed = AesGcm.seal(signer.encryptionKey(), header.getBytes(StandardCharsets.US_ASCII),
          (leadId + "\n" + email).getBytes(StandardCharsets.UTF_8));
      return header + "." + ENC.encodeToString(sealed);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM unavailable", e);
    }
  }

  /**
   * A format-1 token, as emails sent before opaque tokens carry: it shows the lead id and address
   * to anyone who decodes it. Never used for sending; kept so tests can show such tokens still work.
   */
  public String issueFormat1(String leadId, String email) {
    byte[] payload = (leadId + "\n" + email).getBytes(StandardCharsets.UTF_8);
    return ENC.encodeToString(payload) + "." + ENC.encodeToString(hmac(keys.get(0).signingKey(), payload));
  }

  /** @return the lead and address, or empty for a forged, altered or malformed token, or one whose key was retired */
  public Optional<Subject> verify(String token) {
    if (token == null || token.length() > 2048) {
      return Optional.empty();
    }
    if (token.startsWith(V3 + ".") || token.startsWith(V2 + ".")) {
      return verifyOpaque(token);
    }
    return verifyFormat1(token);
  }

  /**
   * A keyed hash (HMAC-SHA256, hex) of a value such as the IP address a choice came from: the same
   * value gives the same hash, so evidence can be matched, but the value cannot be read back or
   * found by hashing every IPv4 address without the key.
   */
  public String fingerprint(String value) {
    return HexFormat.of().formatHex(hmac(keys.get(0).fingerprintKey(), value.getBytes(StandardCharsets.UTF_8)));
  }

  private Optional<Subject> verifyOpaque(String token) {
    String[] parts = token.split("\\.", -1);
    if (parts.length != 3) {
      return Optional.empty();
    }
    String header = parts[0] + "." + parts[1];
    for (Derived key : keys) {
      if (key.header().equals(header)) {
        Optional<Subject> subject = open(key, header, parts[2]);
        if (subject.isPresent()) {
          return subject;
        }
      }
    }
    return Optional.empty();
  }

  private static Optional<Subject> open(Derived key, String header, String sealed) {
    try {
      byte[] data = DEC.decode(sealed);
      if (!ENC.encodeToString(data).equals(sealed)) {
        return Optional.empty();
      }
      return subject(AesGcm.open(key.encryptionKey(), header.getBytes(StandardCharsets.US_ASCII), data));
    } catch (IllegalArgumentException | GeneralSecurityException e) {
      return Optional.empty();
    }
  }

  private Optional<Subject> verifyFormat1(String token) {
    int dot = token.indexOf('.');
    if (dot <= 0 || dot != token.lastIndexOf('.')) {
      return Optional.empty();
    }
    try {
      String payloadText = token.substring(0, dot);
      String signatureText = token.substring(dot + 1);
      byte[] payload = DEC.decode(payloadText);
      byte[] signature = DEC.decode(signatureText);
      // Only the canonical encoding is valid: base64 lets several spellings decode to the same bytes.
      boolean canonical = ENC.encodeToString(payload).equals(payloadText) && ENC.encodeToString(signature).equals(signatureText);
      if (!canonical) {
        return Optional.empty();
      }
      for (Derived key : keys) {
        if (MessageDigest.isEqual(signature, hmac(key.signingKey(), payload))) {
          return subject(payload);
        }
      }
      return Optional.empty();
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static Optional<Subject> subject(byte[] plain) {
    String[] parts = new String(plain, StandardCharsets.UTF_8).split("\n", 2);
    return parts.length == 2 ? Optional.of(new Subject(parts[0], parts[1])) : Optional.empty();
  }

  private static byte[] hmac(SecretKeySpec key, String label) {
    return hmac(key, label.getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] hmac(SecretKeySpec key, byte[] payload) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return mac.doFinal(payload);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }
}
