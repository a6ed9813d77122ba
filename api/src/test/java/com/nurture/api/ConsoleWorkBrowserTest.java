package com.nurture.api;

import static com.nurture.api.TestApi.MA;
import static com.nurture.api.TestApi.OPS;
import static com.nurture.api.TestApi.SALES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.nurture.activities.TestSmtp;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import jakarta.ws.rs.client.Entity;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The console's pages in a real browser, on leads whose journeys really ran (an email sent over
 * SMTP, then a hand-off to sales): an operator finds a lead and reads its timeline, acknowledges an
 * alert and works the suppression list; erases a lead (its id typed to confirm), which sales cannot;
 * a sales rep accepts a hand-off from the queue. Every step fails on a browser console error; each
 * page's screenshot goes to docs/console/.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class ConsoleWorkBrowserTest {
  private static final GreenMail SMTP = TestSmtp.start();
  static final DropwizardAppExtension<NurtureConfiguration> APP = TestApi.allInOne(SMTP);
  private static final TestApi API = new TestApi(APP);
  private static ConsoleBrowser browser;
  private static String program;

  @BeforeAll
  static void start() {
    program = TestApi.newId("console");
    API.json(API.call("/v1/programs/" + program, OPS).put(Entity.entity("id: " + program + "\nsend_policy: none\nsteps:\n"
        + "  - { id: proof, send: onboarding-proof }\n"
        + "  - { id: to-sales, handoff: { reason: asked for pricing } }\n"
        + "  - { id: after, send: onboarding-proof }\n", "application/yaml")), 201);
    browser = new ConsoleBrowser(APP.getLocalPort(), "en-GB");
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.close();
    }
    SMTP.stop();
    API.close();
  }

  /** A lead of an example company, enrolled; answers once its email is sent and it is handed off. */
  private static String handedOffLead(String company) {
    String lead = API.lead(TestApi.newId("console") + "@" + company.toLowerCase() + ".example",
        Map.of("first_name", "Kim", "company", company, "attributes", Map.of("owner_email", "rep@acme.example")));
    API.json(API.call("/v1/leads/" + lead + "/journey", MA).post(Entity.json(Map.of("program", program))), 201);
    await().atMost(Duration.ofSeconds(60)).until(() -> handoff(lead) != null);
    return lead;
  }

  private static JsonNode handoff(String lead) {
    for (JsonNode h : API.get("/v1/handoffs?status=open&limit=500", SALES).path("items")) {
      if (h.path("lead_id").asText().equals(lead)) {
        return h;
      }
    }
    return null;
  }

  /** Signs in from a fresh cookie jar: each test starts signed out, whatever the one before it left. */
  private static void signIn(String key) {
    browser.driver().manage().deleteAllCookies();
    browser.open("/console/sign-in").type("key", key).click("#sign-in");
  }

  /**
   * Follows the pager until the element is on the page, as a rep would: the test database is shared
   * with the other classes, so the queue may hold more open hand-offs than its first page shows.
   */
  private static void pageUntil(String css) {
    while (browser.all(css).isEmpty()) {
      assertThat(browser.all("#next-page")).as("%s on a later page", css).isNotEmpty();
      browser.click("#next-page");
    }
  }

  @Test
  void anOperatorFindsALeadReadsItsTimelineAcknowledgesItsAlertAndEditsSuppressions() {
    String company = "Globex" + TestApi.newId("co").substring(3);
    String lead = handedOffLead(company);
    signIn(OPS);
    assertThat(browser.path()).isEqualTo("/console/overview");
    assertThat(browser.all("#funnel tbody tr")).hasSize(7);
    assertThat(browser.all(".chart-area canvas")).as("uPlot drew sends per day").isNotEmpty();
    browser.screenshot("overview");

    browser.click("nav a[href='/console/leads']").type("q", company.substring(0, 8).toLowerCase())
        .clickInPlace("#search", "#lead-results");
    assertThat(browser.driver().getCurrentUrl()).as("the search is in the address bar").contains("q=globex");
    assertThat(browser.all("#leads tbody tr")).extracting(r -> r.getText()).anyMatch(t -> t.contains(lead));
    browser.screenshot("leads");

    browser.click("#leads a[href='/console/leads/" + lead + "']");
    assertThat(browser.text("h1")).isEqualTo("Lead " + lead);
    assertThat(browser.text("#journey-status")).isEqualTo("HANDED_OFF");
    assertThat(browser.text("#timeline")).contains("enrolled", "email_sent");
    assertThat(browser.text("#emails")).contains("proof", "delivered");
    assertThat(browser.text("#handoff")).contains("asked for pricing");
    assertThat(browser.all("#history tbody tr")).as("the decoded workflow history").isNotEmpty();
    assertThat(browser.all("button#exit")).as("an operator may end the journey").hasSize(1);
    browser.screenshot("lead");

    long alert = 0;
    for (JsonNode a : API.get("/v1/alerts?limit=1000", OPS)) {
      if (a.path("lead_id").asText().equals(lead) && a.path("kind").asText().equals("handoff")) {
        alert = a.path("id").asLong();
      }
    }
    assertThat(alert).as("the hand-off raised an alert").isPositive();
    browser.click("nav a[href='/console/alerts']");
    browser.screenshot("alerts");
    browser.click("#alert-" + alert + " button.ack");
    assertThat(browser.text("#flash")).isEqualTo("Alert " + alert + " acknowledged.");
    assertThat(browser.all("#alert-" + alert)).as("no longer open").isEmpty();
    assertThat(API.get("/v1/alerts?status=acked&limit=1000", OPS).findValuesAsText("id")).contains(String.valueOf(alert));

    String address = TestApi.newId("blocked") + "@example.com";
    browser.click("nav a[href='/console/suppressions']").type("add-email", address).type("add-reason", "asked by phone")
        .click("#add");
    assertThat(browser.text("#flash")).contains("suppressed");
    assertThat(browser.text("#suppressions")).contains(address, "asked by phone", "ops");
    browser.screenshot("suppressions");

    browser.click("#language-switch");
    assertThat(browser.text("h1")).isEqualTo("配信停止リスト");
    browser.open("/console/overview");
    browser.screenshot("overview-ja");
    browser.click("#language-switch").click("#sign-out");
    assertThat(browser.path()).isEqualTo("/console/sign-in");
  }

  @Test
  void aSalesRepSeesOnlyTheQueueAndAlertsAndAcceptsAHandOff() {
    String lead = handedOffLead("Initech");
    long id = handoff(lead).path("id").asLong();
    signIn(SALES);
    assertThat(browser.path()).isEqualTo("/console/sales");
    assertThat(browser.all("nav a")).extracting(e -> e.getText()).containsExactly("Sales queue", "Alerts");
    pageUntil("#handoff-" + id);
    assertThat(browser.text("#handoff-" + id)).contains(lead, "asked for pricing", "rep@acme.example");
    browser.screenshot("sales-queue");

    browser.click("#handoff-" + id + " button.accept");
    assertThat(browser.text("#flash")).isEqualTo("Accepted lead " + lead + ".");
    assertThat(browser.all("#handoff-" + id)).isEmpty();
    assertThat(handoff(lead)).as("answered: no longer open").isNull();
    await().atMost(Duration.ofSeconds(30)).until(() -> API.journey(lead).path("status").asText().equals("GRADUATED"));

    browser.click("#sign-out");
    assertThat(browser.path()).isEqualTo("/console/sign-in");
  }

  @Test
  void anOperatorErasesALeadThroughItsPageAndARoleThatMayNotEraseCannot() {
    String company = "Umbrella" + TestApi.newId("co").substring(3);
    String lead = handedOffLead(company);
    String email = API.get("/v1/leads/" + lead, OPS).path("email").asText();
    String erase = "/console/leads/" + lead + "/erase";

    ConsoleHttp sales = new ConsoleHttp(APP.getLocalPort());
    sales.signIn(SALES);
    String salesToken = ConsoleHttp.csrf(sales.get("/console/sales").body());
    HttpResponse<String> salesPage = sales.get("/console/leads/" + lead);
    assertThat(salesPage.statusCode()).as("sales may not open a lead's page").isEqualTo(403);
    assertThat(salesPage.body()).as("nor see its erase button").doesNotContain(erase, "erase-confirm");
    assertThat(sales.post(erase, Map.of("csrf", salesToken, "confirm", lead)).statusCode()).as("sales' direct POST")
        .isEqualTo(403);
    ConsoleHttp ops = new ConsoleHttp(APP.getLocalPort());
    ops.signIn(OPS);
    assertThat(ops.post(erase, Map.of("confirm", lead)).statusCode()).as("an operator's POST without the CSRF token")
        .isEqualTo(403);
    assertThat(API.get("/v1/leads/" + lead + "/export", OPS).path("erased").asBoolean()).as("nothing erased yet").isFalse();

    signIn(OPS);
    browser.open("/console/leads/" + lead);
    assertThat(browser.find("label[for='erase-confirm']").getText()).contains(lead);
    browser.type("erase-confirm", lead + "x").click("#erase");
    assertThat(browser.text("#flash")).isEqualTo("Not erased: the id typed to confirm is not this lead's id.");
    assertThat(API.get("/v1/leads/" + lead, OPS).path("email").asText()).as("a wrong id erases nothing").isEqualTo(email);

    browser.type("erase-confirm", lead);
    browser.driver().executeScript("arguments[0].scrollIntoView()", browser.find("#erase-h"));
    browser.screenshot("lead-erase");
    browser.enter("erase-confirm");
    assertThat(browser.text("#flash")).isEqualTo("Erased lead " + lead
        + ": its journey ended, its personal data emptied, its key destroyed.");
    assertThat(browser.text("h1")).isEqualTo("Lead " + lead + " (erased)");
    assertThat(browser.text("#left")).contains("leads", "messages", "timeline");
    assertThat(browser.text("#timeline")).contains("enrolled", "email_sent");
    assertThat(browser.all("#erase")).as("nothing left to erase").isEmpty();
    assertThat(browser.driver().getPageSource()).doesNotContain(email, company);
    browser.screenshot("lead-erased");

    JsonNode export = API.get("/v1/leads/" + lead + "/export", OPS);
    assertThat(export.path("erased").asBoolean()).isTrue();
    JsonNode row = export.path("tables").path("leads").get(0);
    assertThat(row.path("email").asText()).isEmpty();
    assertThat(row.path("attributes").size()).as("attributes").isZero();
    assertThat(export.path("tables").path("messages")).as("the send ledger is kept").isNotEmpty()
        .allSatisfy(m -> assertThat(m.path("email").asText() + m.path("subject").asText()).isEmpty());
    assertThat(export.toString()).as("the address and the company are nowhere").doesNotContain(email, company);
    assertThat(export.path("tables").path("lead_keys")).as("its data key destroyed").isNotEmpty()
        .allSatisfy(k -> assertThat(k.path("destroyed_at").isTextual()).isTrue());
    assertThat(API.call("/v1/leads/" + lead, OPS).get().getStatus()).as("the lead is unknown to the API").isEqualTo(404);

    browser.click("#sign-out");
    assertThat(browser.path()).isEqualTo("/console/sign-in");
  }
}
