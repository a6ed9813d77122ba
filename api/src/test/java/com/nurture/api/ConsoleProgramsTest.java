package com.nurture.api;

import static com.nurture.api.TestApi.MA;
import static com.nurture.api.TestApi.OPS;
import static com.nurture.api.TestApi.SALES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The program pages in a real browser (headless chromium; fails on any browser console error):
 * the flow with the leads at each step, then the editor: a mistake shown at its line, fixed,
 * previewed, published as a new version, and a dry run of migrating the old version's leads that
 * says who would be refused and why. Screenshots go to docs/console/.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class ConsoleProgramsTest {
  private static final GreenMail SMTP = TestSmtp.start();
  static final DropwizardAppExtension<NurtureConfiguration> APP = TestApi.allInOne(SMTP);
  private static final TestApi API = new TestApi(APP);
  private static ConsoleBrowser browser;

  /** Gold leads wait at gold-wait, the others at plain-wait. */
  private static final String V1 = """
      id: %s
      name: Tiered follow-up
      send_policy: none
      steps:
        - { id: hello, send: onboarding-welcome }
        - id: route
          branch:
            - when: { attribute: tier, eq: gold }
              goto: gold-wait
            - else: plain-wait
        - { id: gold-wait, wait: 10d }
        - { id: plain-wait, wait: 10d }
      """;

  @BeforeAll
  static void openBrowser() {
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

  private static void waitFor(String css) {
    new WebDriverWait(browser.driver(), Duration.ofSeconds(20)).ignoring(StaleElementReferenceException.class)
        .until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(css)));
    browser.checked();
  }

  /**
   * Reads from the page, again if htmx swapped the element meanwhile: the editor checks the text
   * as it is typed too, so a check can land just after the one the test asked for.
   */
  private static <T> T read(java.util.function.Function<org.openqa.selenium.WebDriver, T> what) {
    return new WebDriverWait(browser.driver(), Duration.ofSeconds(10)).ignoring(StaleElementReferenceException.class)
        .until(what::apply);
  }

  private static String textOf(String css) {
    return read(d -> d.findElement(By.cssSelector(css)).getText());
  }

  /** Scrolls the element to the top of the window, for a screenshot of what follows it. */
  private static void scrollTo(String id) {
    browser.driver().executeScript("document.getElementById(arguments[0]).scrollIntoView()", id);
  }

  private static void press(String css) {
    browser.find(css).click();
  }

  @Test
  void editAProgramWithAMistakeSeeItAtItsLineFixPreviewPublishAndDryRunTheMigration() {
    String id = TestApi.newId("tiered");
    API.json(API.call("/v1/programs/" + id, OPS).put(Entity.entity(V1.formatted(id), "application/yaml")), 201);
    String gold = API.lead("console-gold@example.com", Map.of("attributes", Map.of("tier", "gold")));
    String plain = API.lead("console-plain@example.com", Map.of());
    for (String lead : new String[] {gold, plain}) {
      API.json(API.call("/v1/leads/" + lead + "/journey", MA).post(Entity.json(Map.of("program", id))), 201);
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> API.journey(gold).path("current_step").asText().equals("gold-wait")
        && API.journey(plain).path("current_step").asText().equals("plain-wait"));

    browser.open("/console/programs");
    browser.type("key", OPS).click("#sign-in");
    assertThat(browser.path()).isEqualTo("/console/programs");
    assertThat(browser.all("nav a")).extracting(e -> e.getText()).contains("Programs");
    assertThat(browser.text("#programs")).contains(id, "Tiered follow-up", "onboarding");
    browser.screenshot("programs");

    // The flow: a box per step, the leads now at each.
    browser.click("a[href='/console/programs/" + id + "']");
    assertThat(browser.all("#flow .step")).hasSize(4);
    assertThat(browser.text("#step-gold-wait")).contains("1 leads here now");
    assertThat(browser.text("#step-plain-wait")).contains("1 leads here now");
    assertThat(browser.all("#flow path.edge.jump")).as("the branch's else, past gold-wait").hasSize(1);
    assertThat(browser.text("#versions .version-inflight")).isEqualTo("2");
    browser.screenshot("program-flow");

    // The editor: the v2 text with a mistake (the case still goes to the step it removes).
    browser.click("#edit-program");
    assertThat(browser.path()).isEqualTo("/console/programs/" + id + "/edit");
    String v2 = V1.formatted(id).replace("  - { id: gold-wait, wait: 10d }\n", "");
    browser.type("source", v2);
    press("#publish");
    waitFor("#errors li");
    assertThat(textOf("#errors")).contains("Line 9:", "gold-wait");
    String line9 = read(d -> d.findElement(By.cssSelector("#gutter span:nth-child(9)")).getAttribute("class"));
    assertThat(line9).isEqualTo("error");
    assertThat(textOf("#annotations")).contains("gold-wait");
    assertThat(API.get("/v1/programs/" + id + "/versions", OPS)).as("nothing was published").hasSize(1);
    browser.screenshot("program-editor-error");

    browser.type("source", v2.replace("goto: gold-wait", "goto: plain-wait"));
    press("#check");
    waitFor("#valid");
    int marked = read(d -> d.findElements(By.cssSelector("#gutter span.error")).size());
    assertThat(marked).isZero();

    // Preview the fixed text: a gold lead goes the same way as everyone now.
    browser.type("preview-lead", "{ first_name: Pat, tier: gold }");
    press("#preview-run");
    waitFor("#preview-timeline");
    assertThat(browser.text("#preview-timeline")).contains("email_sent", "waiting", "plain-wait")
        .doesNotContain("gold-wait");
    assertThat(browser.text("#preview-summary")).isNotEmpty();
    scrollTo("preview-heading");
    browser.screenshot("program-preview");

    press("#publish");
    new WebDriverWait(browser.driver(), Duration.ofSeconds(20)).until(d -> browser.driver().getCurrentUrl().contains("published=2"));
    waitFor("#notice");
    assertThat(browser.text("#notice")).isEqualTo("Published version 2.");
    assertThat(browser.all("#versions tbody tr")).hasSize(2);
    assertThat(browser.text("#versions tbody tr:first-child")).contains("2", "latest");

    // Dry run: the plain lead would move, the gold lead would be refused, and nobody moves.
    assertThat(new Select(browser.find("#migrate-from")).getFirstSelectedOption().getText()).contains("version 1", "2 in flight");
    press("#dry-run");
    waitFor("#migration-summary");
    assertThat(browser.text("#migration-summary")).startsWith("Dry run: 1 would move and 1 would be refused");
    assertThat(browser.text("#refused")).contains(gold, "its current step 'gold-wait' does not exist in " + id + "@2");
    assertThat(API.journey(plain).path("program_version").asInt()).isEqualTo(1);
    scrollTo("migrate-heading");
    browser.screenshot("program-migrate-dry-run");
  }

  @Test
  void salesSeesNoProgramPagesAndCannotCallTheEditor() {
    ConsoleHttp sales = new ConsoleHttp(APP.getLocalPort());
    assertThat(sales.signIn(SALES).statusCode()).isEqualTo(303);
    HttpResponse<String> queue = sales.get("/console/sales");
    assertThat(queue.statusCode()).isEqualTo(200);
    assertThat(queue.body()).as("no navigation entry").doesNotContain("/console/programs");
    assertThat(sales.get("/console/programs").statusCode()).isEqualTo(403);
    assertThat(sales.get("/console/programs/onboarding").statusCode()).isEqualTo(403);
    assertThat(sales.get("/console/programs/onboarding/edit").statusCode()).isEqualTo(403);
    assertThat(sales.post("/console/programs/onboarding/publish", Map.of("source", "id: onboarding")).statusCode())
        .isEqualTo(403);

    ConsoleHttp operator = new ConsoleHttp(APP.getLocalPort());
    operator.signIn(OPS);
    String opsToken = ConsoleHttp.csrf(operator.get("/console/programs/onboarding/edit").body());
    assertThat(operator.post("/console/programs/onboarding/validate", Map.of("source", "id: onboarding\nsteps: []\n"))
        .statusCode()).as("no CSRF token").isEqualTo(403);
    HttpResponse<String> checked = operator.post("/console/programs/onboarding/validate",
        Map.of("csrf", opsToken, "source", "id: onboarding\nsteps: []\n"));
    assertThat(checked.statusCode()).isEqualTo(200);
    assertThat(checked.body()).contains("steps", "needs at least one step", "data-line=\"2\"", "hx-swap-oob");
  }
}
