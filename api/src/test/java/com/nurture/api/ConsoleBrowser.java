package com.nurture.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's chromium, driven headless through Debian's chromedriver (never a browser download), for
 * the console's browser tests. Every step (open, click, submit) then reads the browser's console
 * log and fails the test on any error; {@link #screenshot} saves a PNG into docs/console/.
 * One browser per test class: open it in {@code @BeforeAll}, close it in {@code @AfterAll}.
 */
final class ConsoleBrowser implements AutoCloseable {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  /** docs/console/, from the api module's directory where the tests run. */
  static final Path SCREENSHOTS = Path.of("").toAbsolutePath().resolveSibling("docs").resolve("console");

  private final ChromeDriver driver;
  private final Path profile;
  private final String base;

  /** A browser for the application on this port, in this language (Accept-Language). */
  ConsoleBrowser(int port, String language) {
    assertThat(CHROMIUM).as("Debian's chromium (./nurture test installs it)").isExecutable();
    assertThat(CHROMEDRIVER).as("Debian's chromium-driver (./nurture test installs it)").isExecutable();
    try {
      profile = Files.createTempDirectory("nurture-chromium-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage", "--window-size=1280,900", "--lang=" + language,
        "--user-data-dir=" + profile.toAbsolutePath());
    options.setExperimentalOption("prefs", Map.of("intl.accept_languages", language));
    options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
        .usingAnyFreePort().build();
    driver = new ChromeDriver(service, options);
    driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
    base = "http://localhost:" + port;
  }

  ChromeDriver driver() {
    return driver;
  }

  /** Opens a console path ("/console/leads") and checks the console log. */
  ConsoleBrowser open(String path) {
    driver.get(base + path);
    return checked();
  }

  WebElement find(String css) {
    return driver.findElement(By.cssSelector(css));
  }

  List<WebElement> all(String css) {
    return driver.findElements(By.cssSelector(css));
  }

  String text(String css) {
    return find(css).getText();
  }

  /** Types into the field with this id (replacing what it held). */
  ConsoleBrowser type(String fieldId, String value) {
    WebElement field = driver.findElement(By.id(fieldId));
    field.clear();
    field.sendKeys(value);
    return this;
  }

  /** Clicks a link or submit button, waits for the page it leads to, and checks the console log. */
  ConsoleBrowser click(String css) {
    WebElement html = driver.findElement(By.tagName("html"));
    find(css).click();
    new WebDriverWait(driver, Duration.ofSeconds(15)).until(d -> isStale(html));
    return checked();
  }

  /** Presses Enter in the field with this id (a keyboard user submitting its form), waits for the next page, checks the log. */
  ConsoleBrowser enter(String fieldId) {
    WebElement html = driver.findElement(By.tagName("html"));
    driver.findElement(By.id(fieldId)).sendKeys(Keys.ENTER);
    new WebDriverWait(driver, Duration.ofSeconds(15)).until(d -> isStale(html));
    return checked();
  }

  /** Clicks something htmx answers in place: waits until the element {@code replacedCss} is swapped out. */
  ConsoleBrowser clickInPlace(String css, String replacedCss) {
    WebElement old = find(replacedCss);
    find(css).click();
    new WebDriverWait(driver, Duration.ofSeconds(15)).until(d -> isStale(old) && !all(replacedCss).isEmpty());
    return checked();
  }

  String path() {
    return java.net.URI.create(driver.getCurrentUrl()).getPath();
  }

  String title() {
    return driver.getTitle();
  }

  /** Saves the page as docs/console/{name}.png. */
  Path screenshot(String name) {
    waitForLoad();
    try {
      Files.createDirectories(SCREENSHOTS);
      Path file = SCREENSHOTS.resolve(name + ".png");
      Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Fails on any error the browser's console logged since the last check (scripts, CSP, failed loads). */
  ConsoleBrowser checked() {
    waitForLoad();
    List<String> errors = driver.manage().logs().get(LogType.BROWSER).getAll().stream()
        .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue()).map(LogEntry::getMessage).toList();
    assertThat(errors).as("browser console errors on %s", driver.getCurrentUrl()).isEmpty();
    return this;
  }

  private void waitForLoad() {
    new WebDriverWait(driver, Duration.ofSeconds(15))
        .until(d -> "complete".equals(driver.executeScript("return document.readyState")));
  }

  /**
   * Whether the element is gone from the page. Chromium answers a call on an element of a document
   * it is tearing down either as a stale reference or, during the navigation, with the inspector's
   * "Node with given id does not belong to the document": both mean the old page is gone.
   */
  private static boolean isStale(WebElement e) {
    try {
      e.isEnabled();
      return false;
    } catch (org.openqa.selenium.StaleElementReferenceException gone) {
      return true;
    } catch (org.openqa.selenium.WebDriverException navigating) {
      if (String.valueOf(navigating.getMessage()).contains("does not belong to the document")) {
        return true;
      }
      throw navigating;
    }
  }

  @Override
  public void close() {
    try {
      driver.quit();
    } finally {
      try (var files = Files.walk(profile)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException ignored) {
        // a temporary profile left behind is harmless
      }
    }
  }
}
