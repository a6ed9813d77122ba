package com.nurture.api.console;

import jakarta.annotation.Priority;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;

/**
 * The door of every {@code /console} request: finds the session from its cookie, picks the
 * language, sends a request without a session to the sign-in page, and refuses any POST whose
 * {@code csrf} form field (or {@code X-CSRF-Token} header) is not the session's synchroniser token
 * (before sign-in: the pre-session cookie's token, double-submitted). Adds the console's security
 * headers to its answers. The API ({@code /v1}) is not touched: it stays Bearer-only.
 */
@Priority(Priorities.AUTHENTICATION)
public final class ConsoleGate implements ContainerRequestFilter, ContainerResponseFilter {
  public static final String SESSION_COOKIE = "nurture_session";
  public static final String PRE_SESSION_COOKIE = "nurture_presession";
  public static final String CSRF_FIELD = "csrf";
  private static final Set<String> PUBLIC = Set.of("console/sign-in", "console/language");
  private static final int MAX_FORM_BYTES = 1 << 20;

  private final ConsoleSessions sessions;

  public ConsoleGate(ConsoleSessions sessions) {
    this.sessions = sessions;
  }

  static boolean isConsole(String path) {
    return path.equals("console") || path.startsWith("console/");
  }

  @Override
  public void filter(ContainerRequestContext request) throws IOException {
    String path = trimSlashes(request.getUriInfo().getPath());
    if (!isConsole(path)) {
      return;
    }
    Optional<ConsoleSession> session = sessions.find(cookie(request, SESSION_COOKIE).orElse(null));
    String lang = ConsoleLanguage.choose(cookie(request, ConsoleLanguage.COOKIE),
        Optional.ofNullable(request.getHeaderString("Accept-Language")));
    String query = request.getUriInfo().getRequestUri().getRawQuery();
    String here = "/" + path + (query == null ? "" : "?" + query);
    Optional<String> preSession = cookie(request, PRE_SESSION_COOKIE);
    String token = session.map(ConsoleSession::csrfToken).orElseGet(() -> preSession.orElse(""));
    Optional<Flash> flash = HttpMethod.GET.equals(request.getMethod()) && request.getHeaderString("HX-Request") == null
        ? session.flatMap(s -> sessions.takeFlash(s.id())) : Optional.empty();
    request.setProperty(ConsoleContext.PROPERTY, new ConsoleContext(ConsoleText.of(lang), session, here, token, flash));

    if (HttpMethod.POST.equals(request.getMethod()) && !csrfMatches(request, token)) {
      request.abortWith(Response.status(Response.Status.FORBIDDEN).type(MediaType.TEXT_PLAIN_TYPE.withCharset("UTF-8"))
          .entity(ConsoleText.of(lang).get("error.csrf")).build());
      return;
    }
    if (session.isEmpty() && !PUBLIC.contains(path)) {
      String next = HttpMethod.GET.equals(request.getMethod()) ? here : "/console";
      URI signIn = URI.create("/console/sign-in?next=" + java.net.URLEncoder.encode(next, StandardCharsets.UTF_8));
      Response.ResponseBuilder r = Response.seeOther(signIn);
      if (request.getHeaderString("HX-Request") != null) {
        r.header("HX-Redirect", signIn.toString());
      }
      request.abortWith(r.build());
    }
  }

  @Override
  public void filter(ContainerRequestContext request, ContainerResponseContext response) {
    if (!isConsole(trimSlashes(request.getUriInfo().getPath()))) {
      return;
    }
    MultivaluedMap<String, Object> h = response.getHeaders();
    h.putSingle("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        + "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
        + "frame-ancestors 'none'");
    h.putSingle("X-Content-Type-Options", "nosniff");
    h.putSingle("Referrer-Policy", "same-origin");
    h.putSingle("Cache-Control", "no-store");
  }

  /** The request's {@code csrf} form field or X-CSRF-Token header equals the expected token. */
  private static boolean csrfMatches(ContainerRequestContext request, String expected) throws IOException {
    if (expected.isEmpty()) {
      return false;
    }
    String header = request.getHeaderString("X-CSRF-Token");
    if (header != null) {
      return ConsoleSessions.sameToken(expected, header);
    }
    MediaType type = request.getMediaType();
    if (type == null || !type.isCompatible(MediaType.APPLICATION_FORM_URLENCODED_TYPE) || !request.hasEntity()) {
      return false;
    }
    byte[] body = request.getEntityStream().readNBytes(MAX_FORM_BYTES + 1);
    request.setEntityStream(new ByteArrayInputStream(body));
    if (body.length > MAX_FORM_BYTES) {
      return false;
    }
    try {
      return formField(new String(body, StandardCharsets.ISO_8859_1), CSRF_FIELD)
          .map(submitted -> ConsoleSessions.sameToken(expected, submitted)).orElse(false);
    } catch (IllegalArgumentException malformed) {
      return false;
    }
  }

  /** One field of an x-www-form-urlencoded body (the token is URL-safe, so ISO-8859-1 reading is exact). */
  static Optional<String> formField(String body, String name) {
    for (String pair : body.split("&")) {
      int eq = pair.indexOf('=');
      String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      if (key.equals(name)) {
        return Optional.of(eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return Optional.empty();
  }

  private static Optional<String> cookie(ContainerRequestContext request, String name) {
    Cookie c = request.getCookies().get(name);
    return c == null || c.getValue() == null || c.getValue().isBlank() ? Optional.empty() : Optional.of(c.getValue());
  }

  private static String trimSlashes(String path) {
    String p = path.startsWith("/") ? path.substring(1) : path;
    return p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
  }
}
