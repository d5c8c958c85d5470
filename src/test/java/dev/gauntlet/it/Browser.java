package dev.gauntlet.it;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real headless Chromium driving the real jar, for the browser tests. Starting both is the slow
 * part, so the browser test classes (ordered first, one after another) share one jar and one
 * browser, closed a little after the last of them ends; each class signs in as its own users. On a
 * failure the page is saved as a screenshot and its HTML under {@code target/}.
 */
final class Browser implements BeforeAllCallback, AfterAllCallback, TestExecutionExceptionHandler {

  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  /** How long the jar and the browser outlive a class, for the next browser class to pick them up. */
  private static final long LINGER_SECONDS = 20;
  private static final ScheduledExecutorService CLOSER = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "browser-closer");
    t.setDaemon(true);
    return t;
  });
  private static Shared shared;
  private static ScheduledFuture<?> closing;

  GauntletProcess g;
  Path tmp;
  WebDriver driver;
  WebDriverWait wait;
  private String adminToken;

  /** The jar and the browser. */
  private record Shared(Path tmp, GauntletProcess g, WebDriver driver) {
    void close() throws Exception {
      try {
        driver.quit();
      } finally {
        g.close();
      }
    }
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    if (!installed && System.getenv("CI") == null) {
      Assumptions.abort("browser tests skipped: install chromium and chromium-driver (" + CHROMIUM + ", " + CHROMEDRIVER
          + ") to run them; under CI they are required");
    }
    assertTrue(installed, "CI is set but " + CHROMIUM + " or " + CHROMEDRIVER + " is missing");
    Shared s = acquire();
    // whatever happens, nothing outlives the run
    context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
        .getOrComputeIfAbsent(Browser.class, k -> (ExtensionContext.Store.CloseableResource) Browser::closeNow);
    tmp = s.tmp();
    g = s.g();
    driver = s.driver();
    // pages re-render their lists after each action: a condition meeting a replaced element tries again
    wait = (WebDriverWait) new WebDriverWait(driver, Duration.ofSeconds(20)).ignoring(StaleElementReferenceException.class);
    driver.manage().window().setSize(new Dimension(1280, 1000));
  }

  @Override
  public void afterAll(ExtensionContext context) {
    release();
  }

  private static synchronized Shared acquire() {
    if (closing != null) {
      closing.cancel(false);
      closing = null;
    }
    if (shared == null) {
      shared = start();
    }
    return shared;
  }

  private static synchronized void release() {
    closing = CLOSER.schedule(() -> {
      try {
        closeNow();
      } catch (Exception e) {
        e.printStackTrace();
      }
    }, LINGER_SECONDS, TimeUnit.SECONDS);
  }

  private static synchronized void closeNow() throws Exception {
    if (shared != null) {
      Shared s = shared;
      shared = null;
      s.close();
    }
  }

  private static Shared start() {
    try {
      Path tmp = Files.createTempDirectory("gauntlet-browser");
      GauntletProcess g = new GauntletProcess(tmp.resolve("data"), Map.of()).start();
      ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile());
      options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
          "--disable-background-networking", "--disable-component-update", "--disable-sync", "--window-size=1280,1000",
          "--user-data-dir=" + Files.createDirectories(tmp.resolve("chromium-profile")));
      ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
          .usingAnyFreePort().build();
      return new Shared(tmp, g, new ChromeDriver(service, options));
    } catch (Exception e) {
      throw new IllegalStateException("could not start the jar and the browser", e);
    }
  }

  String adminToken() throws Exception {
    if (adminToken == null) {
      adminToken = g.adminToken();
    }
    return adminToken;
  }

  /** Creates a user with the role "user" (password: name + "-password") and returns a REST token for them. */
  String newUser(String name) throws Exception {
    return g.newUser(adminToken(), name);
  }

  // --- navigation ---------------------------------------------------------------------------

  /** Signs in through the login form, signing whoever is signed in out first. */
  void signIn(String login, String password) {
    open("/");
    if (!driver.getCurrentUrl().endsWith("/login")) {
      if (driver.findElement(By.id("who")).getText().equals(login)) {
        return;
      }
      driver.findElement(By.id("logout")).click();
      wait.until(ExpectedConditions.urlContains("/login"));
    }
    driver.findElement(By.id("username")).sendKeys(login);
    driver.findElement(By.id("password")).sendKeys(password);
    driver.findElement(By.id("sign-in")).click();
    wait.until(ExpectedConditions.presenceOfElementLocated(By.id("memory-file")));
  }

  void signIn(String user) {
    signIn(user, user + "-password");
  }

  void open(String path) {
    driver.get("http://127.0.0.1:" + g.port + path);
  }

  // --- forms --------------------------------------------------------------------------------

  /** Fills the add form of a configuration page and waits for the new row. */
  void add(String name, String type, Map<String, String> params) {
    select("add-type", type);
    wait.until(d -> !d.findElement(By.id("type-description")).getText().isEmpty());
    params.forEach(this::typeInto);
    driver.findElement(By.id("add-name")).sendKeys(name);
    driver.findElement(By.id("add-submit")).click();
    row(name);
  }

  WebElement row(String name) {
    return wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#items tr[data-name='" + name + "']")));
  }

  /** Chooses an option by value once the select offers it. */
  void select(String id, String value) {
    wait.until(d -> d.findElements(By.cssSelector("#" + id + " option[value='" + value + "']")).size() == 1);
    new Select(driver.findElement(By.id(id))).selectByValue(value);
  }

  /** Chooses an option by its visible text once the select offers it. */
  void selectText(String id, String text) {
    wait.until(d -> new Select(d.findElement(By.id(id))).getOptions().stream().anyMatch(o -> o.getText().equals(text)));
    new Select(driver.findElement(By.id(id))).selectByVisibleText(text);
  }

  /** Types into a parameter input ({@code param-<name>}) or any input by id, unfolding "advanced parameters" if it is there. */
  void typeInto(String id, String value) {
    WebElement input = wait.until(ExpectedConditions.presenceOfElementLocated(By.id(id.startsWith("param-") ? id : "param-" + id)));
    unfold(input);
    input.clear();
    input.sendKeys(value);
  }

  /** Opens the folded "advanced parameters" around an input, as a user would click it open. */
  void unfold(WebElement input) {
    if (!input.isDisplayed()) {
      js("const d = arguments[0].closest('details'); if (d) d.querySelector('summary').click();", input);
    }
  }

  /** Ticks a checkbox by id (a checkbox list's item is {@code <list id>-<item id>}), once it is there. */
  void check(String id) {
    WebElement box = wait.until(ExpectedConditions.presenceOfElementLocated(By.id(id)));
    unfold(box);
    if (!box.isSelected()) {
      box.click();
    }
  }

  void type(String id, String value) {
    WebElement input = wait.until(ExpectedConditions.presenceOfElementLocated(By.id(id)));
    input.clear();
    input.sendKeys(value);
  }

  void click(String id) {
    wait.until(ExpectedConditions.elementToBeClickable(By.id(id))).click();
  }

  /** Clicks what submits a form or follows a link, and waits until the next page replaced this one. */
  void clickAndLoad(String id) {
    WebElement page = driver.findElement(By.tagName("html"));
    click(id);
    wait.until(ExpectedConditions.stalenessOf(page));
  }

  void waitForText(String id, String expected) {
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id(id), expected));
  }

  /**
   * The element's text once it is there, read again when the page replaced the element while it
   * was read (a page's script rebuilds long texts after load; a form's answer replaces the page).
   */
  String text(String id) {
    return wait.until(d -> d.findElement(By.id(id)).getText());
  }

  Object js(String script, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(script, args);
  }

  /** Fetches a URL with the page's session, as a link would: status, headers asked for, and the body as text. */
  @SuppressWarnings("unchecked")
  Map<String, Object> fetch(String url) {
    return (Map<String, Object>) ((JavascriptExecutor) driver).executeAsyncScript(
        "const done = arguments[arguments.length - 1];"
            + "fetch(arguments[0]).then(r => r.arrayBuffer().then(b => done({status: r.status,"
            + " disposition: r.headers.get('Content-Disposition'), bytes: b.byteLength,"
            + " text: new TextDecoder('latin1').decode(b)})));", url);
  }

  // --- REST, for setting up and checking what the pages did -----------------------------------

  static String id(GauntletProcess g, String token, String kind, String name) throws Exception {
    for (Object o : g.get("/api/v1/" + kind + "?limit=1000", token).json().getJsonArray("items")) {
      if (((JsonObject) o).getString("name").equals(name)) {
        return ((JsonObject) o).getString("id");
      }
    }
    throw new AssertionError("no " + kind + " named " + name);
  }

  static String create(GauntletProcess g, String token, String kind, JsonObject body) throws Exception {
    GauntletProcess.Response r = g.post("/api/v1/" + kind, token, body);
    assertEquals(201, r.status(), r.text());
    return r.json().getString("id");
  }

  // --- pictures -------------------------------------------------------------------------------

  /** Keeps a picture of a page under target/browser-pages for people reviewing the UI. */
  void snapshot(String name) throws Exception {
    Path target = Path.of("target", "browser-pages", name + ".png");
    Files.createDirectories(target.getParent());
    Files.write(target, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
  }

  /** At a phone's width the page fits: nothing but a table's own scroll box is wider than the screen. */
  void assertFitsAPhone(String path, String snapshot) throws Exception {
    driver.manage().window().setSize(new Dimension(390, 844));
    try {
      open(path);
      wait.until(d -> "complete".equals(js("return document.readyState;")));
      Thread.sleep(300);
      Number overflow = (Number) js("return document.documentElement.scrollWidth - document.documentElement.clientWidth;");
      snapshot(snapshot);
      assertTrue(overflow.intValue() <= 0, path + " is " + overflow + " px wider than a phone's screen");
    } finally {
      driver.manage().window().setSize(new Dimension(1280, 1000));
    }
  }

  @Override
  public void handleTestExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
    if (driver instanceof TakesScreenshot shot) {
      try {
        String name = "browser-" + context.getRequiredTestClass().getSimpleName() + "-" + context.getRequiredTestMethod().getName();
        Path target = Path.of("target", name + ".png");
        Files.createDirectories(target.getParent());
        Files.copy(shot.getScreenshotAs(OutputType.FILE).toPath(), target, StandardCopyOption.REPLACE_EXISTING);
        Files.writeString(Path.of("target", name + ".html"), driver.getPageSource() + "\n<!-- " + driver.getCurrentUrl() + " -->");
      } catch (RuntimeException e) {
        failure.addSuppressed(e);
      }
    }
    throw failure;
  }
}
