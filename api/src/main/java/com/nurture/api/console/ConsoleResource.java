package com.nurture.api.console;

import com.nurture.api.auth.ApiKeyPrincipal;
import com.nurture.api.auth.ApiKeys;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.responses.ApiResponse;

/** Signing in and out of the console, its language switch, and its front door. */
@Path("/console")
@Produces(MediaType.TEXT_HTML)
public class ConsoleResource {
  private static final Logger log = LoggerFactory.getLogger(ConsoleResource.class);
  private static final int ONE_YEAR = 365 * 24 * 3600;

  private final ApiKeys keys;
  private final ConsoleSessions sessions;

  public ConsoleResource(ApiKeys keys, ConsoleSessions sessions) {
    this.keys = keys;
    this.sessions = sessions;
  }

  @GET
  @ApiResponse(responseCode = "303", description = "to the overview (or the sales queue), or to sign in")
  public Response home(@Context ContainerRequestContext request) {
    return Response.seeOther(URI.create(ConsoleNav.home(ConsoleContext.of(request).signedIn()))).build();
  }

  @GET
  @Path("sign-in")
  @ApiResponse(responseCode = "200", description = "the sign-in page", content = @Content(mediaType = "text/html"))
  @ApiResponse(responseCode = "303", description = "already signed in: to the page asked for")
  public Response signInPage(@Context ContainerRequestContext request, @Context UriInfo uri,
      @HeaderParam("X-Forwarded-Proto") String proto, @QueryParam("next") String next,
      @QueryParam("refused") String refused) {
    ConsoleContext context = ConsoleContext.of(request);
    if (context.session().isPresent()) {
      return Response.seeOther(URI.create(safeNext(next).orElse(ConsoleNav.home(context.signedIn())))).build();
    }
    String token = context.csrfToken().isEmpty() ? ConsoleSessions.randomToken() : context.csrfToken();
    String error = "wrong".equals(refused) ? "signin.error.wrong" : "role".equals(refused) ? "signin.error.role" : "";
    return Response.ok(new SignInPage(context, safeNext(next).orElse(""), error, token))
        .cookie(ConsoleCookies.of(ConsoleGate.PRE_SESSION_COOKIE, token, -1, ConsoleCookies.https(uri, proto))).build();
  }

  @POST
  @Path("sign-in")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  @ApiResponse(responseCode = "303", description = "signed in: to the page asked for; refused: back to the sign-in page, saying why")
  public Response signIn(@Context UriInfo uri, @HeaderParam("X-Forwarded-Proto") String proto,
      @FormParam("key") String key, @FormParam("next") String next) {
    Optional<ApiKeyPrincipal> who = key == null || key.isBlank() ? Optional.empty() : keys.authenticate(key.trim());
    if (who.isEmpty()) {
      log.info("console sign-in refused: unknown key");
      return refused("wrong", next);
    }
    ConsoleSession session = sessions.open(who.get());
    if (!session.seesSalesQueue()) {
      sessions.close(session.id());
      log.info("console sign-in refused: key {} has neither the operator nor the sales role", who.get().name());
      return refused("role", next);
    }
    log.info("console sign-in: key {}", session.name());
    boolean secure = ConsoleCookies.https(uri, proto);
    return Response.seeOther(URI.create(safeNext(next).orElse(ConsoleNav.home(session))))
        .cookie(ConsoleCookies.of(ConsoleGate.SESSION_COOKIE, session.id(), -1, secure),
            ConsoleCookies.of(ConsoleGate.PRE_SESSION_COOKIE, "", 0, secure))
        .build();
  }

  @POST
  @Path("sign-out")
  @ApiResponse(responseCode = "303", description = "signed out: to the sign-in page")
  public Response signOut(@Context ContainerRequestContext request, @Context UriInfo uri,
      @HeaderParam("X-Forwarded-Proto") String proto) {
    ConsoleSession session = ConsoleContext.of(request).signedIn();
    sessions.close(session.id());
    log.info("console sign-out: key {}", session.name());
    return Response.seeOther(URI.create("/console/sign-in"))
        .cookie(ConsoleCookies.of(ConsoleGate.SESSION_COOKIE, "", 0, ConsoleCookies.https(uri, proto))).build();
  }

  /** The language switch: remembered in a cookie for a year, then back to the page it was on. */
  @POST
  @Path("language")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  @ApiResponse(responseCode = "303", description = "back to the page it was on, in the language chosen")
  public Response language(@Context UriInfo uri, @HeaderParam("X-Forwarded-Proto") String proto,
      @FormParam("lang") String lang, @FormParam("next") String next) {
    String chosen = ConsoleLanguage.choose(Optional.ofNullable(lang), Optional.empty());
    return Response.seeOther(URI.create(safeNext(next).orElse("/console")))
        .cookie(ConsoleCookies.of(ConsoleLanguage.COOKIE, chosen, ONE_YEAR, ConsoleCookies.https(uri, proto))).build();
  }

  /** Back to the sign-in form (POST, then redirect), saying why; the browser keeps its pre-session token. */
  private static Response refused(String why, String next) {
    String query = "?refused=" + why + safeNext(next)
        .map(n -> "&next=" + java.net.URLEncoder.encode(n, java.nio.charset.StandardCharsets.UTF_8)).orElse("");
    return Response.seeOther(URI.create("/console/sign-in" + query)).build();
  }

  /** A console path to return to, never another site ("//evil", "https://..."). */
  static Optional<String> safeNext(String next) {
    if (next == null || !next.startsWith("/console") || next.startsWith("//") || next.contains("\\")
        || next.chars().anyMatch(c -> c < 0x20)) {
      return Optional.empty();
    }
    return Optional.of(next);
  }
}
