package com.nurture.api.auth;

import java.util.List;
import java.util.Optional;

/**
 * The explicit allow-list of routes that take no API key, each with what guards it instead. Every
 * other route must name its roles ({@code @RolesAllowed}); a route with neither fails
 * RouteDoorsTest, so a new unguarded route cannot slip in. A new public route is one line here.
 */
public final class PublicRoutes {
  /** What stands in for an API key on a public route. */
  public enum Guard {
    /** A token we issued, in the path (unsubscribe, confirmation, tracking): forged or altered ones are refused. */
    TOKEN,
    /** A provider's signature or shared secret on the request (webhooks, MA intake). */
    SIGNATURE,
    /** A console session cookie (signed in through the console's sign-in page), never an API key. */
    SESSION_COOKIE,
    /** Nothing: the page or document is the same for everyone and reveals nothing (the API description, a sign-in page). */
    NONE
  }

  /** A public route: method and path as Jersey's resource model spells them ({@code {name}} for parameters). */
  public record Entry(String method, String path, Guard guard, String why) {}

  /** The allow-list. Console routes (cookie sessions) go here as {@link Guard#SESSION_COOKIE}, one line each. */
  public static final List<Entry> ALL = List.of(
      new Entry("GET", "/u/{token}", Guard.TOKEN, "the unsubscribe page every email links to"),
      new Entry("POST", "/u/{token}", Guard.TOKEN, "one-click unsubscribe (RFC 8058) and the page's choices"),
      new Entry("GET", "/confirm/{token}", Guard.TOKEN, "the double opt-in page"),
      new Entry("POST", "/confirm/{token}", Guard.TOKEN, "the double opt-in confirmation"),
      new Entry("GET", "/t/c/{token}", Guard.TOKEN, "a tracked link"),
      new Entry("HEAD", "/t/c/{token}", Guard.TOKEN, "a tracked link, as scanners fetch it"),
      new Entry("GET", "/t/o/{token}", Guard.TOKEN, "the open pixel"),
      new Entry("POST", "/v1/webhooks/esp/{provider}", Guard.SIGNATURE, "ESP delivery events"),
      new Entry("POST", "/v1/webhooks/inbound/{provider}", Guard.SIGNATURE, "inbound email (parsed)"),
      new Entry("POST", "/v1/webhooks/inbound/{provider}/mime", Guard.SIGNATURE, "inbound email (raw MIME)"),
      new Entry("POST", "/v1/intake/{source}", Guard.SIGNATURE, "MA systems' webhooks"),
      new Entry("GET", "/openapi.json", Guard.NONE, "the API description"),
      new Entry("GET", "/console", Guard.SESSION_COOKIE, "console: the console's front door (to the overview, or to sign in)"),
      new Entry("GET", "/console/overview", Guard.SESSION_COOKIE, "console: funnel, sends, deliverability, open alerts"),
      new Entry("GET", "/console/leads", Guard.SESSION_COOKIE, "console: lead search"),
      new Entry("GET", "/console/leads/{leadId}", Guard.SESSION_COOKIE, "console: a lead's page"),
      new Entry("POST", "/console/leads/{leadId}/migrate", Guard.SESSION_COOKIE, "console: migrate a lead's journey (CSRF token)"),
      new Entry("POST", "/console/leads/{leadId}/{command}", Guard.SESSION_COOKIE, "console: pause, resume, exit (CSRF token)"),
      new Entry("POST", "/console/leads/{leadId}/erase", Guard.SESSION_COOKIE,
          "console: erase a lead, its id typed to confirm (CSRF token; operator, as DELETE /v1/leads/{id})"),
      new Entry("GET", "/console/sales", Guard.SESSION_COOKIE, "console: the sales queue"),
      new Entry("POST", "/console/sales/{leadId}/{outcome}", Guard.SESSION_COOKIE, "console: accept, reject, not now (CSRF token)"),
      new Entry("GET", "/console/alerts", Guard.SESSION_COOKIE, "console: alerts"),
      new Entry("POST", "/console/alerts/{id}/ack", Guard.SESSION_COOKIE, "console: acknowledge (CSRF token)"),
      new Entry("GET", "/console/suppressions", Guard.SESSION_COOKIE, "console: suppressions"),
      new Entry("POST", "/console/suppressions", Guard.SESSION_COOKIE, "console: add one (CSRF token)"),
      new Entry("POST", "/console/suppressions/remove", Guard.SESSION_COOKIE, "console: remove one (CSRF token)"),
      new Entry("GET", "/console/programs", Guard.SESSION_COOKIE, "console: programs"),
      new Entry("GET", "/console/programs/{id}", Guard.SESSION_COOKIE, "console: a program's flow and readouts"),
      new Entry("GET", "/console/programs/{id}/edit", Guard.SESSION_COOKIE, "console: the program editor"),
      new Entry("POST", "/console/programs/{id}/validate", Guard.SESSION_COOKIE, "console: check the editor's text (CSRF token)"),
      new Entry("POST", "/console/programs/{id}/preview", Guard.SESSION_COOKIE, "console: preview the editor's text (CSRF token)"),
      new Entry("POST", "/console/programs/{id}/publish", Guard.SESSION_COOKIE, "console: publish a new version (CSRF token)"),
      new Entry("POST", "/console/programs/{id}/migrate", Guard.SESSION_COOKIE, "console: migrate leads between versions, or its dry run (CSRF token)"),
      new Entry("POST", "/console/sign-out", Guard.SESSION_COOKIE, "console: end the session (CSRF token)"),
      new Entry("POST", "/console/language", Guard.SESSION_COOKIE, "console: the language switch (CSRF token)"),
      new Entry("GET", "/console/sign-in", Guard.NONE, "the console's sign-in page"),
      new Entry("POST", "/console/sign-in", Guard.SESSION_COOKIE,
          "console sign-in: the API key in a form, refused (403) without the sign-in page's CSRF cookie and token"),
      new Entry("OPTIONS", "/codec/decode", Guard.NONE, "CORS preflight of Temporal's Web UI: headers only, no payload"),
      new Entry("OPTIONS", "/codec/encode", Guard.NONE, "CORS preflight of Temporal's Web UI: headers only, no payload"));

  private PublicRoutes() {}

  /** The allow-list's entry for a route, if it is public. */
  public static Optional<Entry> find(String method, String path) {
    return ALL.stream().filter(e -> e.method().equals(method) && e.path().equals(path)).findFirst();
  }
}
