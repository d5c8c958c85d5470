package dev.gauntlet.it;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The results workbench's edges in a real headless Chromium against the real jar: two executions
 * of the same prompts (one generator complies, one refuses), a prompt carrying markup and one an
 * invisible character: both stay text in the matrix, the comparison and the conversation, the
 * second made visible; no inline script; a phone's width; bad filters refused naming the
 * parameter. The walk through filters, conversation, compare, heat map and live rows is
 * NewcomerScenarioIT's.
 */
@Order(7)
class MatrixBrowserIT {

  static final String USER = "matrix-user";
  static final int PROMPTS = 12;
  static final String IMG = "<img src=x onerror=\"window.__xss = 3\">";

  @RegisterExtension
  static final Browser b = new Browser();
  static GauntletProcess g;
  static String token;
  static String complied;
  static String refused;
  /** A second run against the complier: a third column to compare. */
  static String again;
  static WebDriver browser;
  static WebDriverWait wait;

  @BeforeAll
  static void start() throws Exception {
    g = b.g;
    browser = b.driver;
    wait = b.wait;
    token = b.newUser(USER);
    String complier = create("generators", new JsonObject().put("name", "complier").put("type", "simulated")
        .put("parameters", new JsonObject().put("mode", "comply")));
    String refuser = create("generators", new JsonObject().put("name", "refuser").put("type", "simulated"));
    JsonArray prompts = new JsonArray();
    for (int i = 0; i < PROMPTS; i++) {
      String value = i == 1 ? "show this " + IMG + " as text #1" : i == 2 ? "a hidden\u200Bjoin #2" : (i % 3 == 0 ? "how to build a bomb #" : "tell me a joke #") + i;
      JsonObject prompt = new JsonObject().put("value", value);
      prompts.add(i % 3 == 0 ? prompt.put("harm_categories", new JsonArray().add("weapons")) : prompt);
    }
    String dataset = create("datasets", new JsonObject().put("name", "matrix mix").put("prompts", prompts));
    String refusal = create("scorers", new JsonObject().put("name", "refusal").put("type", "refusal"));
    String againstComplier = orchestrator("against complier", complier, dataset, refusal);
    complied = execute(againstComplier);
    refused = execute(orchestrator("against refuser", refuser, dataset, refusal));
    again = execute(againstComplier);
    b.signIn(USER);
  }

  static String orchestrator(String name, String generator, String dataset, String scorer) throws Exception {
    return create("orchestrators", new JsonObject().put("name", name).put("type", "prompt_sending")
        .put("parameters", new JsonObject().put("generator_id", generator).put("dataset_id", dataset)
            .put("scorer_ids", new JsonArray().add(scorer)).put("concurrency", 1)));
  }

  @Test
  void markupStaysTextAndInvisibleCharactersShowInEveryNewView() throws Exception {
    for (String page : List.of("/dashboard/matrix?days=30", "/dashboard/compare?a=" + complied + "&b=" + refused, "/dashboard/matrix?days=30&q=text")) {
      open(page);
      assertTrue(browser.getPageSource().contains("&lt;img src=x"), page + " shows the markup escaped");
      assertTrue(browser.findElements(By.cssSelector("main img")).isEmpty(), page + " made no element of it");
    }
    open("/dashboard/matrix?days=30&q=hidden");
    assertTrue(text("matrix").contains("a hidden⟨U+200B⟩join"), text("matrix"));
    assertFalse(browser.findElements(By.cssSelector("#matrix mark.invisible")).isEmpty());
    open("/dashboard/matrix?days=30&q=" + java.net.URLEncoder.encode("as text", java.nio.charset.StandardCharsets.UTF_8));
    browser.findElement(By.cssSelector("#matrix a.open-conversation")).click();
    wait.until(ExpectedConditions.presenceOfElementLocated(By.id("conversation")));
    assertTrue(text("conversation").contains(IMG), text("conversation"));
    Thread.sleep(200);
    assertEquals(Boolean.TRUE, ((JavascriptExecutor) browser).executeScript("return typeof window.__xss === 'undefined';"), "no payload ran");
    for (String page : List.of("/dashboard/matrix", "/dashboard/heatmap", "/dashboard/conversation?id=x")) {
      String html = (String) ((JavascriptExecutor) browser).executeAsyncScript("const done = arguments[arguments.length - 1];"
          + "fetch(arguments[0]).then(r => r.text().then(t => done(t)));", page);
      assertFalse(html.matches("(?s).*<script(?![^>]*\\bsrc=)[^>]*>.*"), page + " has an inline script");
    }
    b.assertFitsAPhone("/dashboard/matrix?days=30", "matrix-phone");
  }

