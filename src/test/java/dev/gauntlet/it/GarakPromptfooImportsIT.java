package dev.gauntlet.it;

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
 * A garak report and a promptfoo results.json uploaded through the real jar (POST /api/v1/imports,
 * format recognized): listed as imported executions, counted on the dashboard, their compliance
 * reported; a truncated report is refused naming its line and stores nothing.
 */
class GarakPromptfooImportsIT {

  static GauntletProcess g;
  static String alice;

  @BeforeAll
  static void start() throws Exception {
    Path dir = Files.createTempDirectory("gauntlet-garak-imports");
    g = new GauntletProcess(dir.resolve("data"), Map.of()).start();
    alice = g.newUser(g.adminToken(), "alice");
  }

  @AfterAll
  static void stop() throws Exception {
    g.close();
  }

  private static byte[] fixture(String name) throws Exception {
    return Files.readAllBytes(Path.of("src/test/resources/imports", name));
  }

  @Test
  void garakAndPromptfooRunsLandAsImportedExecutionsAndATruncatedReportStoresNothing() throws Exception {
    GauntletProcess.Response cut = Multipart.upload(g, "/api/v1/imports", alice, "garak.x.report.jsonl",
        fixture("garak/report-truncated.jsonl"), Map.of("format", "garak"));
    assertEquals(400, cut.status(), cut.text());
    assertTrue(cut.text().contains("garak report line 7: is cut short"), cut.text());
    assertEquals(0, g.get("/api/v1/executions", alice).json().getJsonArray("items").size());

    GauntletProcess.Response garak = Multipart.upload(g, "/api/v1/imports", alice, "garak.7d1c.report.jsonl", fixture("garak/report.jsonl"), Map.of());
    assertEquals(201, garak.status(), garak.text());
    assertEquals("garak", garak.json().getString("format"));
    assertEquals(13, garak.json().getJsonObject("tables").getJsonObject("PromptMemoryEntries").getLong("added"));
    GauntletProcess.Response promptfoo = Multipart.upload(g, "/api/v1/imports", alice, "results.json", fixture("promptfoo/results.json"), Map.of());
    assertEquals(201, promptfoo.status(), promptfoo.text());
    assertEquals("promptfoo-json", promptfoo.json().getString("format"));

    JsonArray items = g.get("/api/v1/executions", alice).json().getJsonArray("items");
    assertEquals(3, items.size(), items.encode());
    String execution = null;
    for (Object o : items) {
      if (((JsonObject) o).encode().contains("garak run")) {
        execution = ((JsonObject) o).getString("id");
      }
    }
    JsonObject summary = g.get("/api/v1/dashboard/summary?days=3650&execution=" + execution, alice).json();
    assertEquals(2, summary.getJsonObject("outcomes").getLong("attack_succeeded"), summary.encode());
    assertEquals(3, summary.getJsonObject("outcomes").getLong("held"));
    JsonObject report = g.get("/api/v1/executions/" + execution + "/compliance", alice).json();
    assertTrue(report.encode().contains("dan.Dan_11_0"), report.encode());
    hostileTextStaysTextOnThePages(items);
  }

  /**
   * The fixtures carry markup and template braces in prompts and answers (garak: an {@code <img onerror>},
   * a {@code <script>}, {@code {{{payload}}}}; promptfoo: a {@code <script>}): on the results page of
   * each imported execution, the matrix and every conversation page they show as text, never as markup.
   */
  private static void hostileTextStaysTextOnThePages(JsonArray executions) throws Exception {
    io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
    try (LocalClient browser = new LocalClient(vertx, "127.0.0.1", g.port)) {
      browser.signInForm("alice", "alice-password");
      StringBuilder shown = new StringBuilder();
      for (Object o : executions) {
        String id = ((JsonObject) o).getString("id");
        shown.append(page(browser, "/dashboard/results?days=3650&execution=" + id));
        for (Object r : g.get("/api/v1/dashboard/results?days=3650&execution=" + id, alice).json().getJsonArray("items")) {
          String conversation = ((JsonObject) r).getString("conversation_id");
          shown.append(page(browser, "/dashboard/conversation?id=" + java.net.URLEncoder.encode(conversation, java.nio.charset.StandardCharsets.UTF_8)));
        }
      }
      shown.append(page(browser, "/dashboard/matrix?days=3650"));
      String all = shown.toString();
      assertTrue(all.contains("&lt;img src"), "the garak prompt's <img onerror> is shown, escaped");
      assertTrue(all.contains("&lt;script&gt;alert("), "the answers' <script> are shown, escaped");
      assertTrue(all.contains("{{{payload}}}"), "template braces are shown as typed, not evaluated");
      assertFalse(all.contains("<img src=x"), "no <img> element from imported text");
      assertFalse(all.contains("<script>alert("), "no <script> element from imported text");
    } finally {
      vertx.close();
    }
  }

  private static String page(LocalClient browser, String path) throws Exception {
    LocalClient.Answer a = browser.get(path);
    assertEquals(200, a.status(), path + ": " + a.body());
    return a.body();
  }
}
