package dev.gauntlet.it;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The web UI in a real headless Chromium against the real jar: a new user signs in, configures
 * an attack through the forms, runs it watching live progress, and reads the same totals on the
 * dashboard that the REST API reports; model answers full of markup stay text.
 */
class BrowserIT {

  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  static final String USER = "browser-user";
  static final int PROMPTS = 240;

  static GauntletProcess g;
  static Path tmp;
  static String token;
  static WebDriver browser;
  static WebDriverWait wait;

  @RegisterExtension
  static final TestExecutionExceptionHandler SCREENSHOT_ON_FAILURE = BrowserIT::screenshot;

  @BeforeAll
  static void start() throws Exception {
    boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    if (!installed && System.getenv("CI") == null) {
      Assumptions.abort("BrowserIT skipped: install chromium and chromium-driver (" + CHROMIUM + ", " + CHROMEDRIVER
          + ") to run the browser test; under CI it is required");
    }
    assertTrue(installed, "CI is set but " + CHROMIUM + " or " + CHROMEDRIVER + " is missing");
    tmp = Files.createTempDirectory("gauntlet-browser");
    g = new GauntletProcess(tmp.resolve("data"), Map.of()).start();
    token = g.newUser(g.adminToken(), USER);
    ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--window-size=1280,1000",
        "--user-data-dir=" + Files.createDirectories(tmp.resolve("chromium-profile")));
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
        .usingAnyFreePort().build();
    browser = new ChromeDriver(service, options);
    wait = new WebDriverWait(browser, Duration.ofSeconds(20));
  }

  @AfterAll
  static void stop() throws Exception {
    if (browser != null) {
      browser.quit();
    }
    if (g != null) {
      g.close();
    }
  }

  @Test
  void newUserConfiguresRunsAndReadsTheDashboardInTheBrowser() throws Exception {
    signIn();
    assertNotNull(browser.findElement(By.id("memory-file")).getText());

    // a simulated generator through its schema-generated form, slow enough to watch progress
    open("/generators");
    add("sim", "simulated", Map.of("latency_ms", "25"));
    tryIt("sim", "tell me a joke", "ms");

    // a CSV upload: preview first, then store
    open("/datasets");
    StringBuilder csv = new StringBuilder("prompt,category\n");
    for (int i = 0; i < PROMPTS; i++) {
      csv.append(i % 4 == 0 ? "how to build a bomb #" : "tell me a joke #").append(i).append(",test\n");
    }
    Path file = Files.writeString(tmp.resolve("prompts.csv"), csv, StandardCharsets.UTF_8);
    browser.findElement(By.id("upload-file")).sendKeys(file.toAbsolutePath().toString());
    browser.findElement(By.id("upload-name")).sendKeys("browser csv");
    browser.findElement(By.id("upload-preview")).click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("preview-count"), PROMPTS + " prompts found"));
    browser.findElement(By.id("upload-store")).click();
    row("browser csv");

    open("/converters");
    add("rot", "rot13", Map.of());
    tryIt("rot", "attack at dawn", "nggnpx ng qnja");

    open("/scorers");
    add("refusal", "refusal", Map.of());
    tryIt("refusal", "I'm sorry, but I can't help with that.", "refusal: true");

    // the orchestrator's form offers the user's own generators, datasets and scorers
    open("/orchestrators");
    select("add-type", "prompt_sending");
    wait.until(d -> new Select(d.findElement(By.id("param-generator_id"))).getOptions().size() > 1);
    select("param-generator_id", id("generators", "sim"));
    select("param-dataset_id", id("datasets", "browser csv"));
    select("param-scorer_ids", id("scorers", "refusal"));
    typeInto("param-concurrency", "4");
    browser.findElement(By.id("add-name")).sendKeys("browser attack");
    browser.findElement(By.id("add-submit")).click();
    row("browser attack").findElement(By.cssSelector("button.launch")).click();

    // live progress without a reload: a marker set on this page survives until 100 %
    wait.until(ExpectedConditions.urlContains("/executions/"));
    String executionId = browser.getCurrentUrl().substring(browser.getCurrentUrl().lastIndexOf('/') + 1);
    js("window.__samePage = 'yes';");
    List<String> seen = new ArrayList<>();
    new WebDriverWait(browser, Duration.ofSeconds(60)).pollingEvery(Duration.ofMillis(100)).until(d -> {
      String pct = d.findElement(By.id("progress-percent")).getText();
      if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(pct)) {
        seen.add(pct);
      }
      return pct.equals("100%") && d.findElement(By.id("status")).getText().equals("completed");
    });
    assertEquals("yes", js("return window.__samePage;"), "the page was not reloaded");
    assertTrue(seen.size() >= 2, "the bar moved while we watched: " + seen);
    assertEquals(PROMPTS + " / " + PROMPTS, text("progress-text"));
    assertEquals("done", text("eta"));
    wait.until(d -> d.findElements(By.cssSelector("#results tr.result")).size() == 50);
    WebElement first = browser.findElement(By.cssSelector("#results tr.result details"));
    first.findElement(By.tagName("summary")).click();
    assertTrue(first.findElement(By.cssSelector(".score")).isDisplayed());
    snapshot("execution");

    JsonObject rest = g.get("/api/v1/executions/" + executionId, token).json().getJsonObject("progress");
    assertEquals(PROMPTS, rest.getInteger("done"));
    assertEquals(rest.getInteger("attack_successes").toString(), text("attack-successes"));

    // the dashboard shows what the REST API reports
    open("/dashboard");
    JsonObject summary = g.get("/api/v1/dashboard/summary?days=30", token).json();
    assertEquals(PROMPTS, summary.getInteger("scores"));
    wait.until(ExpectedConditions.textToBe(By.id("total-scores"), summary.getInteger("scores").toString()));
    assertEquals(summary.getInteger("successes").toString(), text("total-successes"));
    assertEquals(String.format(java.util.Locale.ROOT, "%.1f%%", 100 * summary.getDouble("success_rate")), text("success-rate"));
    assertTrue(browser.findElement(By.id("by-scorer")).getText().contains("refusal"));
    assertTrue(browser.findElement(By.id("by-generator")).getText().contains("sim"));
    assertEquals(Boolean.TRUE, js("return !!Chart.getChart(document.getElementById('over-time'));"), "the chart is drawn");
    snapshot("dashboard");
    browser.manage().window().setSize(new org.openqa.selenium.Dimension(390, 844));
    snapshot("dashboard-phone");
    browser.manage().window().setSize(new org.openqa.selenium.Dimension(1280, 1000));

    // the CSV export link downloads with the session
    String href = browser.findElement(By.id("export-csv")).getAttribute("href");
    @SuppressWarnings("unchecked")
    Map<String, Object> download = (Map<String, Object>) ((JavascriptExecutor) browser).executeAsyncScript(
        "const done = arguments[arguments.length - 1];"
            + "fetch(arguments[0]).then(r => r.text().then(t => done({status: r.status, disposition: r.headers.get('Content-Disposition'), text: t})));",
        href);
    assertEquals(200L, download.get("status"));
    assertTrue(String.valueOf(download.get("disposition")).startsWith("attachment"), download.toString());
    String body = (String) download.get("text");
    assertTrue(body.lines().findFirst().orElse("").contains("original_value"), body.lines().findFirst().orElse(""));
    assertTrue(body.contains("how to build a bomb #0"));

    // a cookie-authenticated change without the CSRF header is refused
    Object status = ((JavascriptExecutor) browser).executeAsyncScript("const done = arguments[arguments.length - 1];"
        + "fetch('/api/v1/generators', {method: 'POST', headers: {'Content-Type': 'application/json'},"
        + " body: JSON.stringify({name: 'forged', type: 'simulated', parameters: {}})}).then(r => done(r.status));");
    assertEquals(403L, status);
  }

  @Test
  void markupInPromptsAndAnswersShowsAsTextAndRunsNothing() throws Exception {
    String script = "<script>window.__xss = 1; alert('script');</script>";
    String img = "<img src=x onerror=\"window.__xss = 2; alert('img')\">";
    String echo = create("generators", new JsonObject().put("name", "echo").put("type", "simulated")
        .put("parameters", new JsonObject().put("mode", "echo")));
    String dataset = create("datasets", new JsonObject().put("name", "payloads").put("prompts", new JsonArray()
        .add(new JsonObject().put("value", script)).add(new JsonObject().put("value", img))));
    String orchestrator = create("orchestrators", new JsonObject().put("name", "xss").put("type", "prompt_sending")
        .put("parameters", new JsonObject().put("generator_id", echo).put("dataset_id", dataset)));
    String execution = g.post("/api/v1/orchestrators/" + orchestrator + "/executions", token, null).json().getString("id");

    signIn();
    open("/executions/" + execution);
    // the page re-renders its results while it polls a running execution: wait for the end, and
    // find elements afresh whenever a re-render replaced them
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("body"), "completed"));
    String page = wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class).until(d -> {
      List<WebElement> rows = d.findElements(By.cssSelector("#results tr.result details"));
      if (rows.size() != 2) {
        return null;
      }
      for (WebElement details : rows) {
        if (details.getAttribute("open") == null) {
          details.findElement(By.tagName("summary")).click();
        }
      }
      if (d.findElements(By.cssSelector("#results tr.result details[open]")).size() != 2) {
        return null;
      }
      return d.findElement(By.id("results")).getText();
    });
    assertTrue(page.contains(script), "the script payload is visible as text");
    assertTrue(page.contains(img), "the img payload is visible as text");
    assertEquals(4, browser.findElements(By.xpath("//pre[@class='text'][contains(., 'window.__xss')]")).size(),
        "each prompt and its echoed answer are text");
    assertTrue(browser.findElements(By.cssSelector("#results img, #results script")).isEmpty(), "no element was created");
    open("/datasets/" + dataset);
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("prompts"), script));
    Thread.sleep(300);
    assertEquals(Boolean.TRUE, js("return typeof window.__xss === 'undefined';"), "no payload ran");
    assertThrows(NoAlertPresentException.class, () -> browser.switchTo().alert());

    GauntletProcess.Response home = g.get("/login", null);
    assertEquals(200, home.status());
    assertFalse(home.text().contains("<script>"), "no inline script on pages");
  }

  // --- helpers ------------------------------------------------------------------------------

  static void signIn() {
    open("/");
    if (!browser.getCurrentUrl().endsWith("/login")) {
      return;
    }
    browser.findElement(By.id("username")).sendKeys(USER);
    browser.findElement(By.id("password")).sendKeys(USER + "-password");
    browser.findElement(By.id("sign-in")).click();
    wait.until(ExpectedConditions.presenceOfElementLocated(By.id("memory-file")));
  }

  static void open(String path) {
    browser.get("http://127.0.0.1:" + g.port + path);
  }

  /** Fills the add form of a configuration page and waits for the new row. */
  static void add(String name, String type, Map<String, String> params) {
    select("add-type", type);
    wait.until(d -> !d.findElement(By.id("type-description")).getText().isEmpty());
    params.forEach(BrowserIT::typeInto);
    browser.findElement(By.id("add-name")).sendKeys(name);
    browser.findElement(By.id("add-submit")).click();
    row(name);
  }

  static void tryIt(String name, String input, String expected) {
    wait.until(d -> new Select(d.findElement(By.id("try-item"))).getOptions().stream().anyMatch(o -> o.getText().equals(name)));
    new Select(browser.findElement(By.id("try-item"))).selectByVisibleText(name);
    WebElement text = browser.findElement(By.id("try-text"));
    text.clear();
    text.sendKeys(input);
    browser.findElement(By.id("try-submit")).click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("try-output"), expected));
  }

  static WebElement row(String name) {
    return wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#items tr[data-name='" + name + "']")));
  }

  static void select(String id, String value) {
    wait.until(d -> d.findElements(By.cssSelector("#" + id + " option[value='" + value + "']")).size() == 1);
    new Select(browser.findElement(By.id(id))).selectByValue(value);
  }

  static void typeInto(String id, String value) {
    WebElement input = wait.until(ExpectedConditions.presenceOfElementLocated(By.id(id.startsWith("param-") ? id : "param-" + id)));
    input.clear();
    input.sendKeys(value);
  }

  static String text(String id) {
    return browser.findElement(By.id(id)).getText();
  }

  static Object js(String script) {
    return ((JavascriptExecutor) browser).executeScript(script);
  }

  static String id(String kind, String name) throws Exception {
    for (Object o : g.get("/api/v1/" + kind + "?limit=1000", token).json().getJsonArray("items")) {
      if (((JsonObject) o).getString("name").equals(name)) {
        return ((JsonObject) o).getString("id");
      }
    }
    throw new AssertionError("no " + kind + " named " + name);
  }

  static String create(String kind, JsonObject body) throws Exception {
    GauntletProcess.Response r = g.post("/api/v1/" + kind, token, body);
    assertEquals(201, r.status(), r.text());
    return r.json().getString("id");
  }

  /** Keeps a picture of a page under target/browser-pages for people reviewing the UI. */
  static void snapshot(String name) throws Exception {
    Path target = Path.of("target", "browser-pages", name + ".png");
    Files.createDirectories(target.getParent());
    Files.write(target, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
  }

  private static void screenshot(ExtensionContext context, Throwable failure) throws Throwable {
    if (browser instanceof TakesScreenshot shot) {
      try {
        File png = shot.getScreenshotAs(OutputType.FILE);
        Path target = Path.of("target", "browser-" + context.getRequiredTestMethod().getName() + ".png");
        Files.createDirectories(target.getParent());
        Files.copy(png.toPath(), target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.writeString(Path.of("target", "browser-" + context.getRequiredTestMethod().getName() + ".html"),
            browser.getPageSource() + "\n<!-- " + browser.getCurrentUrl() + " -->");
      } catch (RuntimeException e) {
        failure.addSuppressed(e);
      }
    }
    throw failure;
  }
}
