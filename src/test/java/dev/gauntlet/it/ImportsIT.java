package dev.gauntlet.it;

import dev.gauntlet.imports.PyritSqliteImportTest;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A PyRIT 1.x memory uploaded through the real jar (POST /api/v1/imports) becomes an execution
 * like any other: listed, on the dashboard and results page (its hostile text escaped), in the
 * review queue, re-scored with Gauntlet's scorers, in a compliance report, exported back as PyRIT.
 */
class ImportsIT {

  static GauntletProcess g;
  static String admin;
  static String alice;
  static String bob;
  static byte[] pyrit;
  static String execution;

  @BeforeAll
  static void start() throws Exception {
    Path dir = Files.createTempDirectory("gauntlet-imports");
    g = new GauntletProcess(dir.resolve("data"), Map.of()).start();
    admin = g.adminToken();
    alice = g.newUser(admin, "alice");
    bob = g.newUser(admin, "bob");
    pyrit = Files.readAllBytes(PyritSqliteImportTest.standard(Files.createDirectories(dir.resolve("fixture")), dev.gauntlet.imports.PyritFixture.UNDETERMINED));
    GauntletProcess.Response imported = Multipart.upload(g, "/api/v1/imports", alice, "pyrit.db", pyrit, Map.of());
    assertEquals(201, imported.status(), imported.text());
    JsonObject tables = imported.json().getJsonObject("tables");
    assertEquals(12, tables.getJsonObject("PromptMemoryEntries").getLong("added"));
    assertEquals(5, tables.getJsonObject("execution_results").getLong("added"));
    execution = g.get("/api/v1/executions", alice).json().getJsonArray("items").getJsonObject(0).getString("id");
  }

  @AfterAll
  static void stop() throws Exception {
    g.close();
  }

  @Test
  void aDryRunAndASecondImportStoreNothingMoreAndTheAuditLogKeepsTheCounts() throws Exception {
    GauntletProcess.Response dry = Multipart.upload(g, "/api/v1/imports", alice, "pyrit.db", pyrit, Map.of("dry_run", "true"));
    assertEquals(200, dry.status(), dry.text());
    assertTrue(dry.json().getBoolean("dry_run"));
    GauntletProcess.Response again = Multipart.upload(g, "/api/v1/imports", alice, "pyrit.db", pyrit, Map.of("format", "pyrit-sqlite"));
    assertEquals(201, again.status(), again.text());
    assertEquals(12, again.json().getJsonObject("tables").getJsonObject("PromptMemoryEntries").getLong("present"));
    assertEquals(0, again.json().getJsonObject("tables").getJsonObject("PromptMemoryEntries").getLong("added"));
    assertEquals(1, g.get("/api/v1/executions", alice).json().getJsonArray("items").size());
    JsonArray audit = g.get("/api/v1/admin/audit?action=IMPORT", admin).json().getJsonArray("items");
    assertTrue(audit.stream().map(o -> (JsonObject) o).anyMatch(e -> e.getString("detail", "").contains("\"PromptMemoryEntries\"")
        && "alice".equals(e.getString("actor"))), audit.encode());
  }

  @Test
  void onlyTheOwnerOrAnAdminImportsIntoAMemory() throws Exception {
    GauntletProcess.Response refused = Multipart.upload(g, "/api/v1/imports", bob, "pyrit.db", pyrit, Map.of("user", "alice", "dry_run", "true"));
    assertEquals(403, refused.status(), refused.text());
    GauntletProcess.Response byAdmin = Multipart.upload(g, "/api/v1/imports", admin, "pyrit.db", pyrit, Map.of("user", "bob"));
    assertEquals(201, byAdmin.status(), byAdmin.text());
    assertEquals("bob", byAdmin.json().getString("user"));
    assertEquals(1, g.get("/api/v1/executions", bob).json().getJsonArray("items").size());
    GauntletProcess.Response junk = Multipart.upload(g, "/api/v1/imports", alice, "notes.txt", "hello".getBytes(), Map.of());
    assertEquals(400, junk.status(), junk.text());
  }

