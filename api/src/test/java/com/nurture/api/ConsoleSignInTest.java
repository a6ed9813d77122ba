package com.nurture.api;

import static com.nurture.api.TestApi.OPS;
import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.nurture.activities.TestSmtp;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The console in a real browser (headless chromium): signing in with an API key, a wrong key
 * refused, the language switch, signing out. Fails on any browser console error.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class ConsoleSignInTest {
  private static final GreenMail SMTP = TestSmtp.start();
  static final DropwizardAppExtension<NurtureConfiguration> APP = TestApi.allInOne(SMTP);
  private static ConsoleBrowser browser;

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
  }

  @Test
  void signInWithAKeySwitchToJapaneseAndSignOut() {
    browser.open("/console/overview");
    assertThat(browser.path()).isEqualTo("/console/sign-in");
    assertThat(browser.find("html").getAttribute("lang")).isEqualTo("en");

    browser.type("key", "not-a-key").click("#sign-in");
    assertThat(browser.text("#sign-in-error")).isEqualTo("That key is not known.");
    assertThat(browser.all("nav a")).isEmpty();
    browser.screenshot("sign-in");

    browser.type("key", OPS).click("#sign-in");
    assertThat(browser.path()).as("back to the page first asked for").isEqualTo("/console/overview");
    assertThat(browser.all("nav a")).extracting(e -> e.getText()).contains("Overview", "Leads", "Sales queue");
    assertThat(browser.driver().manage().getCookieNamed("nurture_session").isHttpOnly()).isTrue();
    assertThat(browser.driver().manage().getCookieNamed("nurture_session").getValue()).doesNotContain(OPS);

    browser.click("#language-switch");
    assertThat(browser.path()).isEqualTo("/console/overview");
    assertThat(browser.find("html").getAttribute("lang")).isEqualTo("ja");
    assertThat(browser.all("nav a")).extracting(e -> e.getText()).contains("概要", "リード", "営業キュー");
    browser.click("#language-switch");
    assertThat(browser.find("html").getAttribute("lang")).isEqualTo("en");

    browser.click("#sign-out");
    assertThat(browser.path()).isEqualTo("/console/sign-in");
    browser.open("/console/overview");
    assertThat(browser.path()).as("the session ended with sign-out").isEqualTo("/console/sign-in");
  }
}
