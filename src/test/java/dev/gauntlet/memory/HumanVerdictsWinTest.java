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
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A person's verdict wins where results are sorted by attack successes and where an execution
 * counts its results (its detail and its results page), not only in the dashboard's figures.
 *
 * <p>Execution "x", six prompts: 0 and 1 judged succeeded by two scores each, 2 by one, 3 and 4
 * held, 5 a failed request. A person says 0 held, 3 and 4 succeeded.
 */
class HumanVerdictsWinTest {

  @TempDir
  Path dir;
  Connection c;
  Dashboard dashboard;
  ExecutionStore executions;
  final List<UUID> answers = new ArrayList<>();
  final List<String> conversations = new ArrayList<>();

  @BeforeEach
  void open() throws SQLException {
    c = DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("memory.db"));
    MemorySchema.migrate(c);
    PieceStore pieces = new PieceStore(c);
    dashboard = new Dashboard(c);
    executions = new ExecutionStore(c, pieces);
    try (var s = c.createStatement()) {
      s.execute("INSERT INTO executions (id, orchestrator_id, orchestrator, status, total, created_at, updated_at) "
          + "VALUES ('x', 'o', '{}', 'completed_with_errors', 6, now(), now())");
    }
    DashboardData d = new DashboardData();
    Instant at = Instant.now().minusSeconds(600);
    int[] successes = {2, 2, 1, 0, 0, -1};
    for (int i = 0; i < successes.length; i++) {
      UUID answer = d.exchange("prompt " + i, "answer " + i, at.plusSeconds(10L * i), "gen", "x", null);
      answers.add(answer);
      String conversation = d.pieces.getJsonObject(d.pieces.size() - 1).getString("conversation_id");
      conversations.add(conversation);
      String outcome;
      if (successes[i] < 0) {
        d.pieces.getJsonObject(d.pieces.size() - 1).put("response_error", "connection");
        outcome = "error";
      } else {
        d.score(answer, "judge-1", "true_false", Boolean.toString(successes[i] >= 1), at, null);
        d.score(answer, "judge-2", "true_false", Boolean.toString(successes[i] >= 2), at, null);
        outcome = successes[i] > 0 ? "attack_succeeded" : "held";
      }
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO execution_results (execution_id, prompt_index, conversation_id, status, "
          + "attack_success, completed_at, outcome, error_class) VALUES ('x', ?, ?, ?, ?, now(), ?, ?)")) {
        ps.setInt(1, i);
        ps.setString(2, conversation);
        ps.setString(3, outcome.equals("error") ? "failed" : "succeeded");
        ps.setBoolean(4, outcome.equals("attack_succeeded"));
        ps.setString(5, outcome);
        ps.setString(6, outcome.equals("error") ? "connection" : null);
        ps.executeUpdate();
      }
    }
    pieces.append(d.batch());
    ReviewStore reviews = new ReviewStore(c);
    reviews.set(answers.get(0).toString(), "held", "a refusal both judges misread", "alice");
    reviews.set(answers.get(3).toString(), "attack_succeeded", null, "alice");
    reviews.set(answers.get(4).toString(), "attack_succeeded", null, "alice");
  }

  @AfterEach
  void close() throws SQLException {
    c.close();
  }

  private List<String> answersSortedBySuccess(String dir, int limit) throws SQLException {
    List<String> order = new ArrayList<>();
    JsonObject args = new JsonObject().put("execution", "x").put("sort", "success").put("dir", dir).put("limit", limit);
    String after = null;
    do {
      JsonObject page = dashboard.results(ResultsQuery.parse(after == null ? args : args.copy().put("after", after)));
      page.getJsonArray("items").forEach(o -> order.add(((JsonObject) o).getJsonObject("response").getString("value")));
      after = page.getString("next");
    } while (after != null);
    return order;
  }

  @Test
  void sortingByAttackSuccessesFollowsThePersonsVerdict() throws SQLException {
    // succeeded: 1 (two scores), then 4, 3 (a person's, over two held scores: ranked 1) and 2 (one score), newest first;
    // then the rest: 5 (an error) and 0, held by a person over two scores that said it succeeded
    List<String> order = answersSortedBySuccess("desc", 2);
    assertEquals(List.of("answer 1", "answer 4", "answer 3", "answer 2", "answer 5", "answer 0"), order);
    List<String> ascending = answersSortedBySuccess("asc", 4);
    assertEquals(List.of("answer 0", "answer 5", "answer 2", "answer 3", "answer 4", "answer 1"), ascending);
    JsonObject first = dashboard.results(ResultsQuery.parse(new JsonObject().put("execution", "x").put("sort", "success").put("limit", 1)))
        .getJsonArray("items").getJsonObject(0);
    assertEquals(List.of("attack_succeeded", true), List.of(first.getString("outcome"), first.getBoolean("attack_success")));
  }

  @Test
  void anExecutionsCountsAndResultsFollowThePersonsVerdict() throws SQLException {
    JsonObject progress = executions.get("x", true).getJsonObject("progress");
    // automatic: 3 succeeded, 2 held, 1 error; a person moved 0 to held, 3 and 4 to succeeded
    assertEquals(List.of(6L, 4L, 1L, 1L, 0L, 3L), List.of(progress.getLong("done"), progress.getLong("attack_succeeded"),
        progress.getLong("held"), progress.getLong("error"), progress.getLong("unscored"), progress.getLong("human_verdicts")));
    JsonArray rows = executions.results("x", 0, 10).getJsonArray("items");
    JsonObject zero = rows.getJsonObject(0);
    assertEquals(List.of("held", "human verdict", true, "held"), List.of(zero.getString("outcome"), zero.getString("reason"),
        zero.getBoolean("outcome_by_human"), zero.getString("human_verdict")));
    assertEquals(List.of("attack_succeeded", true), List.of(rows.getJsonObject(3).getString("outcome"), rows.getJsonObject(3).getBoolean("outcome_by_human")));
    assertEquals(List.of("attack_succeeded", false), List.of(rows.getJsonObject(1).getString("outcome"), rows.getJsonObject(1).getBoolean("outcome_by_human")));
    assertEquals(List.of("error", "connection"), List.of(rows.getJsonObject(5).getString("outcome"), rows.getJsonObject(5).getString("error_class")));
  }
}
