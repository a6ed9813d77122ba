package com.nurture.workflows.journey;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Deterministic, sticky assignment of a lead to buckets: the same lead and key always land in the
 * same bucket (so a lead sees one A/B variant, and stays in or out of a holdout, on every run and
 * replay), and different leads spread evenly. SHA-256, not {@code hashCode}, so the assignment is
 * the same on every JVM and release.
 */
public final class Assignment {
  private Assignment() {}

  /** A bucket in [0, buckets). */
  public static int bucket(String leadId, String key, int buckets) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest((leadId + "\n" + key).getBytes(StandardCharsets.UTF_8));
      long v = ((d[0] & 0xffL) << 24) | ((d[1] & 0xffL) << 16) | ((d[2] & 0xffL) << 8) | (d[3] & 0xffL);
      return (int) (v % buckets);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Whether the lead is in a program's control group of {@code percent}%. */
  public static boolean heldOut(String leadId, String programId, int percent) {
    return percent > 0 && bucket(leadId, "holdout/" + programId, 100) < percent;
  }
}
