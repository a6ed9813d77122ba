package com.nurture.activities.mail;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The keys that sign the tokens in our links (unsubscribe, double opt-in): the first signs, every
 * one verifies, so a new key can be put first while links signed with the old one keep working
 * until it is removed (docs/operations.md, "Rotating the signing key"). Each token names the key
 * that signed it by its id.
 *
 * <p>{@link #LEGACY_ID} is {@code mail.signing_key}, the key from before keys had ids: while it
 * signs, tokens keep the formats issued before (so nothing changes until a key with an id is
 * configured), and tokens in those formats verify with it for as long as it is configured.
 */
public final class SigningKeys {
  /** The id of {@code mail.signing_key}, the key without an id of its own. */
  public static final String LEGACY_ID = "legacy";

  /** One key. Its secret never appears in {@link #toString()}. */
  public record Key(String id, byte[] secret) {
    public Key {
      if (!id.matches("[A-Za-z0-9_-]{1,32}")) {
        throw new IllegalArgumentException("a signing key id is 1-32 of letters, digits, '_' and '-': " + id);
      }
      if (secret.length < 32) {
        throw new IllegalArgumentException("signing key " + id + " must be at least 32 bytes");
      }
      secret = secret.clone();
    }

    @Override
    public byte[] secret() {
      return secret.clone();
    }

    public boolean legacy() {
      return id.equals(LEGACY_ID);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && k.id.equals(id) && java.util.Arrays.equals(k.secret, secret);
    }

    @Override
    public int hashCode() {
      return id.hashCode();
    }

    @Override
    public String toString() {
      return "Key[" + id + "]";
    }
  }

  private final List<Key> keys;

  /** @param keys the signing key first; at least one, ids unique */
  public SigningKeys(List<Key> keys) {
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("at least one signing key is needed");
    }
    Set<String> ids = new HashSet<>();
    for (Key k : keys) {
      if (!ids.add(k.id())) {
        throw new IllegalArgumentException("signing key id " + k.id() + " is configured twice");
      }
    }
    this.keys = List.copyOf(keys);
  }

  /** Only {@code mail.signing_key} (as before key ids). */
  public static SigningKeys legacy(byte[] secret) {
    return new SigningKeys(List.of(new Key(LEGACY_ID, secret)));
  }

  /** The key new tokens are signed with. */
  public Key signer() {
    return keys.get(0);
  }

  /** Every key that verifies, the signer first. */
  public List<Key> all() {
    return keys;
  }

  public Optional<Key> byId(String id) {
    return keys.stream().filter(k -> k.id().equals(id)).findFirst();
  }

  @Override
  public String toString() {
    return "SigningKeys" + keys;
  }
}
