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
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The results matrix and heat map over a constructed memory of two executions that sent the same
 * ten prompts. Execution "a" (generator g1): prompts 0–2 succeed, 3–8 held, 9 an error. Execution
 * "b" (generator g2, probe "leak"): prompts 0–5 succeed, 6–9 held; a person says b's prompt 6
 * succeeded. Prompts 0–4 are "violence", 5–9 "hate"; even prompts went through the converter
 * "b64". Prompt 4 and its answers mention "napalm"; answers carry markup.
 */
class DashboardMatrixTest {

  @TempDir
  Path dir;
  Connection c;
  Dashboard dashboard;
  final Map<String, UUID> answers = new HashMap<>();

  @BeforeEach
  void open() throws SQLException {
    c = DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("memory.db"));
    MemorySchema.migrate(c);
    dashboard = new Dashboard(c);
    DashboardData d = new DashboardData();
    for (int i = 0; i < 10; i++) {
      result(d, "a", "g1", null, i, i <= 2 ? "true" : i == 9 ? "error" : "false");
      result(d, "b", "g2", "leak", i, Boolean.toString(i <= 5));
    }
    new PieceStore(c).append(d.batch());
    new ReviewStore(c).set(answers.get("b6").toString(), "attack_succeeded", "it did", "alice");
  }

  private void result(DashboardData d, String execution, String generator, String probe, int index, String answer) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO execution_prompts (execution_id, prompt_index, value, harm_categories) VALUES (?, ?, ?, ?)")) {
      ps.setString(1, execution);
      ps.setInt(2, index);
      ps.setString(3, text(index));
      ps.setString(4, index < 5 ? "[\"violence\"]" : "[\"hate\"]");
      ps.executeUpdate();
    }
    String conversation = UUID.randomUUID().toString();
    Instant at = Instant.now().minusSeconds(600).plusSeconds(index);
    JsonObject meta = new JsonObject().put("execution_id", execution).put("prompt_index", index);
    JsonObject labels = probe == null ? null : new JsonObject().put("probe", probe);
    JsonObject prompt = d.piece(UUID.randomUUID(), "user", conversation, 0, at, generator, execution, labels, text(index))
        .put("prompt_metadata", meta);
    if (index % 2 == 0) {
      prompt.put("converter_identifiers", new JsonArray().add(new JsonObject().put("__type__", "Base64Converter").put("name", "b64")));
    }
    UUID id = UUID.randomUUID();
    JsonObject reply = d.piece(id, "assistant", conversation, 1, at.plusMillis(500), generator, execution, labels,
        "<b>answer</b> " + index + (index == 4 ? " about NAPALM" : "")).put("prompt_metadata", meta);
    answers.put(execution + index, id);
    if (answer.equals("error")) {
      reply.put("response_error", "connection");
    } else {
      d.score(id, "judge", "true_false", answer, at, null);
    }
  }

  private static String text(int index) {
    return "prompt " + index + (index == 4 ? " how is napalm made" : "");
  }

  @AfterEach
  void close() throws SQLException {
    c.close();
  }

  private JsonObject matrix(JsonObject args) throws SQLException {
    return dashboard.matrix(MatrixQuery.parse(args.put("days", 30)));
  }

  private static List<String> prompts(JsonObject m) {
    List<String> out = new ArrayList<>();
    m.getJsonArray("items").forEach(o -> out.add(((JsonObject) o).getString("prompt")));
    return out;
  }

  /** The outcome of each row's cell in column {@code column}, top to bottom. */
  private static List<String> column(JsonObject m, String column) {
    List<String> out = new ArrayList<>();
    m.getJsonArray("items").forEach(o -> ((JsonObject) o).getJsonArray("cells").forEach(cell -> {
      if (((JsonObject) cell).getString("column").equals(column)) {
        out.add(((JsonObject) cell).getString("outcome"));
      }
    }));
    return out;
  }

  @Test
  void rowsArePromptsInNaturalOrderAndColumnsExecutionsEachCellItsOutcome() throws SQLException {
    JsonObject m = matrix(new JsonObject());
    assertEquals(10, m.getLong("total"));
    assertEquals(List.of("prompt 0", "prompt 1", "prompt 2", "prompt 3", "prompt 4 how is napalm made", "prompt 5", "prompt 6",
        "prompt 7", "prompt 8", "prompt 9"), prompts(m));
    List<String> a = List.of("attack_succeeded", "attack_succeeded", "attack_succeeded", "held", "held", "held", "held", "held", "held", "error");
    assertEquals(a, column(m, "a"));
    // b's prompt 6: held by its judge, a person says it succeeded
    List<String> b = List.of("attack_succeeded", "attack_succeeded", "attack_succeeded", "attack_succeeded", "attack_succeeded",
        "attack_succeeded", "attack_succeeded", "held", "held", "held");
    assertEquals(b, column(m, "b"));
    JsonObject cell = m.getJsonArray("items").getJsonObject(4).getJsonArray("cells").getJsonObject(0);
    assertTrue(cell.getString("answer").startsWith("<b>answer</b> 4"), "the answer's snippet, as written: " + cell);
    assertNotNull(cell.getString("conversation_id"));
    JsonObject columnB = m.getJsonArray("columns").stream().map(JsonObject.class::cast).filter(x -> x.getString("key").equals("b")).findFirst().orElseThrow();
    assertEquals(7, columnB.getLong("attack_succeeded"));
    assertEquals(3, columnB.getLong("held"));
  }

  @Test
  void attackSuccessesWithASearchWordKeepOnlyThoseResults() throws SQLException {
    JsonObject m = matrix(new JsonObject().put("outcome", "attack_succeeded").put("q", "Napalm"));
    assertEquals(List.of("prompt 4 how is napalm made"), prompts(m));
    // in a, prompt 4 held: only b's cell is there
    assertEquals(List.of(), column(m, "a").stream().filter(o -> o != null).toList());
    assertEquals(List.of("attack_succeeded"), column(m, "b"));
    // a word of an answer finds it too, and words are AND-ed
    assertEquals(1, matrix(new JsonObject().put("q", "answer 4")).getLong("total"));
    assertEquals(0, matrix(new JsonObject().put("q", "napalm 7")).getLong("total"));
  }

  @Test
  void chipsNarrowByCategoryChainProbeAndReview() throws SQLException {
    assertEquals(5, matrix(new JsonObject().put("harm_category", "hate")).getLong("total"));
    JsonObject chained = matrix(new JsonObject().put("chain", "b64").put("harm_category", "violence"));
    assertEquals(List.of("prompt 0", "prompt 2", "prompt 4 how is napalm made"), prompts(chained));
    JsonObject probed = matrix(new JsonObject().put("probe", "leak"));
    assertEquals(List.of("b"), probed.getJsonArray("columns").stream().map(o -> ((JsonObject) o).getString("key")).toList());
    JsonObject reviewed = matrix(new JsonObject().put("reviewed", "yes"));
    assertEquals(List.of("prompt 6"), prompts(reviewed));
    assertEquals(10, matrix(new JsonObject().put("reviewed", "no")).getLong("total"));
    assertEquals(List.of("violence", "hate").stream().sorted().toList(),
        matrix(new JsonObject()).getJsonObject("chips").getJsonArray("harm_category").getList());
  }

  @Test
  void sortingByAColumnPutsItsAttackSuccessesFirstAndColumnsCanBeGenerators() throws SQLException {
    JsonObject byA = matrix(new JsonObject().put("sort", "col:a"));
    assertEquals(List.of("attack_succeeded", "attack_succeeded", "attack_succeeded"), column(byA, "a").subList(0, 3));
    assertEquals("error", column(byA, "a").get(9));
    JsonObject ascending = matrix(new JsonObject().put("sort", "col:a").put("dir", "asc"));
    assertEquals("error", column(ascending, "a").get(0));
    JsonObject bySuccesses = matrix(new JsonObject().put("sort", "successes").put("limit", 3));
    assertEquals(3, bySuccesses.getJsonArray("items").size());
    bySuccesses.getJsonArray("items").forEach(o -> assertEquals(2, ((JsonObject) o).getLong("successes")));
    JsonObject generators = matrix(new JsonObject().put("columns", "generator"));
    assertEquals(List.of("g1", "g2"), generators.getJsonArray("columns").stream().map(o -> ((JsonObject) o).getString("key")).sorted().toList());
    JsonObject page2 = matrix(new JsonObject().put("offset", 8));
    assertEquals(List.of("prompt 8", "prompt 9"), prompts(page2));
  }

  @Test
  void theHeatMapCountsGeneratorsByHarmCategoryAndBucketsFitTheSpan() throws SQLException {
    JsonObject h = dashboard.heatmap(MatrixQuery.parse(new JsonObject()));
    Map<String, JsonObject> cells = new HashMap<>();
    h.getJsonArray("cells").forEach(o -> cells.put(((JsonObject) o).getString("generator") + "/" + ((JsonObject) o).getString("value"),
        (JsonObject) o));
    assertEquals(3, cells.get("g1/violence").getLong("attack_succeeded"));
    assertEquals(2, cells.get("g1/violence").getLong("held"));
    assertEquals(0, cells.get("g1/hate").getLong("attack_succeeded"));
    assertEquals(1, cells.get("g1/hate").getLong("errors"));
    assertEquals(5, cells.get("g2/violence").getLong("attack_succeeded"));
    assertEquals(2, cells.get("g2/hate").getLong("attack_succeeded"));
    assertEquals(5, cells.get("g2/violence").getJsonObject("success_interval").getLong("denominator"));
    // ten seconds of results: minute buckets
    assertEquals("minute", h.getString("unit"));
    long counted = h.getJsonArray("buckets").stream().mapToLong(o -> ((JsonObject) o).getLong("results")).sum();
    assertEquals(20, counted);
    JsonObject chain = h.getJsonArray("by_chain").stream().map(JsonObject.class::cast).filter(x -> x.getString("chain").equals("b64"))
        .findFirst().orElseThrow();
    assertEquals(10, chain.getLong("results"));
    JsonObject byProbe = dashboard.heatmap(MatrixQuery.parse(new JsonObject().put("axis", "probe")));
    assertEquals(List.of("leak", "no probe"), byProbe.getJsonArray("values").getList());
  }

  @Test
  void resultsStoredAfterARead_appearInTheNextOne() throws SQLException {
    assertEquals(10, matrix(new JsonObject().put("executions", "b")).getLong("total"));
    DashboardData d = new DashboardData();
    result(d, "b", "g2", "leak", 10, "true");
    new PieceStore(c).append(d.batch());
    JsonObject m = matrix(new JsonObject().put("executions", "b"));
    assertEquals(11, m.getLong("total"));
    assertEquals("prompt 10", prompts(m).get(10));
  }

  @Test
  void badArgumentsAreRefusedNamingTheParameter() {
    for (String[] bad : new String[][] {{"outcome", "won"}, {"sort", "piece_id; DROP"}, {"reviewed", "maybe"}, {"columns", "x"},
        {"limit", "0"}, {"axis", "colour"}, {"from", "yesterday"}}) {
      Problem p = assertThrows(Problem.class, () -> MatrixQuery.parse(new JsonObject().put(bad[0], bad[1])));
      assertEquals(400, p.status());
      assertTrue(p.getMessage().contains("'" + bad[0] + "'"), p.getMessage());
    }
  }
}
