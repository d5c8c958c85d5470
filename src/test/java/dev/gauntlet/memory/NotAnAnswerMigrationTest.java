package dev.gauntlet.memory;

import dev.gauntlet.schema.Migration;
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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A memory written before turns that are not answers were marked (version 9): memory migration 10
 * marks its fabricated offer, priming reply and earlier chunks, leaves every other row as it was,
 * and rebuilds the dashboard, which then counts the real answers only.
 */
class NotAnAnswerMigrationTest {

  @TempDir
  Path dir;

  @Test
  void olderTurnsThatAreNotAnswersAreMarkedAndTheDashboardRebuiltWithoutThem() throws SQLException {
    Path file = dir.resolve("at-v9.db");
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + file)) {
      MemoryMigrationTest.createPyritTables(c); // PyRIT's keys, index and EmbeddingData foreign key included
      MemoryMigrationTest.insertPyritRows(c);
      try (Statement s = c.createStatement()) {
        s.execute("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, description VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)");
        for (Migration m : MemorySchema.MIGRATIONS.subList(0, 9)) {
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
      }
      // as version 9's runs wrote them: context compliance, skeleton key, a chunked request whose second chunk failed
      piece(c, "cc", 0, "user", "{\"execution_id\": \"e1\", \"fabricated\": true, \"turn\": \"fabricated_question\"}", "none");
      piece(c, "cc", 1, "assistant", "{\"execution_id\": \"e1\", \"fabricated\": true, \"turn\": \"fabricated_offer\"}", "none");
      piece(c, "cc", 2, "user", "{\"execution_id\": \"e1\", \"turn\": \"affirmative\"}", "none");
      piece(c, "cc", 3, "assistant", "{\"execution_id\": \"e1\", \"turn\": \"affirmative\"}", "none");
      piece(c, "sk", 0, "user", "{\"execution_id\": \"e2\", \"turn\": \"priming\"}", "none");
      piece(c, "sk", 1, "assistant", "{\"execution_id\": \"e2\", \"turn\": \"priming\"}", "none");
      piece(c, "sk", 2, "user", "{\"execution_id\": \"e2\"}", "none");
      piece(c, "sk", 3, "assistant", "{\"execution_id\": \"e2\"}", "none");
      piece(c, "ch", 0, "user", "{\"execution_id\": \"e3\", \"chunk\": 1, \"chunks\": 3}", "none");
      piece(c, "ch", 1, "assistant", "{\"execution_id\": \"e3\", \"chunk\": 1, \"chunks\": 3}", "none");
      piece(c, "ch", 2, "user", "{\"execution_id\": \"e3\", \"chunk\": 2, \"chunks\": 3}", "none");
      piece(c, "ch", 3, "assistant", "{\"execution_id\": \"e3\", \"chunk\": 2, \"chunks\": 3}", "timeout");
      try (Statement s = c.createStatement()) {
        s.execute("DELETE FROM dashboard_results");
        s.execute("DELETE FROM dashboard_rollup");
        s.execute("DELETE FROM dashboard_state");
        s.execute(FrozenMigrationSql.V4_REBUILD_RESULTS);
        s.execute(FrozenMigrationSql.V4_REBUILD_ROLLUP);
        s.execute(FrozenMigrationSql.V4_REBUILD_STATE);
      }
      assertEquals(7L, count(c, "SELECT sum(responses) FROM dashboard_rollup"), "version 9 counted every assistant piece");
    }

    try (UserMemory memory = UserMemory.open("alice", file, "64MB", 1)) {
      JsonObject summary = memory.dashboard().summary(DashboardFilter.ALL);
      // PyRIT's own answer, context compliance's and skeleton key's answers, and the failed chunk (the prompt's error)
      assertEquals(4L, summary.getLong("responses"), summary.encode());
      JsonObject outcomes = summary.getJsonObject("outcomes");
      assertEquals(4L, outcomes.getLong("results"), outcomes.encode());
      assertEquals(1L, outcomes.getLong("errors"), outcomes.encode());
      assertEquals(2L, outcomes.getLong("unscored"), "the two unscored real answers, not the turns before them: " + outcomes.encode());
    }
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + file)) {
      assertEquals(3L, count(c, "SELECT count(*) FROM PromptMemoryEntries WHERE (prompt_metadata ->> 'not_an_answer') = 'true'"));
      for (String marked : new String[] {"cc-1", "sk-1", "ch-1"}) {
        assertTrue(one(c, marked).contains("\"not_an_answer\""), marked + ": " + one(c, marked));
      }
      for (String kept : new String[] {"cc-0", "cc-3", "sk-3", "ch-3"}) {
        assertFalse(one(c, kept).contains("not_an_answer"), kept + " is unchanged: " + one(c, kept));
      }
      assertEquals("{}", String.valueOf(oneById(c, MemoryMigrationTest.ANSWER)), "PyRIT's rows are not touched");
      assertEquals(1L, count(c, "SELECT count(*) FROM EmbeddingData"));
    }
  }

  private static void piece(Connection c, String conversation, int sequence, String role, String metadata, String error)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO PromptMemoryEntries VALUES (uuid(), ?, ?, ?, now(), '{}', ?, NULL, "
        + "'{\"name\": \"target\"}', NULL, ?, 'text', ?, NULL, 'text', ?, NULL, uuid())")) {
      ps.setString(1, role);
      ps.setString(2, conversation);
      ps.setInt(3, sequence);
      ps.setString(4, metadata);
      ps.setString(5, error);
      ps.setString(6, conversation + "-" + sequence);
      ps.setString(7, conversation + "-" + sequence);
      ps.executeUpdate();
    }
  }

  private static String one(Connection c, String value) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT CAST(prompt_metadata AS VARCHAR) FROM PromptMemoryEntries WHERE original_value = ?")) {
      ps.setString(1, value);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getString(1);
      }
    }
  }

  private static String oneById(Connection c, String id) throws SQLException {
    try (ResultSet rs = c.createStatement().executeQuery("SELECT CAST(prompt_metadata AS VARCHAR) FROM PromptMemoryEntries WHERE id = '"
        + id + "'")) {
      rs.next();
      return rs.getString(1);
    }
  }

  private static long count(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
