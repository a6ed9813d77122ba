package com.nurture.activities.privacy;

import java.security.GeneralSecurityException;
import javax.crypto.Cipher;

/**
 * The calling thread's AES/GCM/NoPadding cipher, for a caller that initialises it (key and nonce) before
 * each use and finishes with it before another may: payloads ({@link PayloadCipher}), data keys ({@link
 * MasterKeys}), unsubscribe tokens. Looking the transformation up among the security providers and
 * choosing one cost more than encrypting a journey's payload or a token ({@code Cipher.getInstance} and
 * the first {@code init}; docs/benchmarks.md, "2026-12-07 15:07-15:40" and "2026-12-07 20:23-20:36"). A
 * cipher is not safe to share between threads; one initialised again is as new.
 */
public final class AesGcm {
  private static final ThreadLocal<Cipher> CIPHERS = ThreadLocal.withInitial(() -> {
    try {
      return Cipher.getInstance("AES/GCM/NoPadding");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is unavailable", e);
    }
  });

  private AesGcm() {}

  /** This thread's cipher: initialise it before each use. */
  public static Cipher cipher() {
    return CIPHERS.get();
  }
}
