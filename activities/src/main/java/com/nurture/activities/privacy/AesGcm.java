package com.nurture.activities.privacy;

import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;

/**
 * AES-GCM as Nurture seals with it: {@code nonce || ciphertext-with-tag}, a random 96-bit nonce, a
 * 128-bit tag, associated data bound. Payloads ({@link PayloadCipher}), data keys ({@link MasterKeys})
 * and unsubscribe tokens each put their own bytes and associated data in and read them out.
 *
 * <p>Each thread keeps one cipher, initialised afresh (key and nonce) for every call: looking the
 * transformation up among the security providers and choosing one cost more than encrypting a
 * journey's payload or a token ({@code Cipher.getInstance} and the first {@code init};
 * docs/benchmarks.md, "2026-12-07 15:07-15:40" and "2026-12-07 20:23-20:36"). A cipher is not safe to
 * share between threads; one initialised again is as new.
 */
public final class AesGcm {
  private static final int NONCE = 12;
  private static final int TAG_BITS = 128;
  /** The bytes a seal adds: the nonce and the tag. */
  public static final int OVERHEAD = NONCE + TAG_BITS / 8;
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final ThreadLocal<Cipher> CIPHERS = ThreadLocal.withInitial(() -> {
    try {
      return Cipher.getInstance("AES/GCM/NoPadding");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is unavailable", e);
    }
  });

  private AesGcm() {}

  /** {@code nonce || AES-GCM(plain)} under {@code key}, {@code aad} bound. */
  public static byte[] seal(Key key, byte[] aad, byte[] plain) throws GeneralSecurityException {
    byte[] nonce = new byte[NONCE];
    RANDOM.nextBytes(nonce);
    Cipher cipher = CIPHERS.get();
    cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
    cipher.updateAAD(aad);
    byte[] out = Arrays.copyOf(nonce, NONCE + plain.length + TAG_BITS / 8);
    cipher.doFinal(plain, 0, plain.length, out, NONCE);
    return out;
  }

  /**
   * The plain bytes of what {@link #seal} returned.
   *
   * @throws AEADBadTagException when it does not verify under {@code key} and {@code aad}, or is
   *     shorter than a nonce and a tag
   */
  public static byte[] open(Key key, byte[] aad, byte[] sealed) throws GeneralSecurityException {
    if (sealed.length < OVERHEAD) {
      throw new AEADBadTagException("sealed bytes shorter than a nonce and a tag");
    }
    Cipher cipher = CIPHERS.get();
    cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed, 0, NONCE));
    cipher.updateAAD(aad);
    return cipher.doFinal(sealed, NONCE, sealed.length - NONCE);
  }
}
