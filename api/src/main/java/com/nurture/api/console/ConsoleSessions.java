package com.nurture.api.console;

import com.nurture.api.auth.ApiKeyPrincipal;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Server-side console sessions, in this process's memory: the cookie carries only a random session
 * id (never the API key). A session lapses after {@link #LIFETIME} without use; signing out or a
 * restart ends it. Each session has its own CSRF synchroniser token.
 */
public final class ConsoleSessions {
  /** A session unused this long is gone. */
  public static final Duration LIFETIME = Duration.ofHours(8);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Map<String, ConsoleSession> byId = new ConcurrentHashMap<>();
  private final Map<String, Flash> flashes = new ConcurrentHashMap<>();
  private final Clock clock;

  public ConsoleSessions(Clock clock) {
    this.clock = clock;
  }

  public ConsoleSession open(ApiKeyPrincipal principal) {
    dropLapsed();
    ConsoleSession s = new ConsoleSession(randomToken(), principal, randomToken(), clock.instant().plus(LIFETIME));
    byId.put(s.id(), s);
    return s;
  }

  /** The live session with this id, its lifetime renewed. */
  public Optional<ConsoleSession> find(String id) {
    if (id == null || id.isBlank()) {
      return Optional.empty();
    }
    ConsoleSession s = byId.get(id);
    if (s == null) {
      return Optional.empty();
    }
    if (!s.expiresAt().isAfter(clock.instant())) {
      byId.remove(id);
      return Optional.empty();
    }
    ConsoleSession renewed = new ConsoleSession(s.id(), s.principal(), s.csrfToken(), clock.instant().plus(LIFETIME));
    byId.put(id, renewed);
    return Optional.of(renewed);
  }

  public void close(String id) {
    if (id != null) {
      byId.remove(id);
      flashes.remove(id);
    }
  }

  /** What the session's next page says about the form just sent. */
  public void flash(ConsoleSession session, Flash flash) {
    flashes.put(session.id(), flash);
  }

  /**
   * Does a console form's action and flashes its outcome: the flash it returns when done, the problem
   * it was refused with (as the /v1 endpoint would answer it) otherwise.
   */
  public void flashOutcome(ConsoleSession session, java.util.function.Supplier<Flash> action) {
    Flash outcome;
    try {
      outcome = action.get();
    } catch (com.nurture.api.errors.ProblemException refused) {
      outcome = Flash.refused(refused);
    }
    flash(session, outcome);
  }

  /** The session's flash, once. */
  public java.util.Optional<Flash> takeFlash(String sessionId) {
    return java.util.Optional.ofNullable(flashes.remove(sessionId));
  }

  /** 32 random bytes, base64url: session ids, CSRF tokens. */
  public static String randomToken() {
    byte[] b = new byte[32];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  /** Constant-time comparison of a submitted token with the expected one. */
  public static boolean sameToken(String expected, String submitted) {
    return expected != null && submitted != null
        && MessageDigest.isEqual(expected.getBytes(java.nio.charset.StandardCharsets.UTF_8),
            submitted.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  private void dropLapsed() {
    var now = clock.instant();
    byId.values().removeIf(s -> !s.expiresAt().isAfter(now));
    flashes.keySet().retainAll(byId.keySet());
  }
}
