package dev.gauntlet.memory;

import dev.gauntlet.Problem;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImportStoreTest {

  @TempDir
  Path dir;
  Connection c;

  @BeforeEach
  void open() throws SQLException {
    c = DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("memory.db"));
    MemorySchema.migrate(c);
  }

  @AfterEach
  void close() throws SQLException {
    c.close();
  }

  @Test
  void stagedRowsLandOnlyAtCommitAndASecondImportAddsNothing() throws SQLException {
    JsonObject first = importOnce(false);
    assertEquals(3, first.getJsonObject("tables").getJsonObject("PromptMemoryEntries").getLong("added"));
    assertEquals(1, first.getJsonObject("tables").getJsonObject("executions").getLong("added"));
    assertEquals(3, count("PromptMemoryEntries"));
    assertEquals("imported", one("SELECT kind FROM executions"));
    assertEquals("PyRIT", one("SELECT source_tool FROM executions"));
    assertEquals("held", one("SELECT outcome FROM execution_results"));
    JsonObject second = importOnce(false);
    assertEquals(0, second.getJsonObject("tables").getJsonObject("PromptMemoryEntries").getLong("added"));
    assertEquals(3, second.getJsonObject("tables").getJsonObject("PromptMemoryEntries").getLong("present"));
    assertEquals(3, count("PromptMemoryEntries"));
    assertEquals(1, count("execution_results"));
    assertEquals(0, count("information_schema.tables WHERE table_name LIKE 'import_staging_%'"), "no staging table is left");
  }

  @Test
  void aDryRunCountsWhatWouldLandAndStoresNothing() throws SQLException {
    JsonObject dry = importOnce(true);
    assertEquals(3, dry.getJsonObject("tables").getJsonObject("PromptMemoryEntries").getLong("added"));
    assertEquals(0, count("PromptMemoryEntries"));
    assertEquals(0, count("executions"));
  }

  @Test
  void aRowOfAnUnknownColumnIsRefusedNamingTableAndColumn() throws SQLException {
    ImportStore store = ImportStore.direct(c);
    String id = ImportStore.newId();
    store.begin(id);
    Problem p = assertThrows(Problem.class, () -> store.stage(id, null,
        new JsonObject().put("executions", new JsonArray().add(new JsonObject().put("id", "x").put("nonsense", 1)))));
    assertTrue(p.getMessage().contains("executions") && p.getMessage().contains("nonsense"), p.getMessage());
    store.abort(id);
    assertEquals(0, count("executions"));
  }

  @Test
  void aRowBreakingAConstraintFailsTheCommitNamingItsTableAndStoresNothing() throws SQLException {
    ImportStore store = ImportStore.direct(c);
    String id = ImportStore.newId();
    store.begin(id);
    store.stage(id, batch(), null);
    // an execution without its required status
    store.stage(id, null, new JsonObject().put("executions", new JsonArray().add(new JsonObject().put("id", "e1")
        .put("orchestrator_id", "").put("orchestrator", "{}").put("created_at", "2025-01-01T00:00:00").put("updated_at", "2025-01-01T00:00:00"))));
    SQLException e = assertThrows(SQLException.class, () -> store.commit(id, false));
    assertTrue(e.getMessage().contains("executions"), e.getMessage());
    assertEquals(0, count("PromptMemoryEntries"), "nothing of the file stays");
  }

  @Test
  void resultsStagedAsRowsOfValuesLandColumnByColumnAndAPartialOverlapAddsOnlyTheMissingOnes() throws SQLException {
    java.time.LocalDateTime at = java.time.LocalDateTime.of(2025, 9, 1, 10, 0, 2, 123_456_000);
    JsonObject first = importResults(0, 2, at);
    assertEquals(2, first.getJsonObject("tables").getJsonObject("execution_results").getLong("added"));
    assertEquals("e1|0|conv-0|failed|false|error|timed out|timed out|imported|2025-09-01 10:00:02.123456",
        one("SELECT concat_ws('|', execution_id, prompt_index, conversation_id, status, attack_success, outcome, reason, error, error_class, "
            + "strftime(completed_at, '%Y-%m-%d %H:%M:%S.%f')) FROM execution_results WHERE conversation_id = 'conv-0'"));
    assertEquals("succeeded|true|attack_succeeded|", one("SELECT concat_ws('|', status, attack_success, outcome, coalesce(error, '')) "
        + "FROM execution_results WHERE conversation_id = 'conv-1'"));
    // the file grew by two conversations: the two already stored are present, the other two added, none twice
    JsonObject second = importResults(0, 4, at);
    assertEquals(2, second.getJsonObject("tables").getJsonObject("execution_results").getLong("added"));
    assertEquals(2, second.getJsonObject("tables").getJsonObject("execution_results").getLong("present"));
    assertEquals("conv-0,conv-1,conv-2,conv-3", one("SELECT string_agg(conversation_id, ',' ORDER BY conversation_id) FROM execution_results"));
  }

  @Test
  void aRowOfValuesOfTheWrongLengthIsRefusedAndNothingOfTheFileStays() throws SQLException {
    ImportStore store = ImportStore.direct(c);
    String id = ImportStore.newId();
    store.begin(id);
    store.stage(id, batch(), null);
    Problem p = assertThrows(Problem.class, () -> store.stage(id, null, new JsonObject().put(ImportStore.RESULTS,
        new JsonArray().add(new JsonArray().add("e1").add(0)))));
    assertTrue(p.getMessage().contains("execution_results"), p.getMessage());
    store.abort(id);
    assertEquals(0, count("PromptMemoryEntries"));
    assertEquals(0, count("execution_results"));
  }

  /** Results of conversations {@code from} to {@code to} (exclusive) of one execution, as an importer's landing stages them. */
  private JsonObject importResults(int from, int to, java.time.LocalDateTime at) throws SQLException {
    ImportStore store = ImportStore.direct(c);
    String id = ImportStore.newId();
    store.begin(id);
    JsonArray rows = new JsonArray();
    for (int i = from; i < to; i++) {
      boolean error = i == 0;
      rows.add(new JsonArray(java.util.Arrays.asList("e1", i, "conv-" + i, error ? "failed" : "succeeded", !error,
          error ? "error" : "attack_succeeded", error ? "timed out" : null, error ? "timed out" : null, error ? "imported" : null,
          ImportStore.epochMicros(at))));
    }
    store.stage(id, null, new JsonObject().put(ImportStore.RESULTS, rows));
    return store.commit(id, false);
  }

  private JsonObject importOnce(boolean dryRun) throws SQLException {
    ImportStore store = ImportStore.direct(c);
    String id = ImportStore.newId();
    store.begin(id);
    store.stage(id, batch(), null);
    store.stage(id, null, new JsonObject().put("executions", new JsonArray().add(new JsonObject().put("id", "e1")
            .put("orchestrator_id", "").put("orchestrator", new JsonObject().put("name", "imported")).put("status", "completed")
            .put("total", 1).put("created_at", "2025-01-01T00:00:00Z").put("updated_at", "2025-01-01 00:00:00")
            .put("kind", "imported").put("source_tool", "PyRIT")))
        .put("execution_results", new JsonArray().add(new JsonObject().put("execution_id", "e1").put("prompt_index", 0)
            .put("conversation_id", "conv").put("status", "succeeded").put("attack_success", false).put("outcome", "held")
            .put("completed_at", "2025-01-01T00:00:00"))));
    return store.commit(id, dryRun);
  }

  private static PieceBatch batch() {
    JsonArray pieces = new JsonArray();
    for (int i = 0; i < 3; i++) {
      pieces.add(new JsonObject().put("id", UUID.nameUUIDFromBytes(("p" + i).getBytes()).toString()).put("role", i == 0 ? "user" : "assistant")
          .put("conversation_id", "conv").put("sequence", i).put("original_value", "v" + i));
    }
    return PieceBatch.parse(new JsonObject().put("pieces", pieces));
  }

  private long count(String from) throws SQLException {
    return Long.parseLong(one("SELECT count(*) FROM " + from));
  }

  private String one(String sql) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }
}