  @Test
  void theImportedExecutionIsListedCountedAndReviewableAndCannotBeResumed() throws Exception {
    JsonObject listed = g.get("/api/v1/executions", alice).json().getJsonArray("items").getJsonObject(0);
    assertEquals("imported", listed.getString("kind"));
    assertEquals("PyRIT", listed.getString("source_tool"));
    JsonObject got = g.get("/api/v1/executions/" + execution, alice).json();
    assertEquals(5, got.getJsonObject("progress").getInteger("done"));
    assertEquals(2, got.getJsonObject("progress").getInteger("attack_succeeded"));
    // imported pieces keep their own (older) times: a window long enough to reach them
    JsonObject summary = g.get("/api/v1/dashboard/summary?days=3650&execution=" + execution, alice).json();
    assertTrue(summary.getJsonArray("by_execution").stream().map(o -> (JsonObject) o).anyMatch(e -> execution.equals(e.getString("execution_id"))),
        summary.encode());
    JsonArray results = g.get("/api/v1/dashboard/results?days=3650&execution=" + execution, alice).json().getJsonArray("items");
    assertFalse(results.isEmpty());
    JsonArray queue = g.get("/api/v1/reviews/queue?source=sample&execution_id=" + execution, alice).json().getJsonArray("items");
    assertFalse(queue.isEmpty(), "imported results can be reviewed");
    assertEquals(409, g.post("/api/v1/executions/" + execution + "/resume", alice, new JsonObject()).status());
    GauntletProcess.Response compare = g.get("/api/v1/dashboard/compare?a=" + execution + "&b=" + execution, alice);
    assertTrue(compare.status() < 500, compare.text());
  }

  @Test
  void theImportedExecutionIsRescoredAndReportedAgainstTheStandards() throws Exception {
    GauntletProcess.Response scorer = g.post("/api/v1/scorers", alice, new JsonObject().put("name", "refusals").put("type", "refusal")
        .put("parameters", new JsonObject()));
    assertEquals(201, scorer.status(), scorer.text());
    GauntletProcess.Response job = g.post("/api/v1/executions/" + execution + "/rescore", alice,
        new JsonObject().put("scorer_ids", new JsonArray().add(scorer.json().getString("id"))));
    assertEquals(202, job.status(), job.text());
    String jobId = job.json().getString("id");
    long deadline = System.currentTimeMillis() + 60_000;
    String status = "";
    while (System.currentTimeMillis() < deadline && !(status = g.get("/api/v1/rescores/" + jobId, alice).json().getString("status")).equals("completed")) {
      Thread.sleep(100);
    }
    assertEquals("completed", status);
    JsonObject report = g.get("/api/v1/executions/" + execution + "/compliance", alice).json();
    assertEquals("red_teaming", report.getJsonArray("executions").getJsonObject(0).getString("orchestrator_type"), report.encode());
    assertTrue(report.getJsonArray("frameworks").stream().map(f -> (JsonObject) f).flatMap(f -> f.getJsonArray("controls").stream())
        .map(c -> (JsonObject) c).anyMatch(c -> c.getInteger("prompts", 0) > 0), report.encode());
  }

  @Test
  void theExecutionExportsAsAPyritMemoryAndItsHostileTextStaysText() throws Exception {
    GauntletProcess.Response export = g.get("/api/v1/executions/" + execution + "/export?format=pyrit-sqlite", alice);
    assertEquals(200, export.status());
    assertTrue(export.text().startsWith("SQLite format 3"), "a SQLite file");
    String html = g.get("/api/v1/executions/" + execution + "/export?format=html", alice).text();
    assertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "escaped in the HTML report");
    assertFalse(html.contains("<script>alert(1)"));
    Vertx vertx = Vertx.vertx();
    try (LocalClient browser = new LocalClient(vertx, "127.0.0.1", g.port)) {
      browser.signInForm("alice", "alice-password");
      String page = browser.get("/dashboard/results?days=3650&execution=" + execution).body();
      assertTrue(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;") || !page.contains("alert(1)"), "escaped on the results page");
      assertFalse(page.contains("<script>alert(1)"));
    } finally {
      vertx.close();
    }
  }
}
