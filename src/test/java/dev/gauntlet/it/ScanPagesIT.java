package dev.gauntlet.it;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The scans pages in a real browser: a plan shown before anything runs, then the scan with its executions and report. */
@Order(2)
class ScanPagesIT {

  static final String USER = "scan-pages-user";

  @RegisterExtension
  static final Browser b = new Browser();
  static String token;

  @BeforeAll
  static void user() throws Exception {
    token = b.newUser(USER);
  }

  @Test
  void aScanIsPlannedOnThePageThenRunAndItsPageLinksItsExecutionsAndReport() throws Exception {
    String generator = Browser.create(b.g, token, "generators", new JsonObject().put("name", "sim <b>one</b>").put("type", "simulated")
        .put("parameters", new JsonObject()));
    String rot13 = Browser.create(b.g, token, "converters", new JsonObject().put("name", "rot").put("type", "rot13")
        .put("parameters", new JsonObject()));
    b.signIn(USER);
    b.open("/scans");
    b.driver.findElement(By.cssSelector("input[name=probes][value=prompt_hijack]")).click();
    b.driver.findElement(By.cssSelector("input[name=generator_ids][value='" + generator + "']")).click();
    // a converter chain beside the plain run, and this generator's prices: the plan counts both chains and costs them
    new org.openqa.selenium.support.ui.Select(b.driver.findElement(By.name("chain1_step1"))).selectByValue(rot13);
    b.driver.findElement(By.cssSelector("input[name=chain_plain]")).click();
    b.driver.findElement(By.name("price_in_" + generator)).sendKeys("2");
    b.driver.findElement(By.name("price_out_" + generator)).sendKeys("4");
    WebElement count = b.driver.findElement(By.name("count"));
    count.clear();
    count.sendKeys("3");
    b.click("plan");
    b.waitForText("plan-requests", "6");
    assertEquals("6", b.driver.findElement(By.id("plan-prompts")).getText(), "3 prompts, plain and through the chain");
    assertTrue(Double.parseDouble(b.driver.findElement(By.id("plan-cost")).getText()) > 0, "the prices given are used");
    assertTrue(b.driver.getPageSource().contains("sim &lt;b&gt;one&lt;/b&gt;"), "a generator's name is text");
    assertEquals(0, b.g.get("/api/v1/scans", token).json().getJsonArray("items").size(), "planning stores nothing");
    b.click("run");
    b.wait.until(d -> d.getCurrentUrl().matches(".*/scans/[0-9a-f-]{36}$"));
    List<WebElement> links = b.driver.findElements(By.cssSelector("#scan-executions a"));
    assertEquals(2, links.size(), "one execution per chain: Run took the chains the plan showed");
    assertTrue(links.get(0).getAttribute("href").matches(".*/executions/[0-9a-f-]{36}$"));
    String scanPage = b.driver.getCurrentUrl();
    String report = b.driver.findElement(By.id("compliance-html")).getAttribute("href");
    assertEquals(scanPage + "/compliance", report);
    b.driver.get(report);
    assertTrue(b.driver.getTitle().startsWith("Compliance report"), "the report opens as a page of its own: " + b.driver.getTitle());
  }
}
