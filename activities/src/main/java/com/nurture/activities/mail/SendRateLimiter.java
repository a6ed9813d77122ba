package com.nurture.activities.mail;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Send rate limits from config (an ESP plan's messages per second, a mailbox provider's throttle)
 * that hold across all workers: each send takes a slot in the current second of the database's
 * clock, globally and for its recipient's domain; a full second waits for the next. A send that
 * cannot get a slot within {@code maxWait} fails as transient (Temporal retries it later).
 *
 * <p>Fixed one-second windows: never more than the limit in any second of the database's clock (a
 * burst across a second boundary can reach twice the limit within one sliding second).
 */
public final class SendRateLimiter {
  private static final Logger log = LoggerFactory.getLogger(SendRateLimiter.class);

  /**
   * @param perSecond sends per second over all recipients (0: no limit)
   * @param perDomain sends per second to one recipient domain (lower-case), for the domains named
   */
  public record Limits(int perSecond, Map<String, Integer> perDomain) {
    public static final Limits NONE = new Limits(0, Map.of());

    public Limits {
      perDomain = Map.copyOf(perDomain);
      if (perSecond < 0 || perDomain.values().stream().anyMatch(v -> v < 1)) {
        throw new IllegalArgumentException("send rate limits are positive (per_second 0: none)");
      }
    }

    boolean none() {
      return perSecond == 0 && perDomain.isEmpty();
    }
  }

  /** No slot came free in time. */
  public static final class RateLimited extends RuntimeException {
    RateLimited(String bucket, Duration waited) {
      super("the send rate limit for " + bucket + " stayed full for " + waited.toSeconds() + " s");
    }
  }

  private record Slot(int sent, long second, double nowEpoch) {}

  private final Jdbi jdbi;
  private final Limits limits;
  private final Duration maxWait;

  public SendRateLimiter(Jdbi jdbi, Limits limits, Duration maxWait) {
    this.jdbi = jdbi;
    this.limits = limits;
    this.maxWait = maxWait;
  }

  public static SendRateLimiter none() {
    return new SendRateLimiter(null, Limits.NONE, Duration.ZERO);
  }

  /** Whether no limit is configured (the Mailer then needs no gate). */
  public boolean unlimited() {
    return limits.none();
  }

  /** Waits until this send may go to {@code address} under every limit that applies. */
  public void acquire(String address) {
    if (limits.none()) {
      return;
    }
    if (limits.perSecond() > 0) {
      take("all", limits.perSecond());
    }
    String domain = address.substring(address.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT);
    Integer perDomain = limits.perDomain().get(domain);
    if (perDomain != null) {
      take("domain:" + domain, perDomain);
    }
  }

  private void take(String bucket, int limit) {
    long started = System.nanoTime();
    while (true) {
      Slot slot = jdbi.withHandle(h -> h.createQuery("""
              WITH now AS (SELECT extract(epoch FROM clock_timestamp())::float8 AS t)
              INSERT INTO send_rate (bucket, second, sent) SELECT :bucket, floor(t)::bigint, 1 FROM now
              ON CONFLICT (bucket, second) DO UPDATE SET sent = send_rate.sent + 1
              RETURNING sent, second, (SELECT t FROM now) AS now_epoch""")
          .bind("bucket", bucket)
          .map((rs, ctx) -> new Slot(rs.getInt("sent"), rs.getLong("second"), rs.getDouble("now_epoch")))
          .one());
      if (slot.sent() == 1) {
        jdbi.useHandle(h -> h.createUpdate("DELETE FROM send_rate WHERE bucket = :bucket AND second < :old")
            .bind("bucket", bucket).bind("old", slot.second() - 60).execute());
      }
      if (slot.sent() <= limit) {
        return;
      }
      Duration waited = Duration.ofNanos(System.nanoTime() - started);
      if (waited.compareTo(maxWait) >= 0) {
        throw new RateLimited(bucket, waited);
      }
      long untilNextSecond = Math.max(1, (long) ((slot.second() + 1 - slot.nowEpoch()) * 1000));
      if (waited.isZero() || untilNextSecond > 900) {
        log.debug("send rate {} full ({} / s); waiting {} ms", bucket, limit, untilNextSecond);
      }
      try {
        // A little spread after the boundary, so waiting senders do not all arrive at once.
        Thread.sleep(untilNextSecond + (long) (Math.random() * 20));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new RateLimited(bucket, waited);
      }
    }
  }
}
