package dev.gauntlet.memory;

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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The heat map's pre-counted groups ({@code matrix_heat}) stay equal to a count of the results
 * after every kind of change: results added (to new minutes and to minutes already counted), new
 * scores that change outcomes (a re-score), people's verdicts, and pieces deleted outside
 * Gauntlet. Each check counts the results again here, from {@code matrix_rows} and the reviews,
 * and compares with what the heat map answers.
 */
class MatrixHeatTest {

  @TempDir
  Path dir;
  Connection c;
  Dashboard dashboard;
  final List<UUID> answers = new ArrayList<>();
  final Instant start = Instant.now().minusSeconds(3 * 3600);

  @BeforeEach
  void open() throws SQLException {
    c = DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("memory.db"));
    MemorySchema.migrate(c);
    dashboard = new Dashboard(c);
    DashboardData d = new DashboardData();
    for (int i = 0; i < 40; i++) {
      // 20 seconds apart: a few results per minute, in two executions and generators, two probes
      result(d, i % 2 == 0 ? "a" : "b", i % 2 == 0 ? "g1" : "g2", i % 4 < 2 ? "leak" : null, i, i % 3 == 0 ? "true" : i % 7 == 0 ? "error" : "false");
    }
    new PieceStore(c).append(d.batch());
  }

  @AfterEach
  void close() throws SQLException {
    c.close();
  }

  private void result(DashboardData d, String execution, String generator, String probe, int index, String answer) {
    String conversation = UUID.randomUUID().toString();
    Instant at = start.plusSeconds(20L * index);
    JsonObject meta = new JsonObject().put("execution_id", execution).put("prompt_index", index);
    JsonObject labels = probe == null ? null : new JsonObject().put("probe", probe);
    d.piece(UUID.randomUUID(), "user", conversation, 0, at, generator, execution, labels, "prompt " + index).put("prompt_metadata", meta);
    UUID id = UUID.randomUUID();
    JsonObject reply = d.piece(id, "assistant", conversation, 1, at.plusMillis(500), generator, execution, labels, "answer " + index)
        .put("prompt_metadata", meta);
    answers.add(id);
    if (answer.equals("error")) {
      reply.put("response_error", "connection");
    } else {
      d.score(id, "judge", "true_false", answer, at, null);
    }
  }

  /** The heat map's cells (generator/value → counts by outcome) for some arguments. */
  private Map<String, List<Long>> heat(JsonObject args) throws SQLException {
    JsonObject h = dashboard.heatmap(MatrixQuery.parse(args.put("days", 30)));
    Map<String, List<Long>> out = new TreeMap<>();
    for (Object o : h.getJsonArray("cells")) {
      JsonObject cell = (JsonObject) o;
      out.put(cell.getString("generator") + "/" + cell.getString("value"), List.of(cell.getLong("attack_succeeded"), cell.getLong("held"),
          cell.getLong("errors"), cell.getLong("unscored")));
    }
    return out;
  }

  /** The same cells counted here from every result: its automatic outcome unless a person's current verdict decides. */
  private Map<String, List<Long>> counted(String axis, String outcome) throws SQLException {
    String y = axis.equals("probe") ? "CASE WHEN m.probe = '' THEN 'no probe' ELSE m.probe END" : "m.chain";
    String sql = "SELECT m.generator || '/' || " + y + " AS k, o FROM (SELECT m.*, CASE WHEN hv.verdict IN ('attack_succeeded', 'held') "
        + "THEN hv.verdict ELSE m.auto END AS o FROM matrix_rows m LEFT JOIN current_reviews hv ON hv.piece_id = m.piece_id) m";
    Map<String, long[]> counts = new TreeMap<>();
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        if (outcome != null && !outcome.equals(rs.getString("o"))) {
          continue;
        }
        long[] n = counts.computeIfAbsent(rs.getString("k"), k -> new long[4]);
        n[List.of("attack_succeeded", "held", "error", "unscored").indexOf(rs.getString("o"))]++;
      }
    }
    Map<String, List<Long>> out = new TreeMap<>();
    counts.forEach((k, n) -> out.put(k, List.of(n[0], n[1], n[2], n[3])));
    return out;
  }

  /** The stored groups equal the groups counted from matrix_rows now (both ways: nothing missing, nothing extra). */
  private void assertGroupsExact() throws SQLException {
    String recount = "SELECT date_trunc('minute', timestamp) AS minute, execution_id, generator, labels, scorers, categories, probe, chain, "
        + "attack, auto, count(*) AS results, min(timestamp) AS first, max(timestamp) AS last FROM matrix_rows GROUP BY ALL";
    String stored = "SELECT minute, execution_id, generator, labels, scorers, categories, probe, chain, attack, auto, results, first, last "
        + "FROM matrix_heat";
    try (Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT (SELECT count(*) FROM (" + recount + " EXCEPT ALL " + stored + ")), (SELECT count(*) FROM ("
             + stored + " EXCEPT ALL " + recount + ")), (SELECT sum(results) FROM matrix_heat), (SELECT count(*) FROM dashboard_results)")) {
      rs.next();
      assertEquals(0, rs.getLong(1), "groups counted but not stored");
      assertEquals(0, rs.getLong(2), "groups stored but not counted");
      assertEquals(rs.getLong(4), rs.getLong(3), "every result counted once");
    }
  }

  /** The heat map's cells against a count of the results (the heat map is read first: it is what catches the tables up). */
  private void assertHeatIs(JsonObject args, String axis, String outcome) throws SQLException {
    Map<String, List<Long>> heat = heat(args);
    assertEquals(counted(axis, outcome), heat);
  }

  private void assertHeatIsACount() throws SQLException {
    assertHeatIs(new JsonObject().put("axis", "probe"), "probe", null);
    assertHeatIs(new JsonObject().put("axis", "chain"), "chain", null);
    assertHeatIs(new JsonObject().put("axis", "probe").put("outcome", "held"), "probe", "held");
    assertGroupsExact();
  }

  @Test
  void theCountsEqualACountOfTheResultsAfterWrites() throws SQLException {
    assertHeatIsACount();
    Map<String, List<Long>> before = heat(new JsonObject().put("axis", "probe"));
    assertEquals(40, before.values().stream().mapToLong(n -> n.stream().mapToLong(Long::longValue).sum()).sum());
    // more results: some in minutes already counted, some in an execution of their own
    DashboardData d = new DashboardData();
    for (int i = 40; i < 50; i++) {
      result(d, i < 45 ? "a" : "c", "g1", "leak", i - 40, "true");
    }
    new PieceStore(c).append(d.batch());
    assertHeatIsACount();
    assertEquals(before.get("g1/leak").get(0) + 10, heat(new JsonObject().put("axis", "probe")).get("g1/leak").get(0));
  }

  @Test
  void aReScoreThatChangesOutcomesIsCountedWhereTheResultsNowAre() throws SQLException {
    assertHeatIsACount();
    // a second scorer says every answer of execution b succeeded: those held become attack_succeeded
    DashboardData d = new DashboardData();
    for (int i = 1; i < 40; i += 2) {
      d.score(answers.get(i), "second judge", "true_false", "true", start.plusSeconds(7200), null);
    }
    new PieceStore(c).append(d.batch());
    assertHeatIsACount();
    List<Long> g2 = heat(new JsonObject().put("axis", "chain")).get("g2/" + ComparisonQueries.NO_CONVERTERS);
    assertEquals(List.of(18L, 0L, 2L, 0L), g2, "b's answers but its two errors (prompts 7 and 35) succeeded");
    // the scorer axis counts each result under both its scorers now
    JsonArray cells = dashboard.heatmap(MatrixQuery.parse(new JsonObject().put("days", 30).put("axis", "scorer"))).getJsonArray("cells");
    assertTrue(cells.stream().anyMatch(o -> ((JsonObject) o).getString("value").equals("second judge")), cells.encode());
  }

  @Test
  void aPersonsVerdictMovesItsResultAndAnOutcomeFilterStillCounts() throws SQLException {
    ReviewStore reviews = new ReviewStore(c);
    reviews.set(answers.get(1).toString(), "attack_succeeded", "it did", "alice");
    reviews.set(answers.get(3).toString(), "held", "it did not", "alice");
    reviews.set(answers.get(0).toString(), "held", "judge was wrong", "bob");
    reviews.set(answers.get(2).toString(), "not_applicable", "benign", "bob");
    assertHeatIsACount();
    assertHeatIs(new JsonObject().put("axis", "probe").put("outcome", "attack_succeeded"), "probe", "attack_succeeded");
    // a later review replaces the earlier one
    reviews.set(answers.get(1).toString(), "held", "on second look", "alice");
    assertHeatIsACount();
  }

  @Test
  void piecesDeletedOutsideGauntletLeaveTheCounts() throws SQLException {
    assertHeatIsACount();
    try (Statement s = c.createStatement()) {
      s.execute("DELETE FROM PromptMemoryEntries WHERE id IN ('" + answers.get(4) + "', '" + answers.get(5) + "', '" + answers.get(6) + "')");
    }
    assertHeatIsACount();
    assertEquals(37, heat(new JsonObject().put("axis", "probe")).values().stream().mapToLong(n -> n.stream().mapToLong(Long::longValue).sum()).sum());
  }

  @Test
  void bucketsAndTheirUnitFollowTheResultsTimes() throws SQLException {
    JsonObject h = dashboard.heatmap(MatrixQuery.parse(new JsonObject().put("days", 30)));
    // 40 results 20 seconds apart: 13 minutes, so minute buckets, as many as the minutes the results fall in
    assertEquals("minute", h.getString("unit"));
    long minutes;
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(DISTINCT date_trunc('minute', timestamp)) FROM matrix_rows")) {
      rs.next();
      minutes = rs.getLong(1);
    }
    assertEquals(minutes, h.getJsonArray("buckets").size());
    assertEquals(40, h.getJsonArray("buckets").stream().mapToLong(o -> ((JsonObject) o).getLong("results")).sum());
  }
}
