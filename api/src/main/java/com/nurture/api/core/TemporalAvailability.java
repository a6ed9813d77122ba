package com.nurture.api.core;

import com.nurture.api.errors.ProblemException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Whether Temporal is presumed down: it could not be reached ({@link #isUnreachable}) less than
 * {@code window} ago and has not answered since. A call past its deadline is not an outage: under a
 * burst a busy server answers some calls late, and taking that for an outage refused every
 * enrolment for the next 5 s (a third of the sign-ups in the 2026-12-02 benchmark); that call alone
 * is answered 503, and Temporal is {@link #presumedBusy} for batches. While it is, requests do not wait on it again:
 * a new lead's enrolment and an event go straight to the outbox (202), whose dispatcher keeps
 * trying and so notices first when it is back. Thread-safe; time is passed in.
 */
public final class TemporalAvailability {
  private final Duration window;
  /** When the latest failure happened; null after a success. */
  private final AtomicReference<Instant> failedAt = new AtomicReference<>();
  /** When a call last ran past its deadline; null after a success. */
  private final AtomicReference<Instant> lateAt = new AtomicReference<>();

  public TemporalAvailability(Duration window) {
    this.window = window;
  }

  public void succeeded() {
    failedAt.set(null);
    lateAt.set(null);
  }

  /**
   * A call was answered, but later than a request could have waited ({@link TemporalConnection#patiently}):
   * Temporal is up, and busy as after {@link #late}.
   */
  public void answeredLate(Instant at) {
    failedAt.set(null);
    lateAt.set(at);
  }

  /** A call ran past its deadline: Temporal is busy, not down. */
  public void late(Instant at) {
    lateAt.set(at);
  }

  /**
   * Whether a batch should leave its events to the outbox rather than wait on Temporal: presumed
   * down, or a call ran late less than {@code window} ago. A batch yields to a busy Temporal (the
   * outbox's dispatcher then paces the work), where a single call still tries.
   */
  public boolean presumedBusy(Instant now) {
    return presumedDown(now) || recent(lateAt, now);
  }

  public void failed(Instant at) {
    failedAt.set(at);
  }

  public boolean presumedDown(Instant now) {
    return recent(failedAt, now);
  }

  /** Whether {@code when} holds an instant less than the window before {@code now}. */
  private boolean recent(AtomicReference<Instant> when, Instant now) {
    Instant at = when.get();
    return at != null && now.isBefore(at.plus(window));
  }

  /**
   * Whether {@code thrown} says Temporal could not be reached (gRPC UNAVAILABLE anywhere in its
   * causes): what makes it presumed down.
   */
  public static boolean isUnreachable(Throwable thrown) {
    return grpcCode(thrown).filter(c -> c == Status.Code.UNAVAILABLE).isPresent();
  }

  /** The status of the first gRPC exception among {@code thrown}'s causes (at most 20 deep). */
  private static java.util.Optional<Status.Code> grpcCode(Throwable thrown) {
    int depth = 0;
    for (Throwable t = thrown; t != null && depth < 20; t = t.getCause(), depth++) {
      if (t instanceof StatusRuntimeException s) {
        return java.util.Optional.of(s.getStatus().getCode());
      }
    }
    return java.util.Optional.empty();
  }

  /**
   * Whether {@code thrown} says Temporal could not be reached or did not answer in time (a gRPC
   * UNAVAILABLE or DEADLINE_EXCEEDED anywhere in its causes, or our own 503 for it), as opposed to
   * an answer that refuses the call.
   */
  public static boolean isUnavailable(Throwable thrown) {
    int depth = 0;
    for (Throwable t = thrown; t != null && depth < 20; t = t.getCause(), depth++) {
      if (t instanceof StatusRuntimeException s) {
        Status.Code code = s.getStatus().getCode();
        return code == Status.Code.UNAVAILABLE || code == Status.Code.DEADLINE_EXCEEDED;
      }
      if (t instanceof ProblemException p && p.problem().status() == 503) {
        return true;
      }
    }
    return false;
  }
}
