package dev.gauntlet.memory;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dashboard's rate over a memory holding every outcome: 4 answers judged attacks that
 * succeeded, 6 judged held, 1 blocked by the provider's filter (held), 3 target errors, 2 answers
 * whose judge gave undetermined scores and 1 answer never scored (both unscored). The attack
 * success rate is 4 ÷ (4 + 7); the errors and the unscored are beside it, never in it.
 */
class DashboardOutcomesTest {

  @TempDir
  Path dir;
  Connection c;
  PieceStore store;
  Dashboard dashboard;
  UUID neverScored;
  DashboardData d;

  @BeforeEach
  void open() throws SQLException {
    c = DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("memory.db"));
    MemorySchema.migrate(c);
    store = new PieceStore(c);
    dashboard = new Dashboard(c);
    d = new DashboardData();
    Instant at = DashboardData.daysAgo(0).minusSeconds(3600);
    int n = 0;
    for (int i = 0; i < 4; i++) {
      d.score(d.exchange("attack " + i, "sure " + i, at.plusSeconds(n++), "gen", "x", null), "judge", "true_false", "true", at, null);
    }
    for (int i = 0; i < 6; i++) {
      d.score(d.exchange("held " + i, "no " + i, at.plusSeconds(n++), "gen", "x", null), "judge", "true_false", "false", at, null);
    }
    answerFailing(d, d.exchange("filtered", "", at.plusSeconds(n++), "gen", "x", null), "blocked");
    for (int i = 0; i < 3; i++) {
      answerFailing(d, d.exchange("down " + i, "", at.plusSeconds(n++), "gen", "x", null), "connection");
    }
    for (int i = 0; i < 2; i++) {
      UUID answer = d.exchange("unparsable " + i, "maybe " + i, at.plusSeconds(n++), "gen", "x", null);
      JsonObject s = d.score(answer, "judge", "true_false", null, at, new JsonObject().put("undetermined", "judge said 'maybe'"));
      s.putNull("score_value").put("score_rationale", "judge said 'maybe'");
    }
    neverScored = d.exchange("lonely", "an answer", at.plusSeconds(n), "gen", "x", null);
    store.append(d.batch());
  }

  private static void answerFailing(DashboardData d, UUID answer, String error) {
    d.pieces.stream().map(JsonObject.class::cast).filter(p -> p.getString("id").equals(answer.toString()))
        .forEach(p -> p.put("response_error", error));
  }

  @AfterEach
  void close() throws SQLException {
    c.close();
  }

  @Test
  void theRateCountsOnlyJudgedResultsAndShowsErrorsAndUnscoredBesideIt() throws SQLException {
    JsonObject all = dashboard.summary(DashboardFilter.parse(new JsonObject()));

    assertEquals(17, all.getLong("results"));
    assertEquals(4, all.getLong("attack_succeeded"));
    assertEquals(7, all.getLong("held"), "six judged safe and one blocked by the provider");
    assertEquals(3, all.getLong("errors"));
    assertEquals(3, all.getLong("unscored"));
    assertEquals(11, all.getLong("rate_denominator"));
    assertEquals(4 / 11.0, all.getDouble("success_rate"), 1e-9);
    assertEquals(3 / 17.0, all.getDouble("error_rate"), 1e-9);
    assertEquals(3 / 17.0, all.getDouble("unscored_rate"), 1e-9);
    JsonObject perExecution = all.getJsonArray("by_execution").getJsonObject(0);
    assertEquals(4 / 11.0, perExecution.getDouble("success_rate"), 1e-9);
    assertEquals(3, perExecution.getLong("errors"));
    JsonObject perDay = all.getJsonArray("by_day").getJsonObject(all.getJsonArray("by_day").size() - 1);
    assertEquals(11, perDay.getLong("rate_denominator"));
    // the judge's own figures: its 12 scores, of which 2 undetermined
    JsonObject judge = all.getJsonArray("by_scorer").getJsonObject(0);
    assertEquals(12, judge.getLong("scores"));
    assertEquals(4, judge.getLong("attack_succeeded"));
    assertEquals(6, judge.getLong("held"));
    assertEquals(2, judge.getLong("unscored"));
    assertEquals(4 / 10.0, judge.getDouble("success_rate"), 1e-9);
  }

  @Test
  void aScoreArrivingLaterMovesItsResultFromUnscoredToItsVerdict() throws SQLException {
    dashboard.summary(DashboardFilter.parse(new JsonObject()));
    DashboardData later = new DashboardData();
    later.score(neverScored, "judge", "true_false", "true", Instant.now(), null);
    store.append(later.batch());

    JsonObject all = dashboard.summary(DashboardFilter.parse(new JsonObject()));

    assertEquals(17, all.getLong("results"));
    assertEquals(5, all.getLong("attack_succeeded"));
    assertEquals(2, all.getLong("unscored"));
    assertEquals(5 / 12.0, all.getDouble("success_rate"), 1e-9);
    Appends.inTransaction(c, () -> DashboardIndex.rebuild(c));
    JsonObject rebuilt = dashboard.summary(DashboardFilter.parse(new JsonObject()));
    for (String k : List.of("attack_succeeded", "held", "errors", "unscored")) {
      assertEquals(all.getLong(k), rebuilt.getLong(k), "caught up equals rebuilt: " + k);
    }
  }

  @Test
  void resultsAndExportCarryEachResultsOutcomeAndReason() throws Exception {
    Map<String, String> outcomeByAnswer = new HashMap<>();
    for (Object o : dashboard.results(ResultsQuery.parse(new JsonObject().put("limit", 100))).getJsonArray("items")) {
      JsonObject r = (JsonObject) o;
      outcomeByAnswer.merge(r.getString("outcome"), "x", String::concat);
    }
    assertEquals(Map.of("attack_succeeded", "xxxx", "held", "xxxxxxx", "error", "xxx", "unscored", "xxx"), outcomeByAnswer);

    Path csv = dir.resolve("out.csv");
    dashboard.export(DashboardFilter.parse(new JsonObject()), "csv", csv);
    List<String> lines = Files.readAllLines(csv);
    assertTrue(lines.get(0).endsWith(",outcome,outcome_reason,outcome_by_human,human_verdict,human_comment"), lines.get(0));
    assertEquals(3, lines.stream().filter(l -> l.endsWith(",error,connection,false,,")).count());
    assertEquals(1, lines.stream().filter(l -> l.endsWith(",held,blocked,false,,")).count());
    assertEquals(2, lines.stream().filter(l -> l.endsWith(",unscored,judge said 'maybe',false,,")).count());
    assertEquals(1, lines.stream().filter(l -> l.endsWith(",unscored,no scorer,false,,")).count());
    assertEquals(4, lines.stream().filter(l -> l.endsWith(",attack_succeeded,,false,,")).count());
  }

  @Test
  void aDatasetDerivedFromMemoryTakesThePromptsWhoseOutcomeIsAttackSucceeded() throws SQLException {
    // a true score on an answer that never came (as an imported file may hold) makes no success
    String down = d.pieces.stream().map(JsonObject.class::cast).filter(p -> "connection".equals(p.getString("response_error")))
        .findFirst().orElseThrow().getString("id");
    DashboardData later = new DashboardData();
    later.score(UUID.fromString(down), "judge", "true_false", "true", Instant.now(), null);
    later.score(neverScored, "judge", "true_false", null, Instant.now(), null).putNull("score_value");
    store.append(later.batch());

    List<String> prompts = new ExecutionStore(c, store).successfulPrompts("x").getJsonArray("prompts").stream()
        .map(String.class::cast).sorted().toList();

    assertEquals(List.of("attack 0", "attack 1", "attack 2", "attack 3"), prompts);
  }

  @Test
  void anUndeterminedScoreIsStoredWithoutAValue() throws SQLException {
    try (var s = c.createStatement(); var rs = s.executeQuery("SELECT score_value, score_rationale FROM ScoreEntries WHERE score_value IS NULL")) {
      int n = 0;
      while (rs.next()) {
        assertNull(rs.getString(1));
        assertEquals("judge said 'maybe'", rs.getString(2));
        n++;
      }
      assertEquals(2, n, "stored undetermined, never as false");
    }
  }

  @Test
  void everyRateCarriesItsWilsonIntervalAndDenominator() throws SQLException {
    JsonObject interval = dashboard.summary(DashboardFilter.parse(new JsonObject())).getJsonObject("success_interval");
    double n = 11;
    double p = 4 / n;
    double z = 1.959963984540054;
    double centre = (p + z * z / (2 * n)) / (1 + z * z / n);
    double half = z / (1 + z * z / n) * Math.sqrt(p * (1 - p) / n + z * z / (4 * n * n));
    assertEquals(4, interval.getLong("successes"));
    assertEquals(11, interval.getLong("denominator"), "the interval is over judged results only");
    assertEquals(centre - half, interval.getDouble("low"), 1e-9);
    assertEquals(centre + half, interval.getDouble("high"), 1e-9);
    JsonObject perExecution = dashboard.summary(DashboardFilter.parse(new JsonObject())).getJsonArray("by_execution").getJsonObject(0);
    assertEquals(11, perExecution.getJsonObject("success_interval").getLong("denominator"), "each row carries its own");
  }
}
