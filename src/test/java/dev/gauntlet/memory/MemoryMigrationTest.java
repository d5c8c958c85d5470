package dev.gauntlet.memory;

import dev.gauntlet.schema.Migration;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Memory files written by PyRIT, and by earlier Gauntlet versions, open as a user's memory:
 * upgraded in place to the latest schema version, every row kept, and usable at once. Holds for
 * any number of migrations: files are built at every version before the latest.
 */
class MemoryMigrationTest {

  static final String PIECE = "2f7d1c2a-0000-4000-8000-000000000001";
  static final String ANSWER = "2f7d1c2a-0000-4000-8000-000000000002";

  @TempDir
  Path dir;

  static int latest() {
    return MemorySchema.MIGRATIONS.get(MemorySchema.MIGRATIONS.size() - 1).version();
  }

  @Test
  void migrationsAreNumberedInOrderFromOne() {
    for (int i = 0; i < MemorySchema.MIGRATIONS.size(); i++) {
      assertEquals(i + 1, MemorySchema.MIGRATIONS.get(i).version(), "migration at position " + i);
    }
  }

  /** DuckDB tables as PyRIT's SQLAlchemy models create them: primary keys, foreign keys, its index and EmbeddingData. */
  static void createPyritTables(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("""
          CREATE TABLE "PromptMemoryEntries" (id UUID NOT NULL, role VARCHAR NOT NULL, conversation_id VARCHAR NOT NULL,
            sequence INTEGER NOT NULL, timestamp TIMESTAMP NOT NULL, labels JSON, prompt_metadata JSON,
            converter_identifiers JSON, prompt_target_identifier JSON, orchestrator_identifier JSON, response_error VARCHAR,
            original_value_data_type VARCHAR NOT NULL, original_value VARCHAR NOT NULL, original_value_sha256 VARCHAR,
            converted_value_data_type VARCHAR NOT NULL, converted_value VARCHAR, converted_value_sha256 VARCHAR,
            original_prompt_id UUID NOT NULL, PRIMARY KEY (id))""");
      s.execute("CREATE INDEX idx_conversation_id ON \"PromptMemoryEntries\" (conversation_id)");
      s.execute("""
          CREATE TABLE "EmbeddingData" (id UUID NOT NULL, embedding FLOAT[], embedding_type_name VARCHAR,
            PRIMARY KEY (id), FOREIGN KEY(id) REFERENCES "PromptMemoryEntries" (id))""");
      s.execute("""
          CREATE TABLE "ScoreEntries" (id UUID NOT NULL, score_value VARCHAR NOT NULL, score_value_description VARCHAR,
            score_type VARCHAR NOT NULL, score_category VARCHAR NOT NULL, score_rationale VARCHAR, score_metadata VARCHAR,
            scorer_class_identifier JSON, prompt_request_response_id UUID, timestamp TIMESTAMP NOT NULL, task VARCHAR,
            PRIMARY KEY (id), FOREIGN KEY(prompt_request_response_id) REFERENCES "PromptMemoryEntries" (id))""");
      s.execute("""
          CREATE TABLE "SeedPromptEntries" (id UUID NOT NULL, value VARCHAR NOT NULL, value_sha256 VARCHAR,
            data_type VARCHAR NOT NULL, name VARCHAR, dataset_name VARCHAR, harm_categories JSON, description VARCHAR,
            authors JSON, groups JSON, source VARCHAR, date_added TIMESTAMP NOT NULL, added_by VARCHAR NOT NULL,
            prompt_metadata JSON, parameters JSON, prompt_group_id UUID, sequence INTEGER, PRIMARY KEY (id))""");
    }
  }

  /** A conversation of two pieces, a score, an embedding and a seed prompt, as PyRIT stores them. */
  static void insertPyritRows(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("INSERT INTO PromptMemoryEntries VALUES ('" + PIECE + "', 'user', 'conv-pyrit', 0, TIMESTAMP '2025-01-02 03:04:05', "
          + "'{\"op_name\": \"probe\"}', '{}', '[]', '{\"__type__\": \"OpenAIChatTarget\"}', '{\"__type__\": \"PromptSendingOrchestrator\"}', "
          + "'none', 'text', 'how do I pick a lock?', NULL, 'text', 'how do I pick a lock?', NULL, '" + PIECE + "')");
      s.execute("INSERT INTO PromptMemoryEntries VALUES ('" + ANSWER + "', 'assistant', 'conv-pyrit', 1, TIMESTAMP '2025-01-02 03:04:06', "
          + "'{\"op_name\": \"probe\"}', '{}', '[]', '{\"__type__\": \"OpenAIChatTarget\"}', '{\"__type__\": \"PromptSendingOrchestrator\"}', "
          + "'none', 'text', 'I cannot help with that.', NULL, 'text', 'I cannot help with that.', NULL, '" + ANSWER + "')");
      s.execute("INSERT INTO ScoreEntries VALUES (uuid(), 'False', NULL, 'true_false', 'jailbreak', 'refused', NULL, "
          + "'{\"__type__\": \"SelfAskRefusalScorer\"}', '" + ANSWER + "', TIMESTAMP '2025-01-02 03:04:07', NULL)");
      s.execute("INSERT INTO EmbeddingData VALUES ('" + ANSWER + "', [0.25, 0.5], 'ada-002')");
      s.execute("INSERT INTO SeedPromptEntries VALUES (uuid(), 'tell me a secret', NULL, 'text', 'secret', 'pyrit-set', "
          + "'[\"privacy\"]', NULL, '[]', '[]', 'pyrit', TIMESTAMP '2025-01-01 00:00:00', 'someone', NULL, NULL, NULL, 0)");
    }
  }

  /** A file at {@code version}: 0 is a PyRIT-only file (what precedes migration 1); later ones have Gauntlet's migrations up to it applied, and rows in Gauntlet's tables. */
  Path fileAt(int version) throws SQLException {
    Path file = dir.resolve("memory-at-v" + version + ".db");
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + file)) {
      createPyritTables(c);
      insertPyritRows(c);
      if (version == 0) {
        return file;
      }
      try (Statement s = c.createStatement()) {
        s.execute("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, description VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)");
        for (Migration m : MemorySchema.MIGRATIONS.subList(0, version)) {
          for (String sql : m.statements()) {
            s.execute(sql);
          }
          try (PreparedStatement ps = c.prepareStatement("INSERT INTO schema_version VALUES (?, ?, ?)")) {
            ps.setInt(1, m.version());
            ps.setString(2, m.description());
            ps.setObject(3, LocalDateTime.now());
            ps.executeUpdate();
          }
        }
        // rows in version 1's Gauntlet tables, as that version wrote them
        s.execute("INSERT INTO generators VALUES ('g1', 'old target', 'openai_chat', '{\"model\": \"m\"}', now(), now())");
        s.execute("INSERT INTO executions (id, orchestrator_id, orchestrator, status, total, created_at, updated_at) "
            + "VALUES ('e1', 'o1', '{\"type\": \"prompt_sending\"}', 'completed', 1, now(), now())");
        s.execute("INSERT INTO execution_results (execution_id, prompt_index, conversation_id, status, attack_success, error, completed_at) "
            + "VALUES ('e1', 0, 'conv-pyrit', 'succeeded', false, NULL, now())");
      }
    }
    return file;
  }

  @Test
  void everyOlderMemoryFileUpgradesInPlaceKeepingEveryRow() throws SQLException {
    for (int version = 0; version <= MemorySchema.MIGRATIONS.size(); version++) { // files with the first N migrations applied
      Path file = fileAt(version);
      String at = "from version " + version;
      try (UserMemory memory = UserMemory.open("alice", file, "64MB", 1)) {
        JsonObject status = memory.status();
        assertEquals(latest(), status.getInteger("schema_version"), at);
        JsonObject tables = status.getJsonObject("tables");
        assertEquals(2, tables.getLong("PromptMemoryEntries"), at);
        assertEquals(1, tables.getLong("ScoreEntries"), at);
        assertEquals(1, tables.getLong("SeedPromptEntries"), at);
        assertEquals(version == 0 ? 0 : 1, tables.getLong("generators"), at);
        assertEquals(version == 0 ? 0 : 1, tables.getLong("execution_results"), at);

        // still usable: a new conversation and its score go in beside PyRIT's rows
        JsonObject added = memory.pieces().append(PieceBatch.parse(batch()));
        assertEquals(2, added.getInteger("pieces"), at);
        assertEquals(1, added.getInteger("scores"), at);
      }
      try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + file)) {
        assertEquals("how do I pick a lock?", one(c, "SELECT original_value FROM PromptMemoryEntries WHERE id = '" + PIECE + "'"), at);
        assertEquals("{\"op_name\": \"probe\"}", one(c, "SELECT labels FROM PromptMemoryEntries WHERE id = '" + PIECE + "'"), at);
        assertEquals("jailbreak", one(c, "SELECT score_category FROM ScoreEntries WHERE prompt_request_response_id = '" + ANSWER + "'"), at);
        assertEquals("ada-002", one(c, "SELECT embedding_type_name FROM EmbeddingData"), at);
        assertEquals("4", one(c, "SELECT count(*) FROM PromptMemoryEntries"), at);
        assertEquals(version == 0 ? "0" : "old target", one(c, version == 0 ? "SELECT count(*) FROM generators"
            : "SELECT name FROM generators WHERE id = 'g1'"), at);
        List<String> applied = column(c, "SELECT version FROM schema_version ORDER BY version");
        assertEquals(versions(), applied, at + ": each migration recorded once, in order");
        if (version > 0) {
          // a result row from before outcomes were kept reads by the rule: answered, no attack success: held
          assertEquals("held", one(c, "SELECT " + DashboardQueries.EXECUTION_RESULT_OUTCOME + " FROM execution_results"), at);
          try (Statement s = c.createStatement()) {
            s.execute("INSERT INTO execution_results (execution_id, prompt_index, conversation_id, status, attack_success, error, "
                + "completed_at) VALUES ('e1', 1, 'c', 'failed', false, 'connection', now())");
          }
          assertEquals("error", one(c, "SELECT " + DashboardQueries.EXECUTION_RESULT_OUTCOME
              + " FROM execution_results WHERE prompt_index = 1"), at + ": an old unanswered row is an error");
        }
        // PyRIT's own ScoreEntries (score_value NOT NULL there) now takes an undetermined score
        try (Statement s = c.createStatement()) {
          s.execute("INSERT INTO ScoreEntries (id, score_value, score_type, score_category, timestamp) "
              + "VALUES (uuid(), NULL, 'true_false', 'x', now())");
        }
      }
    }
  }

  @Test
  void migratingAgainChangesNothing() throws SQLException {
    Path file = fileAt(0);
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + file)) {
      MemorySchema.migrate(c);
      List<String> tables = column(c, "SELECT table_name FROM information_schema.tables ORDER BY table_name");
      String appliedAt = one(c, "SELECT max(applied_at) FROM schema_version");
      MemorySchema.migrate(c);
      MemorySchema.migrate(c);
      assertEquals(tables, column(c, "SELECT table_name FROM information_schema.tables ORDER BY table_name"));
      assertEquals(versions(), column(c, "SELECT version FROM schema_version ORDER BY version"));
      assertEquals(appliedAt, one(c, "SELECT max(applied_at) FROM schema_version"));
      assertEquals("2", one(c, "SELECT count(*) FROM PromptMemoryEntries"));
    }
  }

  private static List<String> versions() {
    return MemorySchema.MIGRATIONS.stream().map(m -> Integer.toString(m.version())).toList();
  }

  /** A conversation and its score as an execution commits them (scorers always name a category, which PyRIT requires). */
  private static JsonObject batch() {
    String prompt = UUID.randomUUID().toString();
    String answer = UUID.randomUUID().toString();
    JsonArray pieces = new JsonArray()
        .add(new JsonObject().put("id", prompt).put("role", "user").put("conversation_id", "conv-new").put("sequence", 0)
            .put("original_value", "a new prompt"))
        .add(new JsonObject().put("id", answer).put("role", "assistant").put("conversation_id", "conv-new").put("sequence", 1)
            .put("original_value", "a new answer"));
    JsonArray scores = new JsonArray().add(new JsonObject().put("id", UUID.randomUUID().toString()).put("score_value", true)
        .put("score_type", "true_false").put("score_category", "jailbreak").put("prompt_request_response_id", answer)
        .put("scorer_class_identifier", new JsonObject().put("__type__", "SubStringScorer")));
    return new JsonObject().put("pieces", pieces).put("scores", scores);
  }

  private static String one(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }

  private static List<String> column(Connection c, String sql) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }
}
