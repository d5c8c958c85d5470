package dev.gauntlet.it;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The admin pages and the API-keys page in a real browser, checked against the REST API. */
@Order(3)
class AdminPagesIT {

  @RegisterExtension
  static final Browser b = new Browser();

  @Test
  void adminPagesAreForAdminsOnly() throws Exception {
    b.newUser("plain-user");
    b.signIn("plain-user");
    assertTrue(b.driver.findElements(By.id("nav-admin-users")).isEmpty(), "no admin links for a plain user");
    for (String page : List.of("/admin/users", "/admin/audit", "/admin/memory", "/admin/budgets")) {
      b.open(page);
      assertTrue(b.driver.findElement(By.id("denied")).isDisplayed(), page);
      assertTrue(b.driver.findElements(By.cssSelector("script[src*='admin-']")).isEmpty(), "no admin script on " + page);
    }
  }

  @Test
  void anAdminCreatesAUserThenRenamesTheLoginAndGrantsAdmin() throws Exception {
    b.signIn("admin", GauntletProcess.ADMIN_PASSWORD);
    b.click("nav-admin-users");
    b.type("new-username", "carol");
    b.type("new-password", "carol-password");
    b.click("user-create");
    WebElement carol = b.wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#users tr[data-username='carol']")));
    assertEquals("user", carol.findElement(By.className("roles")).getText());

    carol.findElement(By.cssSelector("button.edit")).click();
    b.type("edit-login", "carol.ops");
    b.type("edit-display-name", "Carol <Ops>");
    b.driver.findElement(By.cssSelector("input[name='edit-role'][value='admin']")).click();
    b.click("user-save");
    b.wait.until(d -> d.findElement(By.cssSelector("#users tr[data-username='carol'] .login")).getText().equals("carol.ops"));
    assertEquals("admin, user", b.driver.findElement(By.cssSelector("#users tr[data-username='carol'] .roles")).getText());
    assertTrue(b.text("users").contains("Carol <Ops>"), "the display name shows as typed, as text");

    // the new login signs in; the username (and so the memory) stayed
    String token = b.g.token("carol.ops", "carol-password");
    JsonObject me = b.g.get("/api/v1/auth/me", token).json();
    assertEquals("carol", me.getString("username"));
    assertTrue(me.getJsonArray("roles").contains("admin"));
    b.snapshot("admin-users");
  }

  @Test
  void aKeyIsShownOnceListedByPrefixAndRevoked() throws Exception {
    b.newUser("key-user");
    b.signIn("key-user");
    b.open("/keys");
    assertTrue(b.driver.findElements(By.cssSelector("input[name=scope][value=admin]")).isEmpty(), "only admins may ask for admin");
    b.type("key-name", "ci <job>");
    b.driver.findElement(By.cssSelector("input[name=scope][value=write]")).click();
    b.click("key-create");
    b.wait.until(d -> d.findElement(By.id("new-key")).isDisplayed());
    String key = b.text("new-key-value");
    WebElement row = b.wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#keys tr[data-name='ci <job>']")));
    String prefix = row.findElement(By.tagName("code")).getText();
    assertTrue(key.startsWith(prefix), key + " starts with " + prefix);
    assertTrue(row.getText().contains("read"));
    assertFalse(row.getText().contains("write"), "the scope left unchecked is not granted");
    assertEquals(200, b.g.get("/api/v1/auth/me", key).status(), "the key works");
    assertEquals(403, b.g.post("/api/v1/generators", key, new JsonObject().put("name", "x").put("type", "simulated")).status(),
        "a read-only key cannot write");

    b.open("/keys");
    assertFalse(b.driver.getPageSource().contains(key), "the key is never shown again");
    WebElement again = b.wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#keys tr[data-name='ci <job>']")));
    WebElement revoke = again.findElement(By.cssSelector("button.danger"));
    revoke.click();
    revoke.click();
    b.wait.until(d -> d.findElement(By.cssSelector("#keys tr[data-name='ci <job>'] .state")).getText().equals("revoked"));
    assertEquals(401, b.g.get("/api/v1/auth/me", key).status(), "a revoked key is refused");
  }

