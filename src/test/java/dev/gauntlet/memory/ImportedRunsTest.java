package dev.gauntlet.memory;

import dev.gauntlet.imports.ImportRunner;
import dev.gauntlet.imports.LandingTarget;
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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Imported garak and promptfoo runs read by the dashboard, compare and re-scoring as any execution is. */
class ImportedRunsTest {

  @TempDir
  Path dir;
  Connection c;
  String garak;
  String promptfoo;

  @BeforeEach
  void open() throws Exception {
    c = DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("memory.db"));
    MemorySchema.migrate(c);
    ImportRunner.run(Path.of("src/test/resources/imports/garak/report.jsonl"), "report.jsonl", "garak", "alice", false,
        LandingTarget.direct(ImportStore.direct(c)));
    garak = Rows.all(c, "SELECT id FROM executions").getJsonObject(0).getString("id");
    ImportRunner.run(Path.of("src/test/resources/imports/promptfoo/results.json"), "results.json", "promptfoo-json", "alice", false,
        LandingTarget.direct(ImportStore.direct(c)));
    promptfoo = Rows.all(c, "SELECT id FROM executions WHERE (orchestrator ->> 'name') LIKE 'promptfoo%mini'").getJsonObject(0).getString("id");
  }

  @AfterEach
  void close() throws SQLException {
    c.close();
  }

  @Test
  void theDashboardCountsAnImportedRunsAnswersByOutcome() throws SQLException {
    JsonObject summary = new Dashboard(c).summary(new DashboardFilter(DashboardFilter.MAX_DAYS, null, "openai gpt-4o-mini", null, null, null));
    JsonObject outcomes = summary.getJsonObject("outcomes");
    assertEquals(7, outcomes.getLong("results"), summary.encode());
    assertEquals(2, outcomes.getLong("attack_succeeded"));
    assertEquals(3, outcomes.getLong("held"));
    assertEquals(1, outcomes.getLong("errors"));
    assertEquals(1, outcomes.getLong("unscored"));
  }

  @Test
  void compareSetsAGarakRunBesideAnother() throws SQLException {
    JsonObject compared = new Dashboard(c).compare(garak, promptfoo);
    assertTrue(compared.encode().contains("garak dan.DAN"), compared.encode());
    assertTrue(compared.encode().contains("promptfoo plugin prompt-extraction"), compared.encode());
  }

  @Test
  void theReviewQueueOffersAnImportedRunsUnscoredAnswerAndDetectorDisagreements() throws SQLException {
    ReviewStore reviews = new ReviewStore(c);
    JsonObject unscored = reviews.queue("unscored", garak, null, 10, "s", false, 0, 10);
    assertEquals(1, unscored.getLong("total"), unscored.encode());
    assertTrue(unscored.encode().contains("a5e0b6a2"), "the answer garak never evaluated: " + unscored.encode());
    JsonObject sample = reviews.queue("sample", garak, null, 10, "s", false, 0, 50);
    assertTrue(sample.getLong("total") >= 5, sample.encode());
  }

  @Test
  void reScoringFreezesAnImportedRunsAnswers() throws SQLException {
    JsonObject job = new RescoreStore(c, new PieceStore(c)).create(garak, new JsonArray(), new JsonObject());
    assertEquals(6, job.getInteger("total"), "7 answers, one of them an error");
  }
}
