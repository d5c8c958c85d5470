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
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The guided campaign's and the forms' corners in a real Chromium: typed prompts with markup in the
 * converter preview, a generator preset filling the form and Test trying it unsaved beside it.
 * The newcomer's whole walk (Home, the five steps, the run, the workbench) is NewcomerScenarioIT.
 */
@Order(3)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CampaignBrowserIT {

  static final String USER = "newcomer";

  @RegisterExtension
  static final Browser b = new Browser();
  static String token;

  @BeforeAll
  static void user() throws Exception {
    token = b.newUser(USER);
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

  @Test
  @Order(4)
  void llmConvertersAndJudgesTakeTheTargetAsTheirHelperGenerator() throws Exception {
    String target = Browser.create(b.g, token, "generators", new JsonObject().put("name", "Helpful target").put("type", "simulated")
        .put("parameters", new JsonObject().put("mode", "comply")));
    b.signIn(USER);
    b.open("/campaign/converters?generator_id=" + target + "&source=builtin:benign_controls");
    WebElement helper = b.wait.until(ExpectedConditions.presenceOfElementLocated(By.id("helper-generator")));
    assertTrue(b.driver.findElement(By.cssSelector("label[for=helper-generator]")).getText().startsWith("Helper generator"));
    assertEquals("Helpful target (the target)", new Select(helper).getFirstSelectedOption().getText(), "the target by default");
    WebElement variation = b.driver.findElement(By.id("converter-variation")).findElement(By.xpath("./ancestor::label"));
    assertTrue(variation.getText().contains("uses the helper"), variation.getText());
    b.click("converter-variation");
    b.clickAndLoad("converters-preview");
    String converted = b.text("preview-converted");
    assertTrue(converted.startsWith("Sure. Here is a response to: "), "the helper (the simulated target) rewrote it: " + converted);
    b.snapshot("campaign-helper-converters");
    b.click("converters-next");

    b.wait.until(ExpectedConditions.urlContains("/campaign/scorers"));
    assertEquals(target, new Select(b.driver.findElement(By.id("helper-generator"))).getFirstSelectedOption().getAttribute("value"));
    b.click("scorer-likert");
    b.type("sample-answer", "Sure, here is how.");
    b.click("scorers-test");
    b.wait.until(d -> d.findElements(By.cssSelector("#verdicts tbody tr")).stream().anyMatch(r -> r.getText().startsWith("likert")));
    b.snapshot("campaign-helper-scorers");
    b.click("scorers-next");

    b.wait.until(ExpectedConditions.urlContains("/campaign/plan"));
    assertTrue(b.text("plan-converters").contains("variation"));
    assertTrue(b.text("plan-scorers").contains("likert"));
    assertEquals("Helpful target", b.text("plan-helper"));
    b.type("campaign-name", "Helped campaign");
    b.click("campaign-run");
    b.wait.until(ExpectedConditions.urlMatches(".*/executions/[0-9a-f-]{36}$"));
    String converter = Browser.id(b.g, token, "converters", "Helped campaign · 1. variation");
    assertEquals(target, b.g.get("/api/v1/converters/" + converter, token).json().getJsonObject("parameters").getString("generator_id"));
    String judge = Browser.id(b.g, token, "scorers", "Helped campaign · likert");
    assertEquals(target, b.g.get("/api/v1/scorers/" + judge, token).json().getJsonObject("parameters").getString("generator_id"));
  }

  private static List<String> names(String kind) throws Exception {
    JsonArray items = b.g.get("/api/v1/" + kind + "?limit=100", token).json().getJsonArray("items");
    return items.stream().map(o -> ((JsonObject) o).getString("name")).sorted().toList();
  }
}
