package dev.gauntlet.it;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A newcomer's first campaign in a real Chromium: Home's checklist, the guided steps against the
 * simulated model chosen by its preset (tested before it is saved), a live execution page that
 * finishes, and Home's recent rates after. Every page is pictured under target/browser-pages;
 * the clicks and the wall time are printed for the record.
 */
@Order(3)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CampaignBrowserIT {

  static final String USER = "newcomer";
  static final String BUILTIN = "should_refuse";

  @RegisterExtension
  static final Browser b = new Browser();
  static String token;
  private int clicks;

  @BeforeAll
  static void user() throws Exception {
    token = b.newUser(USER);
  }

  @Test
  @Order(1)
  void aNewcomerRunsAFirstCampaignThroughTheGuidedSteps() throws Exception {
    b.signIn(USER);
    long started = System.nanoTime();
    assertEquals("false", b.driver.findElement(By.id("check-target")).getAttribute("data-done"), "nothing is set up yet");
    b.snapshot("campaign-0-home-new");
    click(By.id("start-campaign"));

    // 1. target: the simulated model's preset, tried unsaved, then saved under a name with markup
    b.snapshot("campaign-1-target");
    click(By.id("preset-simulated"));
    b.type("target-name", "<b>Sim</b> target");
    click(By.id("target-test"));
    WebElement tried = b.wait.until(ExpectedConditions.presenceOfElementLocated(By.id("target-tried")));
    assertFalse(tried.getAttribute("class").contains("error"), tried.getText());
    assertFalse(b.text("tried-answer").isBlank());
    assertEquals(0, b.g.get("/api/v1/generators", token).json().getJsonArray("items").size(), "a test saves nothing");
    b.snapshot("campaign-1-target-tested");
    click(By.id("target-save"));

    // 2. prompts: a built-in set
    b.wait.until(ExpectedConditions.urlContains("/campaign/prompts"));
    assertEquals("<b>Sim</b> target", b.text("chosen-target"), "the name is text, not markup");
    b.snapshot("campaign-2-prompts");
    click(By.id("source-builtin:" + BUILTIN));
    click(By.id("prompts-next"));

    // 3. converters: rot13, previewed on the set's first prompt
    b.wait.until(ExpectedConditions.urlContains("/campaign/converters"));
    click(By.id("converter-rot13"));
    click(By.id("converters-preview"));
    String original = b.wait.until(ExpectedConditions.presenceOfElementLocated(By.id("preview-original"))).getText();
    assertEquals(rot13(original), b.text("preview-converted"));
    b.snapshot("campaign-3-converters");
    click(By.id("converters-next"));

    // 4. scorers: refusal detection (ticked already), tried on a sample answer
    b.wait.until(ExpectedConditions.urlContains("/campaign/scorers"));
    assertTrue(b.driver.findElement(By.id("scorer-refusal")).isSelected());
    b.type("sample-answer", "I'm sorry, but I can't help with that.");
    click(By.id("scorers-test"));
    WebElement verdict = b.wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#verdicts tbody tr td:nth-child(2)")));
    assertEquals("held", verdict.getText(), "a refusal: the target held");
    b.snapshot("campaign-4-scorers");
    click(By.id("scorers-next"));

    // 5. plan: the counts of the set, then run under a name
    b.wait.until(ExpectedConditions.urlContains("/campaign/plan"));
    int prompts = builtinCount();
    assertEquals(String.valueOf(prompts), b.text("plan-prompts"));
    assertEquals(String.valueOf(prompts), b.text("plan-requests"));
    assertTrue(b.text("plan-converters").contains("rot13"));
    b.snapshot("campaign-5-plan");
    b.type("campaign-name", "First campaign");
    click(By.id("campaign-run"));

    // the execution's live page, to the end
    b.wait.until(ExpectedConditions.urlMatches(".*/executions/[0-9a-f-]{36}$"));
    new WebDriverWait(b.driver, Duration.ofSeconds(60)).until(ExpectedConditions.textToBe(By.id("status"), "completed"));
    b.waitForText("progress-text", prompts + " / " + prompts);
    double seconds = (System.nanoTime() - started) / 1e9;
    b.snapshot("campaign-6-execution");
    System.out.printf(java.util.Locale.ROOT, "GUIDED CAMPAIGN: %d clicks, %.1f s from Home to a finished execution (%d prompts)%n",
        clicks, seconds, prompts);

    // every part under a readable name
    assertEquals(List.of("<b>Sim</b> target"), names("generators"));
    assertEquals(List.of("First campaign"), names("orchestrators"));
    assertEquals(List.of("First campaign · prompts"), names("datasets"));
    assertEquals(List.of("First campaign · 1. rot13"), names("converters"));
    assertEquals(List.of("First campaign · refusal"), names("scorers"));
    String executionId = b.driver.getCurrentUrl().substring(b.driver.getCurrentUrl().lastIndexOf('/') + 1);
    JsonObject progress = b.g.get("/api/v1/executions/" + executionId, token).json().getJsonObject("progress");
    assertEquals(prompts, progress.getInteger("done"));
    assertEquals(progress.getInteger("held").toString(), b.text("outcome-held"));

    // Home now: the run is checked off, and its rate and counts link to it
    b.open("/");
    assertEquals("true", b.driver.findElement(By.id("check-run")).getAttribute("data-done"));
    WebElement row = b.driver.findElement(By.cssSelector("#recent-rates tr.rate[data-id='" + executionId + "']"));
    assertTrue(row.getText().startsWith("First campaign"), row.getText());
    List<WebElement> cells = row.findElements(By.tagName("td"));
    assertEquals(progress.getInteger("attack_succeeded").toString(), cells.get(2).getText());
    assertEquals(progress.getInteger("held").toString(), cells.get(3).getText());
    assertTrue(cells.get(2).getAttribute("class").contains("outcome-attack_succeeded"), "got through is red");
    assertEquals("/executions/" + executionId, row.findElement(By.tagName("a")).getAttribute("pathname"));
    b.snapshot("campaign-7-home-after");
  }

  @Test
  @Order(2)
  void typedPromptsWithMarkupStayTextInThePreview() throws Exception {
    String generator = Browser.create(b.g, token, "generators", new JsonObject().put("name", "echo").put("type", "simulated")
        .put("parameters", new JsonObject().put("mode", "echo")));
    String markup = "<img src=x onerror=\"window.__xss = 1\">";
    b.signIn(USER);
    b.open("/campaign/prompts?generator_id=" + generator);
    b.driver.findElement(By.cssSelector("#typed-prompts summary")).click();
    b.type("typed", markup);
    b.type("typed-name", "markup prompts");
    b.click("typed-next");
    b.wait.until(ExpectedConditions.urlContains("/campaign/converters"));
    assertEquals(markup, b.text("preview-original"));
    assertTrue(b.driver.findElements(By.cssSelector("#preview img")).isEmpty(), "no element was made of the prompt");
    assertEquals(null, b.js("return window.__xss;"));
    b.snapshot("campaign-typed-prompts");
  }

  @Test
  @Order(3)
  void aPresetFillsTheGeneratorFormAndTestTriesItUnsavedBesideIt() throws Exception {
    b.signIn(USER);
    int before = b.g.get("/api/v1/generators", token).json().getJsonArray("items").size();
    b.open("/generators");
    b.selectText("add-preset", "Ollama");
    b.wait.until(d -> "http://127.0.0.1:11434/v1".equals(d.findElement(By.id("param-base_url")).getAttribute("value")));
    assertEquals("llama3.1:8b", b.driver.findElement(By.id("param-model")).getAttribute("value"));
    assertEquals("Ollama", b.driver.findElement(By.id("add-name")).getAttribute("value"));
    assertTrue(b.driver.findElement(By.id("param-base_url")).isDisplayed(), "the few fields that matter are shown");
    assertFalse(b.driver.findElement(By.id("param-max_retries")).isDisplayed(), "the rest is folded");
    assertEquals("2", b.driver.findElement(By.id("param-max_concurrency")).getAttribute("value"), "the preset's limits");

    // the cloud metadata address is refused by every egress policy: the unsaved settings pass the same gate, said beside the form
    b.typeInto("base_url", "http://169.254.169.254/v1");
    b.click("form-test");
    WebElement result = b.wait.until(d -> {
      WebElement r = d.findElement(By.id("form-test-result"));
      return r.getText().contains("egress_denied") ? r : null;
    });
    assertTrue(result.getAttribute("class").contains("error"));
    assertEquals(Boolean.TRUE, b.js("const r = arguments[0].getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight + 1;", result),
        "the error is where the hand is (within a pixel: scrolling rounds sub-pixel layouts): " + b.js("const r = arguments[0].getBoundingClientRect(); return r.top + ' ' + r.bottom + ' ' + innerHeight + ' ' + arguments[0].innerText;", result));
    b.snapshot("forms-generator-egress-refused");

    b.selectText("add-preset", "Simulated model (offline)");
    b.wait.until(d -> !d.findElements(By.id("param-mode")).isEmpty() && d.findElements(By.id("param-base_url")).isEmpty());
    b.click("form-test");
    b.wait.until(d -> d.findElement(By.id("form-test-result")).getText().startsWith("It answered"));
    assertEquals(before, b.g.get("/api/v1/generators", token).json().getJsonArray("items").size(), "testing saved nothing");
    b.snapshot("forms-generator-tested");

    // an orchestrator's scorers are checkboxes, its labels key=value lines like the launch form's
    b.open("/orchestrators");
    b.select("add-type", "prompt_sending");
    WebElement scorers = b.wait.until(ExpectedConditions.presenceOfElementLocated(By.id("param-scorer_ids")));
    assertEquals("fieldset", scorers.getTagName());
    WebElement labels = b.driver.findElement(By.id("param-labels"));
    assertTrue(labels.getAttribute("placeholder").contains("="), labels.getAttribute("placeholder"));
    b.snapshot("forms-orchestrator");
  }

  private void click(By by) {
    b.wait.until(ExpectedConditions.elementToBeClickable(by)).click();
    clicks++;
  }

  private static int builtinCount() throws Exception {
    for (Object o : b.g.get("/api/v1/datasets/builtin", token).json().getJsonArray("items")) {
      if (((JsonObject) o).getString("id").equals(BUILTIN)) {
        return ((JsonObject) o).getInteger("prompt_count");
      }
    }
    throw new AssertionError("no built-in " + BUILTIN);
  }

  private static List<String> names(String kind) throws Exception {
    JsonArray items = b.g.get("/api/v1/" + kind + "?limit=100", token).json().getJsonArray("items");
    return items.stream().map(o -> ((JsonObject) o).getString("name")).sorted().toList();
  }

  private static String rot13(String s) {
    StringBuilder out = new StringBuilder();
    for (char ch : s.toCharArray()) {
      out.append(ch >= 'a' && ch <= 'z' ? (char) ('a' + (ch - 'a' + 13) % 26) : ch >= 'A' && ch <= 'Z' ? (char) ('A' + (ch - 'A' + 13) % 26) : ch);
    }
    return out.toString();
  }
}