  @Test
  void theAuditLogFiltersAndPages() throws Exception {
    String admin = b.adminToken();
    for (int i = 0; i < 55; i++) {
      assertEquals(200, b.g.get("/api/v1/admin/memory-health", admin).status());
    }
    // each read is recorded once its response has gone out
    long total = 0;
    for (long deadline = System.currentTimeMillis() + 10_000; total < 55 && System.currentTimeMillis() < deadline; Thread.sleep(50)) {
      total = b.g.get("/api/v1/admin/audit?actor=admin&action=GET%20/api/v1/admin/memory-health&limit=1", admin).json()
          .getLong("total");
    }
    assertTrue(total >= 55, "total " + total);

    b.signIn("admin", GauntletProcess.ADMIN_PASSWORD);
    b.open("/admin/audit");
    b.type("audit-actor", "admin");
    b.type("audit-action", "GET /api/v1/admin/memory-health");
    b.click("audit-apply");
    b.wait.until(d -> d.findElement(By.id("page-info")).getText().startsWith("1–50 of "));
    long shown = Long.parseLong(b.text("page-info").replaceAll(".* of ", ""));
    assertTrue(shown >= total, "the page counts what the API counted (and the reads since): " + shown + " vs " + total);
    List<WebElement> rows = b.driver.findElements(By.cssSelector("#audit tr.entry"));
    assertEquals(50, rows.size());
    for (WebElement r : rows) {
      assertEquals("admin", r.findElement(By.className("actor")).getText());
      assertEquals("GET /api/v1/admin/memory-health", r.findElement(By.className("action")).getText());
    }
    b.click("next");
    b.wait.until(d -> d.findElement(By.id("page-info")).getText().startsWith("51–"));
    // the second page holds what its range says (reads by other pages may have added rows since the first)
    String[] range = b.text("page-info").replaceAll(" of .*", "").split("–");
    long expected = Long.parseLong(range[1]) - Long.parseLong(range[0]) + 1;
    b.wait.until(d -> d.findElements(By.cssSelector("#audit tr.entry")).size() == expected);
    assertTrue(expected >= Math.min(50, shown - 50) && expected <= 50, "the second page holds the rest, at most a page's worth: " + expected);
  }

  @Test
  void anAdminSetsAProviderBudgetOnItsPageAndSeesWhatRemains() throws Exception {
    b.signIn("admin", GauntletProcess.ADMIN_PASSWORD);
    b.open("/admin/budgets");
    b.type("budget-host", "API.Budget-Page.example");
    b.type("budget-rpm", "300");
    b.type("budget-tokens", "50000");
    b.type("budget-spend", "12.5");
    b.type("budget-prices", "{\"*\": {\"input_per_million\": 1, \"output_per_million\": 3}}");
    b.click("budget-save");
    WebElement row = b.wait.until(ExpectedConditions.presenceOfElementLocated(
        By.cssSelector("#budgets tr[data-host='api.budget-page.example']")));
    JsonObject api = b.g.get("/api/v1/admin/budgets", b.adminToken()).json().getJsonArray("items").stream()
        .map(o -> (JsonObject) o).filter(o -> o.getString("host").equals("api.budget-page.example")).findFirst().orElseThrow();
    assertEquals(300, api.getInteger("requests_per_minute"));
    assertEquals(50000L, api.getJsonObject("remaining").getLong("tokens_per_day"));
    assertEquals("50000", row.findElement(By.className("remaining-tokens")).getText(), "the page shows what the API says remains");
    assertEquals("$12.5000", row.findElement(By.className("remaining-spend")).getText());

    b.type("budget-host", "<b>not a host</b>");
    b.click("budget-save");
    b.waitForText("flash", "host");
    assertTrue(b.driver.findElements(By.cssSelector("#budgets b")).isEmpty(), "nothing typed is shown as markup");
    b.snapshot("admin-budgets");
  }

  @Test
  void memoryHealthShowsWhatTheApiReportsAndClosesConnections() throws Exception {
    b.signIn("admin", GauntletProcess.ADMIN_PASSWORD);
    b.open("/admin/memory");
    JsonObject health = b.g.get("/api/v1/admin/memory-health", b.adminToken()).json();
    b.wait.until(ExpectedConditions.textToBe(By.id("health-users"), health.getLong("users").toString()));
    assertEquals("0", b.text("health-switches"));
    assertEquals(health.getLong("files").toString(), b.text("health-files"));
    assertTrue(b.text("health-verdict").startsWith("Healthy"));
    int shards = b.g.get("/api/v1/admin/memory/connections", b.adminToken()).json().getJsonArray("shards").size();
    assertEquals(shards, b.driver.findElements(By.cssSelector("#connections tr.shard")).size());
    b.click("close-all");
    b.click("close-all");
    b.waitForText("flash", "Closed every open memory connection");
    b.snapshot("admin-memory");
  }
}
