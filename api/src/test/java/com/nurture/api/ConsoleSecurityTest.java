package com.nurture.api;

import static com.nurture.api.TestApi.MA;
import static com.nurture.api.TestApi.OPS;
import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.nurture.activities.TestSmtp;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The console's door over plain HTTP: the session cookie's attributes, CSRF on every POST, what
 * happens without a session, and the assets served from the application itself.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class ConsoleSecurityTest {
  private static final GreenMail SMTP = TestSmtp.start();
  static final DropwizardAppExtension<NurtureConfiguration> APP = TestApi.allInOne(SMTP);

  @AfterAll
  static void stop() {
    SMTP.stop();
  }

  private static ConsoleHttp http() {
    return new ConsoleHttp(APP.getLocalPort());
  }

  @Test
  void theSessionCookieIsHttpOnlyStrictAndHoldsNoKey() {
    ConsoleHttp http = http();
    HttpResponse<String> r = http.signIn(OPS);
    assertThat(r.statusCode()).isEqualTo(303);
    assertThat(ConsoleHttp.location(r)).isEqualTo("/console/overview");
    String cookie = r.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("nurture_session="))
        .findFirst().orElseThrow();
    assertThat(cookie).containsIgnoringCase("HttpOnly").containsIgnoringCase("SameSite=Strict")
        .containsIgnoringCase("Path=/console").doesNotContain(OPS).doesNotContainIgnoringCase("Secure");
    assertThat(http.get("/console/overview").statusCode()).isEqualTo(200);

    ConsoleHttp behindHttps = http();
    String token = ConsoleHttp.csrf(behindHttps.get("/console/sign-in").body());
    HttpResponse<String> viaProxy = behindHttps.send(behindHttps.request("/console/sign-in")
        .header("Content-Type", "application/x-www-form-urlencoded").header("X-Forwarded-Proto", "https")
        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("key=" + OPS + "&csrf=" + token)));
    assertThat(viaProxy.headers().allValues("Set-Cookie")).filteredOn(c -> c.startsWith("nurture_session="))
        .singleElement().asString().containsIgnoringCase("Secure");
  }

  @Test
  void aPostWithoutTheSessionsCsrfTokenIsRefused() {
    ConsoleHttp http = http();
    http.signIn(OPS);
    String token = ConsoleHttp.csrf(http.get("/console/overview").body());

    assertThat(http.post("/console/sign-out", Map.of()).statusCode()).isEqualTo(403);
    assertThat(http.post("/console/sign-out", Map.of("csrf", "forged")).statusCode()).isEqualTo(403);
    ConsoleHttp other = http();
    other.signIn(OPS);
    String othersToken = ConsoleHttp.csrf(other.get("/console/overview").body());
    assertThat(http.post("/console/sign-out", Map.of("csrf", othersToken)).statusCode())
        .as("another session's token").isEqualTo(403);
    assertThat(http.get("/console/overview").statusCode()).as("still signed in").isEqualTo(200);

    HttpResponse<String> out = http.post("/console/sign-out", Map.of("csrf", token));
    assertThat(out.statusCode()).isEqualTo(303);
    assertThat(http.get("/console/overview").statusCode()).isEqualTo(303);
  }

  @Test
  void signingInNeedsThePageItsTokenCameFromAndAConsoleRole() {
    ConsoleHttp http = http();
    assertThat(http.post("/console/sign-in", Map.of("key", OPS)).statusCode()).as("no pre-session token").isEqualTo(403);

    HttpResponse<String> wrong = http.signIn("not-a-key");
    assertThat(wrong.statusCode()).isEqualTo(303);
    assertThat(ConsoleHttp.location(wrong)).isEqualTo("/console/sign-in?refused=wrong");
    assertThat(http.cookies).doesNotContainKey("nurture_session");

    HttpResponse<String> maOnly = http.signIn(MA);
    assertThat(ConsoleHttp.location(maOnly)).isEqualTo("/console/sign-in?refused=role");
    assertThat(http.cookies).doesNotContainKey("nurture_session");
    assertThat(http.get("/console/sign-in?refused=role").body()).contains("neither the operator nor the sales role");
  }

  @Test
  void withoutASessionEveryPageLeadsToSignInAndComesBack() {
    ConsoleHttp http = http();
    HttpResponse<String> r = http.get("/console/overview?x=1");
    assertThat(r.statusCode()).isEqualTo(303);
    assertThat(ConsoleHttp.location(r)).isEqualTo("/console/sign-in?next=%2Fconsole%2Foverview%3Fx%3D1");

    String token = ConsoleHttp.csrf(http.get("/console/sign-in?next=%2Fconsole%2Foverview%3Fx%3D1").body());
    HttpResponse<String> in = http.post("/console/sign-in", Map.of("key", OPS, "csrf", token, "next", "/console/overview?x=1"));
    assertThat(ConsoleHttp.location(in)).isEqualTo("/console/overview?x=1");

    ConsoleHttp elsewhere = http();
    String t2 = ConsoleHttp.csrf(elsewhere.get("/console/sign-in").body());
    HttpResponse<String> away = elsewhere.post("/console/sign-in", Map.of("key", OPS, "csrf", t2, "next", "//evil.example/x"));
    assertThat(away.headers().firstValue("Location").orElseThrow()).as("never another site").startsWith("http://localhost:");
    assertThat(ConsoleHttp.location(away)).isEqualTo("/console/overview");
  }

  @Test
  void whatARoleMayNotDoItDoesNotSeeAndCannotOpen() {
    ConsoleHttp sales = http();
    assertThat(ConsoleHttp.location(sales.signIn(TestApi.SALES))).isEqualTo("/console/sales");
    String queue = sales.get("/console/sales").body();
    assertThat(queue).contains("href=\"/console/alerts\"").doesNotContain("href=\"/console/overview\"",
        "href=\"/console/leads\"", "href=\"/console/suppressions\"");
    for (String page : new String[] {"/console/overview", "/console/leads", "/console/leads/anyone", "/console/suppressions"}) {
      assertThat(sales.get(page).statusCode()).as(page).isEqualTo(403);
    }
    String token = ConsoleHttp.csrf(queue);
    assertThat(sales.post("/console/suppressions", Map.of("csrf", token, "email", "x@example.com", "reason", "r"))
        .statusCode()).isEqualTo(403);

    ConsoleHttp ops = http();
    ops.signIn(OPS);
    String opsToken = ConsoleHttp.csrf(ops.get("/console/sales").body());
    assertThat(ops.get("/console/sales").body()).as("an operator sees the queue, not sales' buttons")
        .doesNotContain("/accepted\"");
    assertThat(ops.post("/console/sales/anyone/accepted", Map.of("csrf", opsToken)).statusCode()).isEqualTo(403);
  }

  @Test
  void pagesChooseTheirLanguageFromTheBrowserOrTheSwitch() {
    ConsoleHttp http = http();
    HttpResponse<String> ja = http.send(http.request("/console/sign-in").header("Accept-Language", "ja-JP,ja;q=0.9,en;q=0.5"));
    assertThat(ja.body()).contains("<html lang=\"ja\">", "サインイン");
    String token = ConsoleHttp.csrf(ja.body());
    assertThat(http.post("/console/language", Map.of("csrf", token, "lang", "en", "next", "/console/sign-in")).statusCode())
        .isEqualTo(303);
    HttpResponse<String> en = http.send(http.request("/console/sign-in").header("Accept-Language", "ja-JP"));
    assertThat(en.body()).as("the switch wins over the browser").contains("<html lang=\"en\">", "Sign in");
  }

  @Test
  void theScriptsComeFromTheApplicationItself() {
    ConsoleHttp http = http();
    for (String asset : new String[] {"/console/assets/htmx/htmx.min.js", "/console/assets/uplot/uPlot.iife.min.js",
        "/console/assets/uplot/uPlot.min.css", "/console/assets/app/console.js", "/console/assets/app/console.css",
        "/console/assets/app/favicon.svg"}) {
      assertThat(http.get(asset).statusCode()).as(asset).isEqualTo(200);
    }
    HttpResponse<String> page = http.get("/console/sign-in");
    assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(csp ->
        assertThat(csp).contains("default-src 'self'", "script-src 'self'"));
    assertThat(page.body()).doesNotContain("https://", "http://");
  }
}
