package com.nurture.activities.consent;

import com.nurture.activities.mail.SigningKeys;
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
 * Double opt-in link tokens: {@code c2.<key id>.<base64url(HMAC-SHA256(key, lead \n journey))>}, the
 * key being derived from the {@link SigningKeys} key whose id it carries. Opaque (no lead id or
 * address in them), the same for every retry of one journey's request while the signing key stays
 * the same (so a resent email carries the same link), and not forgeable without the key. A token
 * is valid while its row exists (found by its SHA-256) and its key is still configured: it is
 * checked against the row's lead and journey with the key it names.
 *
 * <p>While the legacy key ({@code mail.signing_key}, no id) signs, tokens keep the format issued
 * before ids, {@code c1.<mac>}; such tokens verify for as long as the legacy key is configured.
 */
public final class ConfirmationTokens {
  private static final String C1 = "c1.";
  private static final String C2 = "c2.";
  private static final String MAC = "[A-Za-z0-9_-]{43}";
  private static final Base64.Encoder ENC = Base64.getUrlEncoder().withoutPadding();

  private record Derived(SigningKeys.Key key, SecretKeySpec mac) {
    static Derived of(SigningKeys.Key key) {
      return new Derived(key, new SecretKeySpec(hmac(new SecretKeySpec(key.secret(), "HmacSHA256"),
          "nurture double opt-in token".getBytes(StandardCharsets.UTF_8)), "HmacSHA256"));
    }

    String token(String leadId, String journeyKey) {
      String mac = ENC.encodeToString(hmac(this.mac, (leadId + "\n" + journeyKey).getBytes(StandardCharsets.UTF_8)));
      return key.legacy() ? C1 + mac : C2 + key.id() + "." + mac;
    }
  }

  private final List<Derived> keys;

  /** The legacy key alone. */
  public ConfirmationTokens(byte[] secret) {
    this(legacyKeys(secret));
  }

  /** @param keys the first signs, every one verifies */
  public ConfirmationTokens(SigningKeys keys) {
    this.keys = keys.all().stream().map(Derived::of).toList();
  }

  private static SigningKeys legacyKeys(byte[] secret) {
    if (secret.length < 32) {
      throw new IllegalArgumentException("the signing key must be at least 32 bytes");
    }
    return SigningKeys.legacy(secret);
  }

  public String issue(String leadId, String journeyKey) {
    return keys.get(0).token(leadId, journeyKey);
  }

  /**
   * Whether the token is the one a configured key issues for this lead and journey (the row the
   * token's hash found): a token whose key was retired is refused.
   */
  public boolean verifies(String token, String leadId, String journeyKey) {
    Optional<String> id = keyId(token);
    byte[] given = token.getBytes(StandardCharsets.UTF_8);
    return keys.stream()
        .filter(k -> id.map(i -> k.key().id().equals(i) && !k.key().legacy()).orElse(true))
        .anyMatch(k -> MessageDigest.isEqual(given, k.token(leadId, journeyKey).getBytes(StandardCharsets.UTF_8)));
  }

  /** The key id a {@code c2} token names; empty for a {@code c1} token. */
  private static Optional<String> keyId(String token) {
    if (!token.startsWith(C2)) {
      return Optional.empty();
    }
    int dot = token.indexOf('.', C2.length());
    return Optional.of(dot < 0 ? "" : token.substring(C2.length(), dot));
  }

  /** What the database keeps of a token (hex SHA-256), and looks it up by. */
  public static String hash(String token) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Whether the text could be a token at all (checked before any lookup). */
  public static boolean wellFormed(String token) {
    return token != null && token.length() <= 128
        && (token.matches("c1\\." + MAC) || token.matches("c2\\.[A-Za-z0-9_-]{1,32}\\." + MAC));
  }

  private static byte[] hmac(SecretKeySpec key, byte[] data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return mac.doFinal(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }
}
