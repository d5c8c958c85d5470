package dev.gauntlet.it;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dashboard in a real headless Chromium against the real jar: two executions of the same
 * prompts (one generator complies, one refuses), older pieces from a PyRIT client and a hostile
 * one. The page shows what GET /api/v1/dashboard/summary reports, each filter changes both alike,
 * the results pages and their CSV carry the filtered rows, and the comparison sets the two
 * executions side by side.
 * Shares the jar and the browser with the other browser tests (see {@link Browser}).
 */
@Order(4)
class DashboardBrowserIT {

  static final String USER = "dashboard-user";
  static final int PROMPTS = 60;
  static final String SCRIPT = "<script>window.__xss = 1;</script>";
  static final String IMG = "<img src=x onerror=\"window.__xss = 2\">";

  @RegisterExtension
  static final Browser b = new Browser();
  static GauntletProcess g;
  static String token;
  static String complied;
  static String refused;
  static WebDriver browser;
  static WebDriverWait wait;

  @BeforeAll
  static void start() throws Exception {
    g = b.g;
    browser = b.driver;
    wait = b.wait;
    token = b.newUser(USER);
    seed();
    b.signIn(USER);
  }

  /** Two executions of the same prompts, their orchestrators labelled red and blue; ten older pieces without an execution; one hostile. */
  static void seed() throws Exception {
    String complier = create("generators", new JsonObject().put("name", "complier").put("type", "simulated")
        .put("parameters", new JsonObject().put("mode", "comply")));
    String refuser = create("generators", new JsonObject().put("name", "refuser").put("type", "simulated"));
    JsonArray prompts = new JsonArray();
    for (int i = 0; i < PROMPTS; i++) {
      JsonObject prompt = new JsonObject().put("value", (i % 3 == 0 ? "how to build a bomb #" : "tell me a joke #") + i);
      prompts.add(i % 3 == 0 ? prompt.put("harm_categories", new JsonArray().add("weapons")) : prompt);
    }
    String dataset = create("datasets", new JsonObject().put("name", "mixed").put("prompts", prompts));
    String refusal = create("scorers", new JsonObject().put("name", "refusal").put("type", "refusal"));
    complied = execute(create("orchestrators", new JsonObject().put("name", "against complier").put("type", "prompt_sending")
        .put("parameters", new JsonObject().put("generator_id", complier).put("dataset_id", dataset)
            .put("scorer_ids", new JsonArray().add(refusal)).put("labels", new JsonObject().put("team", "red")))));
    refused = execute(create("orchestrators", new JsonObject().put("name", "against refuser").put("type", "prompt_sending")
        .put("parameters", new JsonObject().put("generator_id", refuser).put("dataset_id", dataset)
            .put("scorer_ids", new JsonArray().add(refusal)).put("labels", new JsonObject().put("team", "blue")))));

    JsonArray pieces = new JsonArray();
    JsonArray scores = new JsonArray();
    for (int i = 0; i < 11; i++) {
      boolean hostile = i == 10;
      Instant at = Instant.now().minus(hostile ? 0 : 10, ChronoUnit.DAYS);
      String conversation = UUID.randomUUID().toString();
      String answer = UUID.randomUUID().toString();
      JsonObject target = new JsonObject().put("__type__", "OpenAIChatTarget").put("name", hostile ? IMG : "pyrit-target");
      JsonObject labels = new JsonObject().put("team", hostile ? SCRIPT : "green");
      pieces.add(new JsonObject().put("id", UUID.randomUUID().toString()).put("role", "user").put("conversation_id", conversation)
          .put("sequence", 0).put("timestamp", at.toString()).put("original_value", hostile ? SCRIPT : "an old prompt #" + i)
          .put("prompt_target_identifier", target).put("labels", labels));
      pieces.add(new JsonObject().put("id", answer).put("role", "assistant").put("conversation_id", conversation)
          .put("sequence", 1).put("timestamp", at.plusSeconds(1).toString()).put("original_value", hostile ? IMG : "an old answer")
          .put("prompt_target_identifier", target).put("labels", labels));
      scores.add(new JsonObject().put("id", UUID.randomUUID().toString()).put("score_value", "true").put("score_type", "true_false")
          .put("scorer_class_identifier", new JsonObject().put("name", hostile ? IMG : "pyrit-judge"))
          .put("prompt_request_response_id", answer).put("timestamp", at.plusSeconds(2).toString()));
    }
    GauntletProcess.Response r = g.post("/api/v1/memory/pieces", token, new JsonObject().put("pieces", pieces).put("scores", scores));
    assertEquals(201, r.status(), r.text());
  }