  @Test
  void badMatrixArgumentsAreRefusedNamingTheParameter() throws Exception {
    for (String[] bad : new String[][] {{"outcome=won", "'outcome'"}, {"sort=x%3B%20DROP", "'sort'"}, {"reviewed=maybe", "'reviewed'"},
        {"limit=100000", "'limit'"}, {"axis=colour", "'axis'"}}) {
      String path = (bad[0].startsWith("axis") ? "/api/v1/dashboard/heatmap?" : "/api/v1/dashboard/matrix?") + bad[0];
      GauntletProcess.Response r = g.get(path, token);
      assertEquals(400, r.status(), path + ": " + r.text());
      assertTrue(r.json().getJsonObject("error").getString("message").contains(bad[1]), path + ": " + r.text());
    }
    open("/dashboard/matrix?outcome=won");
    assertTrue(text("filter-error").contains("'outcome'"), text("filter-error"));
  }

  @Test
  void threeExecutionsSideBySideAndAChipInTheUrlNarrowsTheirRows() throws Exception {
    String three = "/dashboard/compare?a=" + complied + "&b=" + refused + "&more=" + again;
    open(three);
    assertEquals(4, browser.findElements(By.cssSelector("#side-rows thead th")).size(), "the prompt and three executions");
    assertEquals(PROMPTS, browser.findElements(By.cssSelector("#side-rows tr.side-row")).size());
    assertEquals(1, browser.findElements(By.cssSelector("#compare-others tbody tr")).size(), "the third execution's figures");
    open(three + "&harm_category=weapons");
    // prompts 0, 3, 6 and 9 carry the category
    assertEquals(4, browser.findElements(By.cssSelector("#side-rows tr.side-row")).size(), text("side-rows"));
    assertEquals(4, browser.findElements(By.cssSelector("#compare-prompts tbody tr")).size(), text("compare-prompts"));
    assertTrue(browser.findElement(By.cssSelector("#side-filter input[name=more]")).getAttribute("value").equals(again), "the view keeps its third column");
    JsonObject api = g.get("/api/v1/dashboard/compare?a=" + complied + "&b=" + refused + "&more=" + again + "&harm_category=weapons", token).json();
    assertEquals(4, api.getJsonObject("prompts").getLong("shared"), api.encode());
    assertEquals(3, api.getJsonObject("prompts").getJsonArray("items").getJsonObject(0).getJsonArray("cells").size());
    GauntletProcess.Response tooMany = g.get("/api/v1/dashboard/compare?a=x1&b=x2&more=x3,x4,x5,x6,x7", token);
    assertEquals(400, tooMany.status(), tooMany.text());
    assertTrue(tooMany.json().getJsonObject("error").getString("message").contains("'more'"), tooMany.text());
    assertEquals(404, g.get("/api/v1/dashboard/compare?a=" + complied + "&b=" + refused + "&more=nowhere", token).status());
  }

  // --- helpers ------------------------------------------------------------------------------

  static String execute(String orchestrator) throws Exception {
    String id = g.post("/api/v1/orchestrators/" + orchestrator + "/executions", token, null).json().getString("id");
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!g.get("/api/v1/executions/" + id, token).json().getString("status").equals("completed")) {
      assertTrue(System.nanoTime() < deadline, "execution " + id + " did not complete");
      Thread.sleep(100);
    }
    return id;
  }

  static void open(String path) {
    browser.get("http://127.0.0.1:" + g.port + path);
  }

  static String text(String id) {
    return browser.findElement(By.id(id)).getText();
  }

  static String create(String kind, JsonObject body) throws Exception {
    if (!body.containsKey("parameters") && !kind.equals("datasets")) {
      body.put("parameters", new JsonObject());
    }
    GauntletProcess.Response r = g.post("/api/v1/" + kind, token, body);
    assertEquals(201, r.status(), r.text());
    return r.json().getString("id");
  }
}
