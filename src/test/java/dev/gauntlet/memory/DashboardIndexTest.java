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

/** The dashboard's tables, caught up before each read, hold what rebuilding them from every row gives. */
class DashboardIndexTest {

  @TempDir
  Path dir;
  Connection c;
  PieceStore store;
  Dashboard dashboard;

  @BeforeEach
  void open() throws SQLException {
    c = DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("memory.db"));
    MemorySchema.migrate(c);
    store = new PieceStore(c);
    dashboard = new Dashboard(c);
  }

  /** Appends a batch, then reads the dashboard, which catches up with it. */
  private void appendAndRead(DashboardData d) throws SQLException {
    store.append(d.batch());
    dashboard.summary(DashboardFilter.ALL);
  }

  @AfterEach
  void close() throws SQLException {
    c.close();
  }

  @Test
  void tablesCaughtUpAtEachReadEqualARebuildFromEveryRow() throws SQLException {
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
    appendAndRead(d);

    // a PyRIT client: no execution, no target; prompt and answer in separate batches, scores later still
    d.clear();
    String conversation = UUID.randomUUID().toString();
    UUID prompt = UUID.randomUUID();
    d.piece(prompt, "user", conversation, 0, DashboardData.daysAgo(2), null, null, null, "a lone prompt");
    appendAndRead(d);
    d.clear();
    UUID answer = UUID.randomUUID();
    d.piece(answer, "assistant", conversation, 1, DashboardData.daysAgo(2), null, null, null, "a lone answer");
    appendAndRead(d);
    d.clear();
    d.score(answer, "jailbreak", "true_false", "True", DashboardData.daysAgo(1), null);
    d.score(prompt, "jailbreak", "true_false", "false", DashboardData.daysAgo(1), null); // a scored prompt is a result too
    d.score(UUID.randomUUID(), "jailbreak", "true_false", "true", DashboardData.daysAgo(1), null); // of no stored piece
    appendAndRead(d);

    // more scores for answers of the first batch, by a scorer new to them
    d.clear();
    List<UUID> earlier = answers(5);
    for (UUID id : earlier) {
      d.score(id, "likert", "float_scale", "0.75", Instant.now(), null);
    }
    appendAndRead(d);

    // and a last batch nobody has read yet
    d.clear();
    d.score(answers(1).get(0), "refusal", "true_false", "true", Instant.now(), null);
    store.append(d.batch());
    dashboard.results(ResultsQuery.parse(new JsonObject()));
    List<String> kept = snapshot();
    assertTrue(kept.size() > 40, "the tables hold rows: " + kept.size());
    Appends.inTransaction(c, () -> DashboardIndex.rebuild(c));
    assertSameRows(kept, snapshot());
  }

  @Test
  void migrationFillsTheDashboardFromAFileWrittenBeforeIt() throws SQLException {
    DashboardData d = new DashboardData();
    for (int i = 0; i < 12; i++) {
      UUID answer = d.exchange("p" + i, "a" + i, DashboardData.daysAgo(i), "gen", "exec-1", null);
      d.score(answer, "refusal", "true_false", i < 4 ? "true" : "false", DashboardData.daysAgo(i), null);
    }
    appendAndRead(d);
    List<String> expected = snapshot();
    // the file as a version-1 memory had it: the same pieces and scores, no dashboard tables
    try (Statement s = c.createStatement()) {
      s.execute("DROP TABLE dashboard_rollup");
      s.execute("DROP TABLE dashboard_results");
      s.execute("DROP TABLE dashboard_state");
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
    appendAndRead(d);
    List<String> before = snapshot();
    d.clear();
    UUID other = d.exchange("q", "b", Instant.now(), "gen", "exec", null);
    d.score(other, "refusal", "true_false", "true", Instant.now(), null);
    PieceBatch batch = d.batch();
    org.junit.jupiter.api.Assertions.assertThrows(SQLException.class, () -> store.append(batch, () -> {
      throw new SQLException("the result rows failed");
    }));
    assertEquals(1, dashboard.summary(DashboardFilter.ALL).getLong("prompts"), "the failed batch's prompt is not counted");
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

  @Test
  void compactingTheRollupKeepsEveryFigure() throws SQLException {
    Dashboard compacting = new Dashboard(c, new DashboardIndex(c, null, 10));
    DashboardData d = new DashboardData();
    for (int batch = 0; batch < 12; batch++) {
      d.clear();
      for (int i = 0; i < 6; i++) {
        UUID answer = d.exchange("p", "a", DashboardData.daysAgo(i), "gen-" + (i % 2), "exec-" + batch % 3, null);
        d.score(answer, "refusal", "true_false", Boolean.toString(i % 2 == 0), DashboardData.daysAgo(i), null);
      }
      store.append(d.batch());
      compacting.summary(DashboardFilter.ALL);
    }
    long rows = scalar("SELECT count(*) FROM dashboard_rollup");
    long keys = scalar("SELECT count(*) FROM (" + DashboardQueries.ROLLUP_BY_KEY + ")");
    assertTrue(rows < 12 * 12, "compacted along the way: " + rows + " rows for " + keys + " keys");
    JsonObject summary = compacting.summary(DashboardFilter.ALL);
    assertEquals(72, summary.getLong("prompts"));
    assertEquals(36, summary.getLong("successes"));
    List<String> kept = snapshot();
    Appends.inTransaction(c, () -> DashboardIndex.rebuild(c));
    assertSameRows(kept, snapshot());
  }

  @Test
  void piecesDeletedOutsideGauntletLeaveTheDashboard() throws SQLException {
    DashboardData d = new DashboardData();
    for (int i = 0; i < 6; i++) {
      UUID answer = d.exchange("p" + i, "a" + i, Instant.now(), "gen", "exec", null);
      d.score(answer, "refusal", "true_false", "true", Instant.now(), null);
    }
    appendAndRead(d);
    try (Statement s = c.createStatement()) {
      // as PyRIT's own tools might: the last conversation goes, and one from the middle
      s.execute("DELETE FROM ScoreEntries WHERE rowid = (SELECT max(rowid) FROM ScoreEntries) OR rowid = 2");
      s.execute("DELETE FROM PromptMemoryEntries WHERE rowid >= (SELECT max(rowid) - 1 FROM PromptMemoryEntries) OR rowid IN (4, 5)");
    }
    JsonObject summary = dashboard.summary(DashboardFilter.ALL);
    assertEquals(4, summary.getLong("prompts"));
    assertEquals(4, summary.getLong("scores"));
    assertEquals(4, dashboard.results(ResultsQuery.parse(new JsonObject())).getLong("total"));
    // rows deleted in the middle only, with as many added after: still noticed
    try (Statement s = c.createStatement()) {
      s.execute("DELETE FROM PromptMemoryEntries WHERE rowid IN (0, 1)");
      s.execute("DELETE FROM ScoreEntries WHERE rowid = 0");
    }
    d.clear();
    UUID answer = d.exchange("late", "a", Instant.now(), "gen", "exec", null);
    d.score(answer, "refusal", "true_false", "true", Instant.now(), null);
    appendAndRead(d);
    assertEquals(4, dashboard.summary(DashboardFilter.ALL).getLong("prompts"));
    List<String> kept = snapshot();
    Appends.inTransaction(c, () -> DashboardIndex.rebuild(c));
    assertSameRows(kept, snapshot());
  }

  @Test
  void theServersMemoryShowsEachBatchOnTheNextRead() throws SQLException {
    c.close();
    try (UserMemory memory = UserMemory.open("alice", dir.resolve("alice.db"), "256MB", 1)) {
      for (int batch = 1; batch <= 3; batch++) {
        DashboardData d = new DashboardData();
        UUID answer = d.exchange("p", "a", Instant.now(), "gen", "exec", null);
        d.score(answer, "refusal", "true_false", "true", Instant.now(), null);
        memory.pieces().append(d.batch());
        assertEquals(batch, memory.dashboard().summary(DashboardFilter.ALL).getLong("scores"));
        assertEquals(batch, memory.dashboard().results(ResultsQuery.parse(new JsonObject())).getLong("total"));
      }
    }
    c = DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("memory.db"));
  }

  private long scalar(String sql) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
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
      // appends add rollup rows and compactions merge them: what counts is the sum per key
      try (ResultSet rs = s.executeQuery(DashboardQueries.ROLLUP_BY_KEY + " ORDER BY ALL")) {
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
