package com.nurture.api.console;

import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.UriInfo;

/** The console's cookies: HttpOnly, SameSite=Strict, Secure when the console is reached over HTTPS. */
final class ConsoleCookies {
  private ConsoleCookies() {}

  /** HTTPS as the browser sees it: the request's scheme, or X-Forwarded-Proto behind a proxy. */
  static boolean https(UriInfo uri, String forwardedProto) {
    return "https".equalsIgnoreCase(uri.getRequestUri().getScheme()) || "https".equalsIgnoreCase(forwardedProto);
  }

  /** A cookie for /console; {@code maxAgeSeconds} -1 for the browser session, 0 to remove it. */
  static NewCookie of(String name, String value, int maxAgeSeconds, boolean secure) {
    return new NewCookie.Builder(name).value(value).path("/console").httpOnly(true).secure(secure)
        .sameSite(NewCookie.SameSite.STRICT).maxAge(maxAgeSeconds).build();
  }
}
