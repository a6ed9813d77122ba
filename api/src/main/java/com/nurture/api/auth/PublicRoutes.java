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
      new Entry("OPTIONS", "/codec/decode", Guard.NONE, "CORS preflight of Temporal's Web UI: headers only, no payload"),
      new Entry("OPTIONS", "/codec/encode", Guard.NONE, "CORS preflight of Temporal's Web UI: headers only, no payload"));

  private PublicRoutes() {}

  /** The allow-list's entry for a route, if it is public. */
  public static Optional<Entry> find(String method, String path) {
    return ALL.stream().filter(e -> e.method().equals(method) && e.path().equals(path)).findFirst();
  }
}