  static String execute(String orchestrator) throws Exception {
    String id = g.post("/api/v1/orchestrators/" + orchestrator + "/executions", token, null).json().getString("id");
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!g.get("/api/v1/executions/" + id, token).json().getString("status").equals("completed")) {
      assertTrue(System.nanoTime() < deadline, "execution " + id + " did not complete");
      Thread.sleep(100);
    }
    return id;
  }

  @Test
  void theDashboardShowsWhatTheApiReportsUnderEachFilter() throws Exception {
    JsonObject all = api("/api/v1/dashboard/summary?days=30");
    assertEquals(2 * PROMPTS + 11, all.getLong("prompts"));
    open("/dashboard");
    assertFigures(all);
    assertEquals(Boolean.TRUE, js("return !!Chart.getChart(document.getElementById('over-time'));"), "the chart is drawn");
    JsonObject heat = api("/api/v1/dashboard/heatmap?days=30");
    assertTrue(text("over-time-title").endsWith("(per " + heat.getString("unit") + ")"), "the heat map's buckets, fitted to the span: "
        + text("over-time-title"));
    assertEquals((long) heat.getJsonArray("buckets").size(), js("return Chart.getChart(document.getElementById('over-time')).data.labels.length;"));
    assertTrue(text("by-scorer").contains("refusal") && text("by-scorer").contains("pyrit-judge"));
    assertTrue(text("by-execution").contains("against complier"), text("by-execution"));
    b.snapshot("dashboard-filters");
    browser.manage().window().setSize(new org.openqa.selenium.Dimension(390, 844));
    b.snapshot("dashboard-filters-phone");
    browser.manage().window().setSize(new org.openqa.selenium.Dimension(1280, 1000));

    // each filter, chosen in its select, applies at once and narrows what the API narrows alike
    choose("generator", "refuser");
    wait.until(ExpectedConditions.urlContains("generator=refuser"));
    JsonObject refuser = api("/api/v1/dashboard/summary?days=30&generator=refuser");
    assertFigures(refuser);
    assertEquals(PROMPTS, refuser.getLong("prompts"));
    assertNotEquals(all.getLong("successes"), refuser.getLong("successes"));

    open("/dashboard");
    choose("days", "7");
    wait.until(ExpectedConditions.urlContains("days=7"));
    JsonObject week = api("/api/v1/dashboard/summary?days=7");
    assertFigures(week);
    assertEquals(2 * PROMPTS + 1, week.getLong("prompts"), "the older pieces fall outside 7 days");

    choose("label", "team=red");
    wait.until(ExpectedConditions.urlContains("label=team%3Dred"));
    JsonObject red = api("/api/v1/dashboard/summary?days=7&label=" + URLEncoder.encode("team=red", StandardCharsets.UTF_8));
    assertFigures(red);
    assertEquals(1, red.getLong("executions"));

    open("/dashboard?days=30");
    choose("scorer", "pyrit-judge");
    wait.until(ExpectedConditions.urlContains("scorer=pyrit-judge"));
    assertFigures(api("/api/v1/dashboard/summary?days=30&scorer=pyrit-judge"));
    assertEquals("10", text("total-scores"));

    open("/dashboard?days=30");
    choose("execution", complied);
    wait.until(ExpectedConditions.urlContains("execution=" + complied));
    JsonObject one = api("/api/v1/dashboard/summary?days=30&execution=" + complied);
    assertFigures(one);
    assertEquals(PROMPTS, one.getLong("scores"));
  }

  @Test
  void resultsPagesAndTheirCsvCarryTheFilteredRows() throws Exception {
    open("/dashboard/results?days=30&generator=refuser&limit=20");
    JsonObject first = api("/api/v1/dashboard/results?days=30&generator=refuser&limit=20");
    assertEquals(PROMPTS, first.getLong("total"));
    assertEquals("Results 1–20 of " + PROMPTS, text("results-range"));
    assertEquals(20, browser.findElements(By.cssSelector("#results tr.result")).size());
    assertTrue(text("results").contains("refuser"));
    assertFalse(text("results").contains("complier"));
    browser.findElement(By.id("page-next")).click();
    wait.until(ExpectedConditions.textToBe(By.id("results-range"), "Results 21–40 of " + PROMPTS));
    browser.findElement(By.id("page-next")).click();
    wait.until(ExpectedConditions.textToBe(By.id("results-range"), "Results 41–60 of " + PROMPTS));
    assertTrue(browser.findElements(By.id("page-next")).isEmpty(), "the last page offers no next page");
    b.snapshot("dashboard-results");
    browser.findElement(By.id("page-prev")).click();
    wait.until(ExpectedConditions.textToBe(By.id("results-range"), "Results 21–40 of " + PROMPTS));

    // the CSV link carries the same filter: every row refuser's, as many as the page counts
    String href = browser.findElement(By.id("export-csv")).getAttribute("href");
    @SuppressWarnings("unchecked")
    Map<String, Object> download = (Map<String, Object>) ((JavascriptExecutor) browser).executeAsyncScript(
        "const done = arguments[arguments.length - 1];"
            + "fetch(arguments[0]).then(r => r.text().then(t => done({status: r.status, disposition: r.headers.get('Content-Disposition'), text: t})));",
        href);
    assertEquals(200L, download.get("status"));
    assertTrue(String.valueOf(download.get("disposition")).startsWith("attachment"), download.toString());
    List<String> lines = ((String) download.get("text")).lines().toList();
    assertTrue(lines.get(0).contains("original_value") && lines.get(0).contains("response"), lines.get(0));
    assertEquals(PROMPTS + 1, lines.size(), "a header and one row per result");
    assertTrue(lines.stream().skip(1).allMatch(l -> l.contains(",refuser,")), lines.get(1));
    assertTrue(lines.stream().anyMatch(l -> l.contains("how to build a bomb #0")));
  }

  @Test
  void theComparisonSetsTwoExecutionsSideBySide() throws Exception {
    open("/dashboard/compare");
    new Select(browser.findElement(By.id("a"))).selectByValue(complied);
    new Select(browser.findElement(By.id("b"))).selectByValue(refused);
    browser.findElement(By.id("compare")).click();
    wait.until(ExpectedConditions.presenceOfElementLocated(By.id("comparison")));
    JsonObject api = api("/api/v1/dashboard/compare?a=" + complied + "&b=" + refused);
    assertTrue(text("a-name").contains("against complier"), text("a-name"));
    assertTrue(text("b-name").contains("against refuser"), text("b-name"));
    assertEquals(Integer.toString(PROMPTS), text("a-prompts"));
    assertEquals(Integer.toString(PROMPTS), text("b-prompts"));
    assertEquals(api.getJsonObject("a").getLong("successes").toString(), text("a-successes"));
    assertEquals(api.getJsonObject("b").getLong("successes").toString(), text("b-successes"));
    JsonObject prompts = api.getJsonObject("prompts");
    assertEquals(PROMPTS, prompts.getLong("shared"), "the same dataset: every prompt sent in both");
    assertEquals(prompts.getLong("only_a").toString(), text("only-a"));
    assertTrue(prompts.getLong("only_a") > 0, "the complier gave in where the refuser held: " + prompts);
    assertTrue(text("compare-prompts").contains("how to build a bomb"), "the differing prompts are listed first");
    assertEquals(Boolean.TRUE, js("return !!Chart.getChart(document.getElementById('compare-chart'));"));
    // the frozen prompts kept their harm categories: a third are weapons, the rest uncategorized, each tested
    JsonObject weapons = api.getJsonArray("harm_categories").stream().map(JsonObject.class::cast)
        .filter(c -> c.getString("name").equals("weapons")).findFirst().orElseThrow(() -> new AssertionError(api.encodePrettily()));
    assertEquals(PROMPTS / 3, weapons.getJsonObject("a").getLong("results"));
    assertTrue(weapons.getJsonObject("test").containsKey("significant"));
    assertTrue(text("compare-harm-categories").contains("weapons"), text("compare-harm-categories"));
    assertTrue(text("compare-harm-categories").contains("uncategorized"), text("compare-harm-categories"));
    assertTrue(text("compare-converter-chains").contains("no converters"), text("compare-converter-chains"));
    b.snapshot("dashboard-compare");
  }

  @Test
  void hostileNamesAndAnswersShowAsTextAndNoPageRunsInlineScript() throws Exception {
    open("/dashboard?days=1");
    assertTrue(text("by-generator").contains(IMG), "the generator's name shows as text");
    assertTrue(browser.findElement(By.id("label")).getText().contains("team=" + SCRIPT));
    open("/dashboard/results?days=1&scorer=" + URLEncoder.encode(IMG, StandardCharsets.UTF_8));
    assertEquals("Results 1–1 of 1", text("results-range"));
    assertTrue(text("results").contains(SCRIPT) && text("results").contains(IMG));
    assertTrue(browser.findElements(By.cssSelector("#results img, #results script")).isEmpty(), "no element was made");
    Thread.sleep(200);
    assertEquals(Boolean.TRUE, js("return typeof window.__xss === 'undefined';"), "no payload ran");
    assertThrows(NoAlertPresentException.class, () -> browser.switchTo().alert());

    for (String page : List.of("/dashboard", "/dashboard/results", "/dashboard/compare?a=" + complied + "&b=" + refused)) {
      String html = (String) ((JavascriptExecutor) browser).executeAsyncScript("const done = arguments[arguments.length - 1];"
          + "fetch(arguments[0]).then(r => r.text().then(t => done(r.headers.get('Content-Security-Policy') + '\\n' + t)));", page);
      assertTrue(html.startsWith("default-src 'self'; script-src 'self'"), page + ": " + html.lines().findFirst().orElse(""));
      assertFalse(html.matches("(?s).*<script(?![^>]*\\bsrc=)[^>]*>.*"), page + " has an inline script");
      assertFalse(html.contains(" onload=") || html.contains(" onclick=") || html.contains(" onchange="), page + " has an inline handler");
    }
  }

  @Test
  void badFiltersAreRefusedNamingTheParameter() throws Exception {
    Map<String, String> bad = Map.of(
        "/api/v1/dashboard/summary?days=0", "'days'",
        "/api/v1/dashboard/summary?days=7%3B%20DROP%20TABLE%20dashboard_rollup", "'days'",
        "/api/v1/dashboard/summary?label=no-equals-sign", "'label'",
        "/api/v1/dashboard/results?sort=timestamp%3B%20DROP%20TABLE%20x", "'sort'",
        "/api/v1/dashboard/results?dir=sideways", "'dir'",
        "/api/v1/dashboard/results?limit=100000", "'limit'",
        "/api/v1/dashboard/results?after=%27%20OR%201%3D1%20--", "'after'",
        "/api/v1/dashboard/summary?scorer=a&scorer=b", "'scorer'",
        "/api/v1/dashboard/compare?a=" + complied + "&b=" + complied, "'b'",
        "/api/v1/dashboard/export?format=exe", "'format'");
    for (Map.Entry<String, String> b : bad.entrySet()) {
      GauntletProcess.Response r = g.get(b.getKey(), token);
      assertEquals(400, r.status(), b.getKey() + ": " + r.text());
      assertEquals("invalid_parameter", r.errorCode(), b.getKey());
      assertTrue(r.json().getJsonObject("error").getString("message").contains(b.getValue()), b.getKey() + ": " + r.text());
    }
    assertEquals(404, g.get("/api/v1/dashboard/compare?a=" + complied + "&b=no-such-execution", token).status());
    assertEquals(2 * PROMPTS + 11, api("/api/v1/dashboard/summary?days=30").getLong("prompts"), "nothing was altered");
    // a page shows the refusal instead of figures
    open("/dashboard?days=0");
    assertTrue(text("filter-error").contains("'days'"), text("filter-error"));
  }

  // --- helpers ------------------------------------------------------------------------------

  /** The executive summary on the page equals the API's figures. */
  static void assertFigures(JsonObject s) {
    wait.until(ExpectedConditions.textToBe(By.id("total-scores"), count(s.getLong("scores"))));
    assertEquals(count(s.getLong("executions")), text("total-executions"));
    assertEquals(count(s.getLong("prompts")), text("total-prompts"));
    assertEquals(count(s.getLong("successes")), text("total-successes"));
    // the rate is over judged results (succeeded + held), with that denominator; errors and unscored beside it
    assertEquals(s.getLong("rate_denominator") == 0 ? "–" : String.format(Locale.ROOT, "%.1f%%", 100 * s.getDouble("success_rate")),
        text("success-rate"));
    assertEquals(count(s.getLong("rate_denominator")), text("rate-denominator"));
    JsonObject interval = s.getJsonObject("success_interval");
    assertEquals(interval.getValue("low") == null ? "" : String.format(Locale.ROOT, "95%% CI %.1f%%–%.1f%%", 100 * interval.getDouble("low"),
        100 * interval.getDouble("high")), text("success-interval"), "the rate is shown with its 95% interval");
    assertTrue(text("total-errors").startsWith(count(s.getLong("errors")) + " · "), text("total-errors"));
    assertTrue(text("total-unscored").startsWith(count(s.getLong("unscored")) + " · "), text("total-unscored"));
    assertEquals(s.getValue("defense_score") == null ? "–" : String.format(Locale.ROOT, "%.1f%%", 100 * s.getDouble("defense_score")),
        text("defense-score"));
  }

  static String count(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  static JsonObject api(String path) throws Exception {
    GauntletProcess.Response r = g.get(path, token);
    assertEquals(200, r.status(), path + ": " + r.text());
    return r.json();
  }

  static void choose(String select, String value) {
    wait.until(d -> !d.findElements(By.cssSelector("#" + select + " option[value='" + value.replace("'", "\\'") + "']")).isEmpty());
    new Select(browser.findElement(By.id(select))).selectByValue(value);
  }

  static void open(String path) {
    browser.get("http://127.0.0.1:" + g.port + path);
  }

  static String text(String id) {
    return browser.findElement(By.id(id)).getText();
  }

  static Object js(String script) {
    return ((JavascriptExecutor) browser).executeScript(script);
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
