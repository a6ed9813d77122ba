package com.nurture.api.console;

import jakarta.ws.rs.container.ContainerRequestContext;
import java.util.Optional;

/**
 * What every console page knows about its request: the language and its words, the signed-in
 * session (empty on the sign-in page), and the path and query it was asked for (for the language
 * switch and sign-in to come back to), and what the form before said (on the GET after its redirect).
 * Set by {@link ConsoleGate}.
 */
public record ConsoleContext(ConsoleText text, Optional<ConsoleSession> session, String path, String csrfToken,
    Optional<Flash> flash) {
  static final String PROPERTY = "nurture.console";

  public static ConsoleContext of(ContainerRequestContext request) {
    Object c = request.getProperty(PROPERTY);
    if (c instanceof ConsoleContext context) {
      return context;
    }
    throw new IllegalStateException("not a console request: " + request.getUriInfo().getPath());
  }

  /** The signed-in session; the gate lets no request without one reach a page that asks. */
  public ConsoleSession signedIn() {
    return session.orElseThrow(() -> new IllegalStateException("no console session"));
  }
}
