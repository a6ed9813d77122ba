package com.nurture.activities.mail;

import java.time.Duration;

/**
 * The SMTP connection pool each Mailer keeps (Simple Java Mail's batch module): connections are
 * opened on demand up to {@code maxSize}, reused for the next emails, and closed after
 * {@code expireAfter} idle. A send waits at most {@code claimTimeout} for a free connection, then
 * fails (transient: Temporal retries it).
 *
 * @param coreSize connections kept open even when idle (0: none)
 * @param maxSize the most connections open to the server at once; bounds concurrent sends per worker
 */
public record SmtpPool(int coreSize, int maxSize, Duration claimTimeout, Duration expireAfter) {
  /** Four connections, none kept idle over 5 s: enough for 2 cores, gentle on a small server. */
  public static final SmtpPool DEFAULT = new SmtpPool(0, 4, Duration.ofSeconds(30), Duration.ofSeconds(5));

  public SmtpPool {
    if (coreSize < 0 || maxSize < 1 || coreSize > maxSize) {
      throw new IllegalArgumentException("the SMTP pool needs 0 <= core_size <= max_size and max_size >= 1");
    }
    if (claimTimeout.isNegative() || claimTimeout.isZero() || expireAfter.isNegative() || expireAfter.isZero()) {
      throw new IllegalArgumentException("the SMTP pool's claim_timeout and expire_after must be longer than zero");
    }
  }
}
