package com.nurture.api.console;

import com.nurture.api.auth.ApiKeyPrincipal;
import com.nurture.api.auth.Roles;
import java.time.Instant;

/**
 * A signed-in console user: who (the API key's principal, never the key), the synchroniser token
 * every form of this session carries, and when the session lapses.
 */
public record ConsoleSession(String id, ApiKeyPrincipal principal, String csrfToken, Instant expiresAt) {
  public boolean isOperator() {
    return principal.roles().contains(Roles.OPERATOR);
  }

  public boolean isSales() {
    return principal.roles().contains(Roles.SALES);
  }

  /** May work the sales queue: sales answer hand-offs; operators see the queue. */
  public boolean seesSalesQueue() {
    return isSales() || isOperator();
  }

  public String name() {
    return principal.name();
  }
}
