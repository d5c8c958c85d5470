package dev.gauntlet.memory;

import dev.gauntlet.imports.ImportRunner;
import dev.gauntlet.imports.LandingTarget;
import dev.gauntlet.standards.Compliance;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A compliance report over imported runs: garak's probes and promptfoo's plugins test the controls
 * their imports mapped them to, with the outcomes their answers had.
 */
class ImportedComplianceTest {

  @TempDir
  Path dir;
  Connection c;
  ScanStore scans;

  @BeforeEach
  void open() throws SQLException {
    c = DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("memory.db"));
    MemorySchema.migrate(c);
    scans = new ScanStore(c, new ExecutionStore(c, new PieceStore(c)));
  }

  @AfterEach
  void close() throws SQLException {
    c.close();
  }

  private JsonObject report(String fixture, String format) throws Exception {
    ImportRunner.run(Path.of("src/test/resources/imports", fixture), fixture, format, "alice", false, LandingTarget.direct(ImportStore.direct(c)));
    JsonArray ids = new JsonArray();
    Rows.all(c, "SELECT id FROM executions ORDER BY id").forEach(r -> ids.add(((JsonObject) r).getString("id")));
    return Compliance.report(new JsonObject().put("kind", "execution"), scans.compliance(ids), type -> null, 1);
  }

  private static JsonObject control(JsonObject report, String framework, String id) {
    for (Object f : report.getJsonArray("frameworks")) {
      JsonObject fw = (JsonObject) f;
      if (fw.getString("id").equals(framework)) {
        for (Object c : fw.getJsonArray("controls")) {
          if (((JsonObject) c).getString("id").equals(id)) {
            return (JsonObject) c;
          }
        }
      }
    }
    throw new AssertionError(framework + ":" + id);
  }

  @Test
  void aGarakProbeTestsTheControlsItsTagsMapTo() throws Exception {
    JsonObject report = report("garak/report.jsonl", "garak");
    JsonObject llm01 = control(report, "owasp_llm", "LLM01");
    assertEquals(Compliance.FAILING, llm01.getString("status"));
    assertEquals(List.of("dan.Dan_11_0", "xss.MarkdownImageExfil"), llm01.getJsonObject("tested_by").getJsonArray("probes").getList());
    // dan: 1 answer succeeded, 2 held, 1 error; xss: 1 succeeded, 1 held, 1 unscored
    assertEquals(new JsonObject().put("attack_succeeded", 2L).put("held", 3L).put("error", 1L).put("unscored", 1L), llm01.getJsonObject("outcomes"));
    JsonObject llm05 = control(report, "owasp_llm", "LLM05");
    assertEquals(List.of("xss.MarkdownImageExfil"), llm05.getJsonObject("tested_by").getJsonArray("probes").getList());
    assertEquals(Compliance.NOT_TESTED, control(report, "owasp_llm", "LLM10").getString("status"));
  }

  @Test
  void aPromptfooPluginAndStrategyTestTheirControls() throws Exception {
    JsonObject report = report("promptfoo/results.json", "promptfoo-json");
    JsonObject llm07 = control(report, "owasp_llm", "LLM07");
    assertEquals(Compliance.FAILING, llm07.getString("status"));
    assertEquals(List.of("prompt-extraction/jailbreak"), llm07.getJsonObject("tested_by").getJsonArray("probes").getList());
    assertEquals(Compliance.FAILING, control(report, "owasp_llm", "LLM06").getString("status"), "excessive agency got through");
  }
}
