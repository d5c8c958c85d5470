package dev.gauntlet.memory;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;
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

class AppendTransactionTest {

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
  void batchLargerThanOneDuckdbChunkIsStoredWhole() throws SQLException {
    JsonObject reply = new PieceStore(c).append(PieceBatch.parse(batch(5_000)));
    assertEquals(5_000, reply.getInteger("pieces"));
    assertEquals(5_000, reply.getInteger("scores"));
    assertEquals(5_000, count("PromptMemoryEntries"));
    assertEquals(5_000, count("ScoreEntries"));
  }

  @Test
  void batchOfWholeFlushesIsStoredWhole() throws SQLException {
    new PieceStore(c).append(PieceBatch.parse(batch(2 * Appends.FLUSH_ROWS)));
    assertEquals(2 * Appends.FLUSH_ROWS, count("PromptMemoryEntries"));
  }

  @Test
  void resentBatchStoresEachRowOnce() throws SQLException {
    PieceStore store = new PieceStore(c);
    JsonObject body = batch(3_000);
    store.append(PieceBatch.parse(body));
    JsonObject again = store.append(PieceBatch.parse(body));
    assertEquals(0, again.getInteger("pieces"));
    assertEquals(6_000, again.getInteger("duplicates"));
    assertEquals(3_000, count("PromptMemoryEntries"));
    assertEquals(3_000, count("ScoreEntries"));
  }

  @Test
  void appendsThatFailHalfwayStoreNothing() throws SQLException {
    DuckDBConnection duck = c.unwrap(DuckDBConnection.class);
    assertThrows(SQLException.class, () -> Appends.inTransaction(c, () -> {
      DuckDBAppender a = duck.createAppender("main", "ScoreEntries");
      try {
        a.beginRow().append(UUID.randomUUID()).append("true").append((String) null).append("true_false")
            .append((String) null).append((String) null).append((String) null).append((String) null)
            .append(UUID.randomUUID()).append(java.time.LocalDateTime.now()).append((String) null);
        Appends.flush(a, Appends.endRow(a, 0, "ScoreEntries"), "ScoreEntries");
      } finally {
        Appends.close(a);
      }
      throw new SQLException("the second table failed");
    }));
    assertEquals(0, count("ScoreEntries"));
  }

  private long count(String table) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static JsonObject batch(int n) {
    JsonArray pieces = new JsonArray();
    JsonArray scores = new JsonArray();
    for (int i = 0; i < n; i++) {
      String id = UUID.randomUUID().toString();
      pieces.add(new JsonObject().put("id", id).put("role", "user").put("conversation_id", "c" + i)
          .put("original_value", "prompt " + i)
          .put("prompt_target_identifier", new JsonObject().put("__type__", "OpenAIChatTarget").put("name", "gen-1")));
      scores.add(new JsonObject().put("id", UUID.randomUUID().toString()).put("score_value", i % 3 == 0)
          .put("score_type", "true_false").put("prompt_request_response_id", id)
          .put("scorer_class_identifier", new JsonObject().put("__type__", "SubStringScorer").put("name", "refusal")));
    }
    return new JsonObject().put("pieces", pieces).put("scores", scores);
  }
}
