package com.nurture.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.nurture.activities.TestSmtp;
import com.nurture.api.auth.PublicRoutes;
import com.nurture.api.auth.Roles;
import com.nurture.api.auth.RouteTable;
import io.dropwizard.metrics.servlets.AdminServlet;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.eclipse.jetty.ee10.servlet.ServletMapping;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every door checked: every route Jersey's resource model holds is either guarded by roles (no key
 * 401, a key without the role 403, a key with it let through) or on the public allow-list
 * ({@link PublicRoutes}) and then takes no key and refuses forged tokens and signatures. A route
 * with neither fails here, so a new unguarded route cannot slip in. The admin port needs no key:
 * it serves what it serves to anyone who reaches it, and nothing of it is on the API port.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class RouteDoorsTest {
  private static final GreenMail SMTP = TestSmtp.start();
  /** Webhooks whose secrets are configured, so an unsigned call meets the signature check (not "not configured", 503). */
  private static final String SECRET = "whsec_" + java.util.Base64.getEncoder()
      .encodeToString("route-doors-test-webhook-secret-32b".getBytes(java.nio.charset.StandardCharsets.UTF_8));
  static final DropwizardAppExtension<NurtureConfiguration> APP = TestApi.allInOne(SMTP,
      ConfigOverride.config("esp.standard.secret", SECRET), ConfigOverride.config("inbound.webhook_secret", SECRET));
  private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
  /** The test keys (api-test.yml) by their one role. */
  private static final Map<String, String> KEY_OF_ROLE = Map.of(Roles.MA, TestApi.MA, Roles.SALES, TestApi.SALES,
      Roles.OPERATOR, TestApi.OPS);
  /** Values for path parameters, by name: real-looking, naming nothing that exists. */
  private static final Map<String, String> SAMPLE = Map.of("leadId", "doors-nobody", "id", "0", "version", "1",
      "email", "doors-nobody@example.com", "command", "pause", "provider", "standard", "source", "hubspot",
      "outcome", "accepted");
  /** Forged tokens: a made-up one in each of our formats. */
  private static final List<String> FORGED = List.of("u3.k1.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
      "u2.deadbeef.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
      "c1.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "c2.k1.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
      "AAAAAAAAAAAAAAAAAAAAAA");

  @AfterAll
  static void stop() {
    SMTP.stop();
  }

  private static List<RouteTable.Route> routes() {
    return RouteTable.of(APP.getEnvironment().jersey().getResourceConfig());
  }

  @Test
  void everyRouteIsGuardedByRolesOrOnThePublicAllowList() {
    List<RouteTable.Route> routes = routes();
    assertThat(routes).as("the resource model").hasSizeGreaterThan(40);
    assertThat(routes.stream().filter(RouteTable.Route::unguarded).map(r -> r.method() + " " + r.path()))
        .as("routes with neither @RolesAllowed nor an entry in PublicRoutes").isEmpty();
    assertThat(routes.stream().filter(r -> !r.roles().isEmpty() && r.publicEntry().isPresent())
        .map(r -> r.method() + " " + r.path())).as("public and guarded at once").isEmpty();
    // Every allow-list entry is a real route: a stale entry could later open a new route by accident.
    for (PublicRoutes.Entry e : PublicRoutes.ALL) {
      assertThat(routes).as("allow-list entry " + e.method() + " " + e.path())
          .anyMatch(r -> r.method().equals(e.method()) && r.path().equals(e.path()));
    }
  }

  @Test
  void resourcesOnlyTheDevRoleRegistersAreGuardedToo() {
    // /dev/mailbox exists only in `dev` (not in the application under test here): checked by its annotations.
    List<RouteTable.Route> dev = RouteTable.of(new org.glassfish.jersey.server.ResourceConfig()
        .register(com.nurture.api.resources.DevMailboxResource.class));
    assertThat(dev).extracting(r -> r.method() + " " + r.path() + " " + r.roles())
        .containsExactly("DELETE /dev/mailbox [operator]", "GET /dev/mailbox [operator]");
  }

  @Test
  void guardedRoutesRefuseNoKeyAndTheWrongRoleAndLetTheRightRoleThrough() throws Exception {
    List<String> failures = new ArrayList<>();
    int checked = 0;
    for (RouteTable.Route r : routes()) {
      if (r.roles().isEmpty()) {
        continue;
      }
      String what = r.method() + " " + r.path();
      expect(failures, what + " without a key", call(r, null), Set.of(401));
      expect(failures, what + " with an unknown key", call(r, "not-a-configured-key"), Set.of(401));
      for (String role : KEY_OF_ROLE.keySet()) {
        int status = call(r, KEY_OF_ROLE.get(role));
        if (r.roles().contains(role)) {
          if (status == 401 || status == 403) {
            failures.add(what + " with role " + role + " (allowed): " + status);
          }
        } else {
          expect(failures, what + " with role " + role + " (not allowed)", status, Set.of(403));
        }
      }
      checked++;
    }
    assertThat(failures).isEmpty();
    assertThat(checked).isGreaterThan(30);
  }

  @Test
  void publicRoutesTakeNoKeyAndRefuseForgedTokensAndSignatures() throws Exception {
    List<String> failures = new ArrayList<>();
    for (RouteTable.Route r : routes()) {
      Optional<PublicRoutes.Entry> entry = r.publicEntry();
      if (entry.isEmpty()) {
        continue;
      }
      String what = r.method() + " " + r.path();
      switch (entry.get().guard()) {
        case TOKEN -> {
          for (String token : FORGED) {
            // 400 (unsubscribe) or 404 (confirmation, tracking): never a page acting on it, never a redirect.
            expect(failures, what + " with forged token " + token, call(r, null, token), Set.of(400, 404));
          }
        }
        case SIGNATURE -> {
          // Unsigned: 401 when the source is configured, 404 when it is not (nothing to verify with).
          expect(failures, what + " unsigned", call(r, null), Set.of(401, 404));
          expect(failures, what + " unsigned, with an API key", call(r, TestApi.OPS), Set.of(401, 404));
        }
        case SESSION_COOKIE -> {
          // A console page: no session, no page (401, or 303 to the sign-in page; a form's POST is a 403
          // first, for its missing CSRF token); an API key is no session.
          expect(failures, what + " without a session", call(r, null), Set.of(401, 303, 403));
          expect(failures, what + " with an API key", call(r, TestApi.OPS), Set.of(401, 303, 403));
        }
        case NONE -> expect(failures, what + " without a key", call(r, null), Set.of(200, 204));
      }
    }
    assertThat(failures).isEmpty();
  }

  @Test
  void theAdminPortNeedsNoKeyAndTheApiPortServesNoneOfIt() throws Exception {
    ServletMapping[] mappings = APP.getEnvironment().getAdminContext().getServletHandler().getServletMappings();
    Set<String> paths = new TreeSet<>();
    for (ServletMapping m : mappings) {
      for (String spec : m.getPathSpecs()) {
        String path = spec.replace("/*", "");
        if (!path.isEmpty() && !path.equals("/")) {
          paths.add(path);
        } else {
          // Dropwizard's admin servlet, mapped at the root, serves these itself.
          paths.addAll(List.of(AdminServlet.DEFAULT_HEALTHCHECK_URI, AdminServlet.DEFAULT_PING_URI,
              AdminServlet.DEFAULT_METRICS_URI, AdminServlet.DEFAULT_THREADS_URI));
        }
      }
    }
    assertThat(paths).contains("/healthcheck", "/ping", "/prometheus", "/metrics", "/threads", "/tasks");
    for (String path : paths) {
      int admin = get(APP.getAdminPort(), path, null);
      assertThat(admin).as("admin " + path + " without a key").isNotIn(401, 403);
      if (!path.equals("/tasks")) {
        // /healthcheck answers 500 when a check fails; every other admin page answers 200 to anyone.
        assertThat(admin).as("admin " + path).isIn(200, 500);
      }
      assertThat(get(APP.getLocalPort(), path, TestApi.OPS)).as("API port " + path).isEqualTo(404);
    }
  }

  private static void expect(List<String> failures, String what, int status, Set<Integer> wanted) {
    if (!wanted.contains(status)) {
      failures.add(what + ": " + status + ", expected one of " + wanted);
    }
  }

  private static int call(RouteTable.Route r, String key) throws Exception {
    return call(r, key, null);
  }

  /** The route called with sample path parameters ({@code token} if given), an empty body of a media type it takes. */
  private static int call(RouteTable.Route r, String key, String token) throws Exception {
    String path = r.path();
    for (Map.Entry<String, String> p : SAMPLE.entrySet()) {
      path = path.replace("{" + p.getKey() + "}", p.getValue());
    }
    path = path.replace("{token}", token == null ? "AAAA" : token);
    assertThat(path).as("a path parameter without a sample value").doesNotContain("{");
    String type = r.consumes().stream().filter(t -> !t.contains("*")).findFirst().orElse("application/json");
    String body = type.contains("json") ? "{}" : "";
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + APP.getLocalPort() + path));
    if (key != null) {
      b.header("Authorization", "Bearer " + key);
    }
    boolean hasBody = r.method().equals("POST") || r.method().equals("PUT");
    HttpRequest.BodyPublisher publisher = hasBody ? HttpRequest.BodyPublishers.ofString(body)
        : HttpRequest.BodyPublishers.noBody();
    if (hasBody) {
      b.header("Content-Type", type);
    }
    HttpRequest request = b.method(r.method(), publisher).build();
    try {
      return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (java.io.IOException e) {
      // A pooled connection the server had just closed: once more, on a new one.
      return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }
  }

  private static int get(int port, String path, String key) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).GET();
    if (key != null) {
      b.header("Authorization", "Bearer " + key);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }
}
