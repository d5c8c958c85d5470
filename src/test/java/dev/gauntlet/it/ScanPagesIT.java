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
    b.signIn(USER);
    b.open("/scans");
    b.driver.findElement(By.cssSelector("input[name=probes][value=prompt_hijack]")).click();
    b.driver.findElement(By.cssSelector("input[name=generator_ids][value='" + generator + "']")).click();
    WebElement count = b.driver.findElement(By.name("count"));
    count.clear();
    count.sendKeys("3");
    b.click("plan");
    b.waitForText("plan-requests", "3");
    assertEquals("3", b.driver.findElement(By.id("plan-prompts")).getText());
    assertTrue(b.driver.getPageSource().contains("sim &lt;b&gt;one&lt;/b&gt;"), "a generator's name is text");
    assertEquals(0, b.g.get("/api/v1/scans", token).json().getJsonArray("items").size(), "planning stores nothing");
    b.click("run");
    b.wait.until(d -> d.getCurrentUrl().matches(".*/scans/[0-9a-f-]{36}$"));
    List<WebElement> links = b.driver.findElements(By.cssSelector("#scan-executions a"));
    assertEquals(1, links.size());
    assertTrue(links.get(0).getAttribute("href").matches(".*/executions/[0-9a-f-]{36}$"));
    String scanPage = b.driver.getCurrentUrl();
    String report = b.driver.findElement(By.id("compliance-html")).getAttribute("href");
    assertEquals(scanPage + "/compliance", report);
    b.driver.get(report);
    assertTrue(b.driver.getTitle().startsWith("Compliance report"), "the report opens as a page of its own: " + b.driver.getTitle());
  }
}
