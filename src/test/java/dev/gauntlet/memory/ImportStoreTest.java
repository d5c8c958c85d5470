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
