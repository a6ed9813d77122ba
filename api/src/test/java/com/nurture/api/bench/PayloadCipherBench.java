package com.nurture.api.bench;

import com.google.protobuf.ByteString;
import com.nurture.activities.privacy.DataKey;
import com.nurture.activities.privacy.PayloadCipher;
import io.temporal.api.common.v1.Payload;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import javax.crypto.spec.GCMParameterSpec;

/**
 * What sealing and opening one journey payload costs the calling thread (not run by the suite;
 * docs/benchmarks.md, "2026-12-07 20:23-20:36"): {@link PayloadCipher#seal} then {@link
 * PayloadCipher#open} of a 1 KiB JSON payload, beside two raw JDK AES-256-GCM baselines over the same
 * bytes: a {@code Cipher} looked up for every call (what {@code PayloadCipher} did before), and one
 * cipher kept and initialised afresh (the floor: the cipher's own work). Every Temporal payload of a
 * journey goes through both directions: its worker seals what it writes and opens what it reads, on
 * every replay too. Rounds alternate the three, the first of each untimed; each prints the calling
 * thread's CPU time a seal and open.
 *
 * <pre>cd api && java -cp "$BENCH_CP" com.nurture.api.bench.PayloadCipherBench [CALLS] [ROUNDS]</pre>
 */
public final class PayloadCipherBench {
  private static final SecureRandom RANDOM = new SecureRandom();

  private PayloadCipherBench() {}

  public static void main(String[] args) throws GeneralSecurityException {
    int calls = args.length > 0 ? Integer.parseInt(args[0]) : 50_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 6;
    if (rounds < 2) {
      throw new IllegalArgumentException("at least 2 rounds: the first of each is a warm-up");
    }
    KeyGenerator generator = KeyGenerator.getInstance("AES");
    generator.init(256);
    DataKey key = new DataKey("bench-key", generator.generateKey());
    Payload plain = Payload.newBuilder()
        .putMetadata("encoding", ByteString.copyFromUtf8("json/plain"))
        .setData(ByteString.copyFromUtf8("{\"step\":\"welcome\",\"attributes\":{\"plan\":\"" + "x".repeat(960) + "\"}}"))
        .build();
    byte[] bytes = plain.toByteArray();
    Cipher kept = Cipher.getInstance("AES/GCM/NoPadding");
    Runnable[] variants = {
        () -> {
          if (!PayloadCipher.open(PayloadCipher.seal(plain, key), key).equals(plain)) {
            throw new IllegalStateException("PayloadCipher did not return the payload it sealed");
          }
        },
        () -> roundTrip(newCipher(), newCipher(), key, bytes),
        () -> roundTrip(kept, kept, key, bytes)};
    String[] names = {"PayloadCipher seal + open", "JDK AES-GCM, a Cipher looked up a call", "JDK AES-GCM, one Cipher kept"};
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long[] cpu = new long[variants.length];
    for (int round = 0; round < rounds; round++) {
      for (int v = 0; v < variants.length; v++) {
        long start = threads.getCurrentThreadCpuTime();
        for (int i = 0; i < calls; i++) {
          variants[v].run();
        }
        if (round > 0) {
          cpu[v] += threads.getCurrentThreadCpuTime() - start;
        }
      }
    }
    System.out.printf("%d-byte payload, %d calls a round, %d timed rounds each, alternating%n",
        bytes.length, calls, rounds - 1);
    for (int v = 0; v < variants.length; v++) {
      System.out.printf("  %-42s %7.2f us of the thread's CPU a seal and open%n",
          names[v], cpu[v] / 1e3 / calls / (rounds - 1));
    }
  }

  private static Cipher newCipher() {
    try {
      return Cipher.getInstance("AES/GCM/NoPadding");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void roundTrip(Cipher sealing, Cipher opening, DataKey key, byte[] bytes) {
    byte[] nonce = new byte[12];
    RANDOM.nextBytes(nonce);
    byte[] aad = key.keyId().getBytes(StandardCharsets.UTF_8);
    try {
      sealing.init(Cipher.ENCRYPT_MODE, key.key(), new GCMParameterSpec(128, nonce));
      sealing.updateAAD(aad);
      byte[] sealed = sealing.doFinal(bytes);
      opening.init(Cipher.DECRYPT_MODE, key.key(), new GCMParameterSpec(128, nonce));
      opening.updateAAD(aad);
      if (opening.doFinal(sealed).length != bytes.length) {
        throw new IllegalStateException("AES-GCM did not return the bytes it sealed");
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
