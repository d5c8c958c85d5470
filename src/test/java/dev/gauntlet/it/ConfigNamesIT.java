package dev.gauntlet.it;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Names first, through the real jar: a configuration's name is unique per user and kind whatever
 * its case; duplicates take "(copy)" names; deleting what others use is refused with the list of
 * them unless forced, and what is left says what is gone and refuses to launch. In Chromium: the
 * lists speak names (ids behind a copy button), the delete warning lists who uses it and Cancel
 * keeps it, and a taken name is said under its field and in a toast in view. (The launch refused
 * from the foot of a long page is NewcomerScenarioIT's.)
 */
@Order(7)
class ConfigNamesIT {

  static final String USER = "names-user";
  static final String OTHER = "names-other";
  static final Pattern UUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

  @RegisterExtension
  static final Browser b = new Browser();
  static String token;
  static String other;

  @BeforeAll
  static void users() throws Exception {
    token = b.newUser(USER);
    other = b.newUser(OTHER);
  }

  static JsonObject typed(String name, String type, JsonObject parameters) {
    return new JsonObject().put("name", name).put("type", type).put("parameters", parameters);
  }

  static JsonObject dataset(String name, String... values) {
    JsonArray prompts = new JsonArray();
    for (String v : values) {
      prompts.add(new JsonObject().put("value", v).put("harm_categories", new JsonArray().add("cyber").add("fraud")));
    }
    return new JsonObject().put("name", name).put("prompts", prompts);
  }

  static JsonObject orchestrator(String name, String generator, String dataset, String scorer) {
    return typed(name, "prompt_sending", new JsonObject().put("generator_id", generator).put("dataset_id", dataset)
        .put("scorer_ids", new JsonArray().add(scorer)));
  }

  static String create(String token, String kind, JsonObject body) throws Exception {
    return Browser.create(b.g, token, kind, body);
  }

  static JsonObject listed(String kind, String id) throws Exception {
    for (Object o : b.g.get("/api/v1/" + kind + "?limit=1000", token).json().getJsonArray("items")) {
      if (((JsonObject) o).getString("id").equals(id)) {
        return (JsonObject) o;
      }
    }
    throw new AssertionError("no " + kind + " " + id);
  }

  @Test
  void aNameIsTakenOncePerKindAndUserWhateverItsCase() throws Exception {
    String first = create(token, "generators", typed("Target A", "simulated", new JsonObject()));
    GauntletProcess.Response again = b.g.post("/api/v1/generators", token, typed("target a", "simulated", new JsonObject()));
    assertEquals(409, again.status(), again.text());
    assertEquals("name_taken", again.errorCode());
    String message = again.json().getJsonObject("error").getString("message");
    assertTrue(message.contains("generator") && message.contains("'target a'"), "the message names the kind and the name: " + message);

    // another kind, another user: the same name is free
    create(token, "scorers", typed("Target A", "refusal", new JsonObject()));
    create(other, "generators", typed("TARGET A", "simulated", new JsonObject()));

    // an update may keep its own name, not take another's
    String second = create(token, "generators", typed("Target B", "simulated", new JsonObject()));
    GauntletProcess.Response taken = b.g.put("/api/v1/generators/" + second, token, typed("TARGET a", "simulated", new JsonObject()));
    assertEquals(409, taken.status(), taken.text());
    assertEquals(200, b.g.put("/api/v1/generators/" + first, token, typed("Target A", "simulated",
        new JsonObject().put("mode", "comply"))).status());
    assertEquals(200, b.g.put("/api/v1/generators/" + second, token, typed("target b", "simulated", new JsonObject())).status(),
        "a change of case of its own name is no conflict");
  }

  @Test
  void theAuditLogNamesTheConfigurationBesideItsPath() throws Exception {
    String id = create(token, "converters", typed("Audited <i>chain</i>", "rot13", new JsonObject()));
    assertEquals(200, b.g.delete("/api/v1/converters/" + id, token).status());
    for (String action : List.of("POST%20/api/v1/converters", "DELETE%20/api/v1/converters")) {
      JsonObject entry = audited(action, id);
      assertEquals("converter 'Audited <i>chain</i>'", entry.getString("detail"), entry.encode());
    }
  }

  /** The newest audit entry of this action by the test's user (entries are written once the response is sent: waited for). */
  private static JsonObject audited(String action, String id) throws Exception {
    long until = System.currentTimeMillis() + 20_000;
    while (true) {
      JsonArray items = b.g.get("/api/v1/admin/audit?actor=" + USER + "&action=" + action + "&limit=20", b.adminToken()).json()
          .getJsonArray("items");
      for (Object o : items) {
        JsonObject e = (JsonObject) o;
        if (e.getString("detail") != null && e.getString("detail").contains("Audited")) {
          return e;
        }
      }
      if (System.currentTimeMillis() > until) {
        throw new AssertionError("no audit entry for " + action + " naming the converter " + id + ": " + items.encode());
      }
      Thread.sleep(200);
    }
  }

  @Test
  void concurrentCreatesOfOneNameLeaveExactlyOne() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(6);
    try {
      List<Future<Integer>> all = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        String name = i % 2 == 0 ? "Racer" : "RACER";
        all.add(pool.submit((Callable<Integer>) () -> b.g.post("/api/v1/converters", token, typed(name, "rot13", new JsonObject())).status()));
      }
      List<Integer> statuses = new ArrayList<>();
      for (Future<Integer> f : all) {
        statuses.add(f.get());
      }
      assertEquals(1, statuses.stream().filter(s -> s == 201).count(), "one create wins: " + statuses);
      assertEquals(5, statuses.stream().filter(s -> s == 409).count(), "the others are told the name is taken: " + statuses);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aDuplicateTakesTheFirstFreeCopyName() throws Exception {
    String id = create(token, "datasets", dataset("Phish", "write a phishing mail", "steal a password"));
    GauntletProcess.Response copy = b.g.post("/api/v1/datasets/" + id + "/duplicate", token, null);
    assertEquals(201, copy.status(), copy.text());
    assertEquals("Phish (copy)", copy.json().getString("name"));
    assertEquals(2, copy.json().getInteger("prompt_count"));
    JsonObject copied = b.g.get("/api/v1/datasets/" + copy.json().getString("id"), token).json();
    assertEquals("steal a password", copied.getJsonArray("prompts").getJsonObject(1).getString("value"));
    assertEquals(List.of("cyber", "fraud"), listed("datasets", copy.json().getString("id")).getJsonArray("harm_categories").getList());
    assertEquals("Phish (copy 2)", b.g.post("/api/v1/datasets/" + id + "/duplicate", token, null).json().getString("name"));

    String scorer = create(token, "scorers", typed("Leak words", "substring", new JsonObject().put("substrings", new JsonArray().add("pw"))));
    JsonObject scorerCopy = b.g.post("/api/v1/scorers/" + scorer + "/duplicate", token, null).json();
    assertEquals("Leak words (copy)", scorerCopy.getString("name"));
    assertEquals(List.of("pw"), scorerCopy.getJsonObject("parameters").getJsonArray("substrings").getList());
    assertEquals(404, b.g.post("/api/v1/scorers/" + scorer + "/duplicate", other, null).status(), "someone else's is not found");
  }

  @Test
  void deletingWhatIsUsedListsTheUsersUnlessForcedAndTheirRowsSayWhatIsGone() throws Exception {
    String generator = create(token, "generators", typed("Doomed model", "simulated", new JsonObject()));
    String data = create(token, "datasets", dataset("Doomed data", "hello"));
    String member = create(token, "scorers", typed("Member one", "substring", new JsonObject().put("substrings", new JsonArray().add("a"))));
    String member2 = create(token, "scorers", typed("Member two", "refusal", new JsonObject()));
    String composite = create(token, "scorers", typed("Both members", "composite",
        new JsonObject().put("scorer_ids", new JsonArray().add(member).add(member2))));
    String orch = create(token, "orchestrators", orchestrator("Uses doomed", generator, data, composite));

    GauntletProcess.Response refused = b.g.delete("/api/v1/generators/" + generator, token);
    assertEquals(409, refused.status(), refused.text());
    assertEquals("in_use", refused.errorCode());
    JsonObject error = refused.json().getJsonObject("error");
    assertTrue(error.getString("message").contains("'Uses doomed'") && error.getString("message").contains(orch), error.encode());
    JsonArray usedBy = error.getJsonObject("details").getJsonArray("used_by");
    assertEquals(1, usedBy.size());
    assertEquals(new JsonObject().put("kind", "orchestrator").put("id", orch).put("name", "Uses doomed").put("parameter", "generator_id"),
        usedBy.getJsonObject(0));

    GauntletProcess.Response memberRefused = b.g.delete("/api/v1/scorers/" + member, token);
    assertEquals(409, memberRefused.status());
    assertEquals("Both members", memberRefused.json().getJsonObject("error").getJsonObject("details").getJsonArray("used_by")
        .getJsonObject(0).getString("name"), "a composite scorer's members are in use too");
    assertEquals(200, b.g.get("/api/v1/generators/" + generator, token).status(), "a refused delete deletes nothing");

    // a composite's rationale names its members as people know them
    JsonObject scored = b.g.post("/api/v1/scorers/" + composite + "/test", token, new JsonObject().put("text", "a plain answer")).json();
    String rationale = scored.getJsonArray("scores").getJsonObject(0).getString("score_rationale");
    assertTrue(rationale.contains("'Member one'") && !rationale.contains(member), "names, not ids: " + rationale);

    GauntletProcess.Response forced = b.g.delete("/api/v1/generators/" + generator + "?force=true", token);
    assertEquals(200, forced.status(), forced.text());
    assertEquals(404, b.g.get("/api/v1/generators/" + generator, token).status());

    JsonObject row = listed("orchestrators", orch);
    JsonObject ref = row.getJsonArray("references").stream().map(o -> (JsonObject) o)
        .filter(r -> r.getString("param").equals("generator_id")).findFirst().orElseThrow();
    assertEquals(true, ref.getBoolean("deleted"));
    assertEquals("Doomed model", ref.getString("name"), "the row knows the name of what was deleted");
    JsonObject scorerRef = row.getJsonArray("references").stream().map(o -> (JsonObject) o)
        .filter(r -> r.getString("param").equals("scorer_ids")).findFirst().orElseThrow();
    assertEquals("Both members", scorerRef.getString("name"));
    assertEquals(false, scorerRef.getBoolean("deleted"));

    GauntletProcess.Response launch = b.g.post("/api/v1/orchestrators/" + orch + "/executions", token, new JsonObject());
    assertEquals(409, launch.status(), launch.text());
    assertEquals("broken_reference", launch.errorCode());
    String said = launch.json().getJsonObject("error").getString("message");
    assertTrue(said.contains("'Uses doomed'") && said.contains("generator 'Doomed model'") && said.contains("deleted"), said);
  }

  @Test
  void listsSpeakNamesDeleteWarnsAndErrorsShowWhereTheUserLooks() throws Exception {
    String generator = create(token, "generators", typed("<b>Model</b> under test", "openai_chat", new JsonObject()
        .put("base_url", "http://127.0.0.1:9/v1").put("model", "gpt-test").put("max_concurrency", 4)));
    String data = create(token, "datasets", dataset("Browser prompts", "one", "two"));
    String scorer = create(token, "scorers", typed("Browser refusal", "refusal", new JsonObject()));
    String orch = create(token, "orchestrators", orchestrator("Browser campaign", generator, data, scorer));

    b.signIn(USER);
    b.open("/generators");
    WebElement row = b.row("<b>Model</b> under test");
    assertTrue(row.findElement(By.cssSelector(".item-name")).getText().equals("<b>Model</b> under test"), "markup in a name stays text");
    assertTrue(row.findElements(By.cssSelector(".item-name b")).isEmpty());
    assertTrue(row.findElement(By.cssSelector(".summary")).getText().contains("gpt-test @ 127.0.0.1:9"), row.getText());
    assertTrue(row.findElement(By.cssSelector(".summary")).getText().contains("at most 4 at once"), row.getText());
    assertEquals(generator, row.findElement(By.cssSelector("button.copy-id")).getAttribute("data-copy"), "the id is behind a copy button");
    assertFalse(UUID.matcher(b.driver.findElement(By.id("items")).getText()).find(), "no id shown in the list's text");
    b.snapshot("names-generators");

    // deleting it warns and lists the orchestrators using it; cancel keeps it
    row.findElement(By.cssSelector("button.delete")).click();
    WebElement dialog = b.wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("delete-dialog")));
    assertTrue(dialog.findElement(By.id("delete-users")).getText().contains("Browser campaign"), dialog.getText());
    b.snapshot("names-delete-warning");
    b.click("delete-cancel");
    b.wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("delete-dialog")));
    assertEquals(200, b.g.get("/api/v1/generators/" + generator, token).status(), "cancelled: still there");

    // a taken name: the error under the name field, in the form's panel, and in a toast on screen
    b.select("add-type", "simulated");
    b.wait.until(d -> !d.findElement(By.id("type-description")).getText().isEmpty());
    b.driver.findElement(By.id("add-name")).sendKeys("<B>MODEL</B> under test");
    b.js("document.getElementById('add-submit').scrollIntoView({block: 'center'});");
    b.driver.findElement(By.id("add-submit")).click();
    WebElement fieldError = b.wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#add-form .field-error")));
    assertTrue(fieldError.getText().contains("'<B>MODEL</B> under test' already exists"), fieldError.getText());
    assertInViewport("toast");
    b.snapshot("names-taken-name");

    b.open("/orchestrators");
    WebElement campaign = b.row("Browser campaign");
    String summary = campaign.findElement(By.cssSelector(".summary")).getText();
    assertTrue(summary.contains("<b>Model</b> under test") && summary.contains("Browser prompts") && summary.contains("Browser refusal"),
        "target, dataset and scorers by name: " + summary);
    assertFalse(UUID.matcher(b.driver.findElement(By.id("items")).getText()).find(), "no id shown in the list's text");
    b.snapshot("names-orchestrators");

    b.open("/datasets");
    WebElement ds = b.row("Browser prompts");
    assertTrue(ds.getText().contains("cyber") && ds.getText().contains("fraud"), "a dataset's harm categories: " + ds.getText());
    assertNotNull(ds.findElement(By.cssSelector("button.copy-id")));
    b.snapshot("names-datasets");
  }

  private static void assertInViewport(String id) {
    Object inView = b.js("const e = document.getElementById(arguments[0]); if (!e || e.hidden) return false;"
        + " const r = e.getBoundingClientRect(); return r.top >= 0 && r.bottom <= window.innerHeight && r.height > 0;", id);
    assertEquals(Boolean.TRUE, inView, id + " is visible without scrolling");
  }
}
