package dev.gauntlet.memory;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The dashboard's tables, kept at each append, hold what rebuilding them from every row gives. */
class DashboardIndexTest {

  @TempDir
  Path dir;
  Connection c;
  PieceStore store;

  @BeforeEach
  void open() throws SQLException {
    c = DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("memory.db"));
    MemorySchema.migrate(c);
    store = new PieceStore(c);
  }

  @AfterEach
  void close() throws SQLException {
    c.close();
  }

  @Test
  void tablesKeptAtEachAppendEqualARebuildFromEveryRow() throws SQLException {
    JsonObject red = new JsonObject().put("op_name", "red").put("harm", "cyber");
    JsonObject blue = new JsonObject().put("op_name", "blue");
    DashboardData d = new DashboardData();
    // executions' batches: prompts, answers and their scores together, over several days
    for (int i = 0; i < 40; i++) {
      Instant at = DashboardData.daysAgo(i % 9);
      UUID answer = d.exchange("prompt " + i, "answer " + i, at, "gen-" + (i % 3), "exec-" + (i % 4), i % 2 == 0 ? red : blue);
      d.score(answer, "refusal", "true_false", i % 3 == 0 ? "true" : "false", at.plusSeconds(2),
          new JsonObject().put("attack_success", i % 3 != 0));
      d.score(answer, "harm", "float_scale", Double.toString((i % 10) / 10.0), at.plusSeconds(2), null);
    }
    store.append(d.batch());

    // a PyRIT client: no execution, no target; prompt and answer in separate batches, scores later still
    d.clear();
    String conversation = UUID.randomUUID().toString();
    UUID prompt = UUID.randomUUID();
    d.piece(prompt, "user", conversation, 0, DashboardData.daysAgo(2), null, null, null, "a lone prompt");
    store.append(d.batch());
    d.clear();
    UUID answer = UUID.randomUUID();
    d.piece(answer, "assistant", conversation, 1, DashboardData.daysAgo(2), null, null, null, "a lone answer");
    store.append(d.batch());
    d.clear();
    d.score(answer, "jailbreak", "true_false", "True", DashboardData.daysAgo(1), null);
    d.score(prompt, "jailbreak", "true_false", "false", DashboardData.daysAgo(1), null); // a scored prompt is a result too
    d.score(UUID.randomUUID(), "jailbreak", "true_false", "true", DashboardData.daysAgo(1), null); // of no stored piece
    store.append(d.batch());

    // more scores for answers of the first batch, by a scorer new to them
    d.clear();
    List<UUID> earlier = answers(5);
    for (UUID id : earlier) {
      d.score(id, "likert", "float_scale", "0.75", Instant.now(), null);
    }
    store.append(d.batch());

    List<String> kept = snapshot();
    assertTrue(kept.size() > 40, "the tables hold rows: " + kept.size());
    Appends.inTransaction(c, () -> DashboardIndex.rebuild(c));
    assertSameRows(kept, snapshot());
  }

  @Test
  void successIsDecidedAsTheSqlDecidesIt() throws SQLException {
    String[][] cases = {
        {"true_false", "true", null}, {"true_false", "TRUE", null}, {"true_false", "false", null},
        {"true_false", "1", null}, {"float_scale", "0.5", null}, {"float_scale", "0.49", null}, {"float_scale", " 0.7 ", null},
        {"float_scale", "1e0", null}, {"float_scale", ".5", null}, {"float_scale", "NaN", null}, {"float_scale", "-inf", null},
        {"float_scale", "inf", null}, {"float_scale", "0x10", null}, {"float_scale", "1,5", null}, {"float_scale", "true", null},
        {"float_scale", "", null}, {"true_false", "true", "{\"attack_success\": false}"},
        {"true_false", "false", "{\"attack_success\": true}"}, {"true_false", "false", "{\"attack_success\": \"yes\"}"},
        {"true_false", "true", "{\"attack_success\": \"maybe\"}"}, {"true_false", "false", "{\"attack_success\": 1}"},
        {"true_false", "true", "{\"attack_success\": 0.0}"}, {"true_false", "false", "[\"attack_success\"]"},
        {"true_false", "false", "{\"attack_success\": tru"}, {"float_scale", "0.9", "{\"other\": {\"attack_success\": false}}"},
        {"true_false", "true", "{\"attack_success\": null}"},
    };
    String sql = "SELECT " + MemoryQueries.success("") + " FROM (SELECT ? AS score_type, ? AS score_value, ? AS score_metadata)";
    for (String[] k : cases) {
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        ps.setString(1, k[0]);
        ps.setString(2, k[1]);
        ps.setString(3, k[2]);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          boolean expected = rs.getBoolean(1); // NULL reads as false, as count(*) FILTER counts it
          assertEquals(expected, DashboardRules.success(k[0], k[1], k[2]), k[0] + " '" + k[1] + "' " + k[2]);
        }
      }
    }
  }

  @Test
  void migrationFillsTheDashboardFromAFileWrittenBeforeIt() throws SQLException {
    DashboardData d = new DashboardData();
    for (int i = 0; i < 12; i++) {
      UUID answer = d.exchange("p" + i, "a" + i, DashboardData.daysAgo(i), "gen", "exec-1", null);
      d.score(answer, "refusal", "true_false", i < 4 ? "true" : "false", DashboardData.daysAgo(i), null);
    }
    store.append(d.batch());
    List<String> expected = snapshot();
    // the file as a version-1 memory had it: the same pieces and scores, no dashboard tables
    try (Statement s = c.createStatement()) {
      s.execute("DROP TABLE dashboard_rollup");
      s.execute("DROP TABLE dashboard_results");
      s.execute("DELETE FROM schema_version WHERE version >= 2");
    }
    c.close();
    c = DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("memory.db"));
    MemorySchema.migrate(c);
    assertEquals(MemorySchema.MIGRATIONS.get(MemorySchema.MIGRATIONS.size() - 1).version(), MemorySchema.currentVersion(c));
    assertSameRows(expected, snapshot());
    JsonObject summary = new Dashboard(c).summary(DashboardFilter.ALL);
    assertEquals(12, summary.getLong("prompts"));
    assertEquals(4, summary.getLong("successes"));
  }

  @Test
  void aFailedBatchLeavesTheDashboardAsItWas() throws SQLException {
    DashboardData d = new DashboardData();
    UUID answer = d.exchange("p", "a", Instant.now(), "gen", "exec", null);
    d.score(answer, "refusal", "true_false", "true", Instant.now(), null);
    store.append(d.batch());
    List<String> before = snapshot();
    d.clear();
    UUID other = d.exchange("q", "b", Instant.now(), "gen", "exec", null);
    d.score(other, "refusal", "true_false", "true", Instant.now(), null);
    PieceBatch batch = d.batch();
    org.junit.jupiter.api.Assertions.assertThrows(SQLException.class, () -> store.append(batch, () -> {
      throw new SQLException("the result rows failed");
    }));
    assertSameRows(before, snapshot());
    assertFalse(before.isEmpty());
  }

  @Test
  void piecesMergedFromAStrayFileCountOnTheDashboard() throws SQLException {
    DashboardData d = new DashboardData();
    UUID answer = d.exchange("mine", "a", Instant.now(), "gen", "exec-1", null);
    d.score(answer, "refusal", "true_false", "true", Instant.now(), null);
    store.append(d.batch());
    Path stray = dir.resolve("orchestrator_memory_stray.db");
    try (Connection other = DriverManager.getConnection("jdbc:duckdb:" + stray)) {
      MemorySchema.migrate(other);
      DashboardData s = new DashboardData();
      for (int i = 0; i < 3; i++) {
        UUID id = s.exchange("stray " + i, "b", Instant.now(), "old-gen", "exec-old", null);
        s.score(id, "refusal", "true_false", "false", Instant.now(), null);
      }
      new PieceStore(other).append(s.batch());
    }
    Consolidation.merge(c, stray, false);
    JsonObject summary = new Dashboard(c).summary(DashboardFilter.ALL);
    assertEquals(4, summary.getLong("prompts"));
    assertEquals(4, summary.getLong("scores"));
    assertEquals(2, summary.getLong("executions"));
    List<String> merged = snapshot();
    Appends.inTransaction(c, () -> DashboardIndex.rebuild(c));
    assertSameRows(merged, snapshot());
  }

  private List<UUID> answers(int n) throws SQLException {
    List<UUID> out = new ArrayList<>();
    try (Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT id FROM PromptMemoryEntries WHERE role = 'assistant' AND "
             + "prompt_metadata IS NOT NULL ORDER BY id LIMIT " + n)) {
      while (rs.next()) {
        out.add(rs.getObject(1, UUID.class));
      }
    }
    return out;
  }

  /** Fails naming the rows only one side has. */
  private static void assertSameRows(List<String> expected, List<String> actual) {
    List<String> missing = new ArrayList<>(expected);
    missing.removeAll(actual);
    List<String> extra = new ArrayList<>(actual);
    extra.removeAll(expected);
    assertTrue(missing.isEmpty() && extra.isEmpty() && expected.size() == actual.size(),
        "expected but missing: " + missing.stream().limit(5).toList() + "\nnot expected: " + extra.stream().limit(5).toList());
  }

  /** Both tables' rows as sorted text. */
  private List<String> snapshot() throws SQLException {
    List<String> rows = new ArrayList<>();
    try (Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery("SELECT * FROM dashboard_rollup ORDER BY ALL")) {
        while (rs.next()) {
          rows.add("rollup " + line(rs, 9));
        }
      }
      try (ResultSet rs = s.executeQuery("SELECT * FROM dashboard_results ORDER BY piece_id")) {
        while (rs.next()) {
          rows.add("result " + line(rs, 11));
        }
      }
    }
    return rows;
  }

  private static String line(ResultSet rs, int columns) throws SQLException {
    StringBuilder b = new StringBuilder();
    for (int i = 1; i <= columns; i++) {
      Object v = rs.getObject(i);
      b.append(v instanceof java.sql.Array a ? java.util.Arrays.toString((Object[]) a.getArray()) : String.valueOf(v)).append(" | ");
    }
    return b.toString();
  }
}
