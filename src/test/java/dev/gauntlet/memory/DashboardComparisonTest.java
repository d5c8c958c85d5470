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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Compare per harm category and per converter chain, over a constructed memory of two executions
 * whose frozen prompts carry harm categories (memory migration 7).
 *
 * <p>A: prompts 0–29 violence (0–2 succeed, the rest held), 30–33 hate (30, 31 succeed), 34 both
 * violence and hate (succeeds), 35 violence whose request failed (an error). B: prompts 0–29
 * violence (0–14 succeed; 15 held by its judge but a person says it succeeded), 30–33 hate (all
 * held). Even prompts went through "b64 → LeetspeakConverter", odd ones through no converter.
 */
class DashboardComparisonTest {

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
    for (int i = 0; i <= 35; i++) {
      String categories = i < 30 || i == 35 ? "[\"violence\"]" : i < 34 ? "[\"hate\"]" : "[\"violence\", \"hate\"]";
      boolean succeeded = i <= 2 || i == 30 || i == 31 || i == 34;
      result(d, "a", i, categories, i == 35 ? "error" : succeeded ? "true" : "false");
    }
    for (int i = 0; i <= 33; i++) {
      result(d, "b", i, i < 30 ? "[\"violence\"]" : "[\"hate\"]", Boolean.toString(i <= 14));
    }
    new PieceStore(c).append(d.batch());
    new ReviewStore(c).set(answers.get("b15").toString(), "attack_succeeded", "it did explain it", "alice");
  }

  /**
   * Prompt {@code index} of {@code execution}, frozen with its categories, and its answer: judged
   * {@code "true"} (attack succeeded) or {@code "false"}, a failed request ({@code "error"}), or
   * never scored ({@code "unscored"}).
   */
  private void result(DashboardData d, String execution, int index, String categories, String answer) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO execution_prompts (execution_id, prompt_index, value, harm_categories) VALUES (?, ?, ?, ?)")) {
      ps.setString(1, execution);
      ps.setInt(2, index);
      ps.setString(3, "prompt " + index);
      ps.setString(4, categories);
      ps.executeUpdate();
    }
    String conversation = UUID.randomUUID().toString();
    Instant at = Instant.now().minusSeconds(600).plusSeconds(index);
    JsonObject meta = new JsonObject().put("execution_id", execution).put("prompt_index", index);
    JsonObject prompt = d.piece(UUID.randomUUID(), "user", conversation, 0, at, "gen", execution, null, "prompt " + index)
        .put("prompt_metadata", meta);
    if (index % 2 == 0) {
      prompt.put("converter_identifiers", new JsonArray().add(new JsonObject().put("__type__", "Base64Converter").put("name", "b64"))
          .add(new JsonObject().put("__type__", "LeetspeakConverter")));
    }
    UUID id = UUID.randomUUID();
    JsonObject reply = d.piece(id, "assistant", conversation, 1, at.plusMillis(500), "gen", execution, null, "answer " + index)
        .put("prompt_metadata", meta);
    answers.put(execution + index, id);
    if (answer.equals("error")) {
      reply.put("response_error", "connection");
    } else if (!answer.equals("unscored")) {
      d.score(id, "judge", "true_false", answer, at, null);
    }
  }

  @AfterEach
  void close() throws SQLException {
    c.close();
  }

  private static JsonObject group(JsonArray groups, String name) {
    return groups.stream().map(JsonObject.class::cast).filter(g -> g.getString("name").equals(name)).findFirst().orElseThrow();
  }

  private static void assertCounts(JsonObject side, long succeeded, long held, long errors) {
    assertEquals(succeeded, side.getLong("attack_succeeded"));
    assertEquals(held, side.getLong("held"));
    assertEquals(errors, side.getLong("errors"));
    assertEquals(succeeded + held, side.getLong("rate_denominator"));
    assertEquals(succeeded + held, side.getJsonObject("success_interval").getLong("denominator"));
  }

  /** The pooled two-proportion z, computed here apart from verdict.stats. */
  private static double z(long a, long na, long b, long nb) {
    double pooled = (double) (a + b) / (na + nb);
    return ((double) b / nb - (double) a / na) / Math.sqrt(pooled * (1 - pooled) * (1.0 / na + 1.0 / nb));
  }

  @Test
  void eachHarmCategoryIsComparedWithItsOwnRateIntervalAndTest() throws SQLException {
    JsonArray categories = dashboard.compare("a", "b").getJsonArray("harm_categories");
    assertEquals(2, categories.size(), "violence and hate, nothing uncategorized: " + categories.encodePrettily());

    // violence: A 4 of 31 judged (prompt 34 counts in both its categories; the error is beside the rate),
    // B 16 of 30 (prompt 15 held by its judge, succeeded by a person's verdict)
    JsonObject violence = group(categories, "violence");
    assertCounts(violence.getJsonObject("a"), 4, 27, 1);
    assertCounts(violence.getJsonObject("b"), 16, 14, 0);
    assertEquals(16.0 / 30 - 4.0 / 31, violence.getDouble("difference"), 1e-9);
    JsonObject test = violence.getJsonObject("test");
    assertFalse(test.getBoolean("too_few_results"));
    assertTrue(test.getBoolean("significant"));
    assertEquals(z(4, 31, 16, 30), test.getDouble("z"), 1e-9);
    assertEquals(0.000771, test.getDouble("p_value"), 1e-5, "two-sided p of z = 3.3628");
    JsonObject interval = violence.getJsonObject("a").getJsonObject("success_interval");
    assertTrue(interval.getDouble("low") < 4.0 / 31 && 4.0 / 31 < interval.getDouble("high"));

    // hate: A 3 of 5 (30, 31, 34), B 0 of 4: below the minimum, no p-value, never significant
    JsonObject hate = group(categories, "hate");
    assertCounts(hate.getJsonObject("a"), 3, 2, 0);
    assertCounts(hate.getJsonObject("b"), 0, 4, 0);
    assertTrue(hate.getJsonObject("test").getBoolean("too_few_results"));
    assertFalse(hate.getJsonObject("test").getBoolean("significant"));
    assertNull(hate.getJsonObject("test").getValue("p_value"));
  }

  @Test
  void eachConverterChainIsComparedByTheConvertersNamesInOrder() throws SQLException {
    JsonArray chains = dashboard.compare("a", "b").getJsonArray("converter_chains");
    assertEquals(2, chains.size(), chains.encodePrettily());
    JsonObject converted = group(chains, "b64 → LeetspeakConverter");
    assertCounts(converted.getJsonObject("a"), 4, 14, 0);
    assertCounts(converted.getJsonObject("b"), 8, 9, 0);
    assertEquals(z(4, 18, 8, 17), converted.getJsonObject("test").getDouble("z"), 1e-9);
    JsonObject plain = group(chains, ComparisonQueries.NO_CONVERTERS);
    assertCounts(plain.getJsonObject("a"), 2, 15, 1);
    assertCounts(plain.getJsonObject("b"), 8, 9, 0);
  }

  @Test
  void aPromptWithoutFrozenCategoriesIsUncategorized() throws SQLException {
    try (var s = c.createStatement()) {
      s.execute("UPDATE execution_prompts SET harm_categories = NULL WHERE execution_id = 'b' AND prompt_index >= 30");
    }
    JsonArray categories = dashboard.compare("a", "b").getJsonArray("harm_categories");
    JsonObject none = group(categories, ComparisonQueries.UNCATEGORIZED);
    assertCounts(none.getJsonObject("a"), 0, 0, 0);
    assertCounts(none.getJsonObject("b"), 0, 4, 0);
    assertCounts(group(categories, "hate").getJsonObject("b"), 0, 0, 0);
  }

  private static JsonObject prompt(JsonArray items, String text) {
    return items.stream().map(JsonObject.class::cast).filter(p -> p.getString("prompt").equals(text)).findFirst().orElseThrow();
  }

  @Test
  void eachSharedPromptShowsItsOutcomeInBothThePersonsVerdictWinningAndMarked() throws SQLException {
    DashboardData d = new DashboardData();
    result(d, "a", 40, "[]", "error");
    result(d, "b", 40, "[]", "unscored");
    new PieceStore(c).append(d.batch());
    JsonObject prompts = dashboard.compare("a", "b").getJsonObject("prompts");
    JsonArray items = prompts.getJsonArray("items");
    assertEquals(35, prompts.getLong("shared"), "prompts 0–33 and 40");
    JsonObject failed = prompt(items, "prompt 40");
    assertEquals(List.of("error", "unscored"), List.of(failed.getString("a_outcome"), failed.getString("b_outcome")));
    JsonObject reviewed = prompt(items, "prompt 15");
    assertEquals(List.of("held", "attack_succeeded"), List.of(reviewed.getString("a_outcome"), reviewed.getString("b_outcome")));
    assertEquals(List.of(false, true), List.of(reviewed.getBoolean("a_by_human"), reviewed.getBoolean("b_by_human")));
    JsonObject bothSucceeded = prompt(items, "prompt 0");
    assertEquals(List.of("attack_succeeded", "attack_succeeded"), List.of(bothSucceeded.getString("a_outcome"), bothSucceeded.getString("b_outcome")));
    // differing: 3–14 and 15 (A held, B succeeded), 30, 31 (A succeeded, B held), 40 (error vs unscored)
    assertEquals(13, prompts.getLong("only_b"));
    assertEquals(2, prompts.getLong("only_a"));
    assertEquals(35 - 16, prompts.getLong("same"));
    for (int i = 0; i < 16; i++) {
      JsonObject row = items.getJsonObject(i);
      assertFalse(row.getString("a_outcome").equals(row.getString("b_outcome")), "differences first: " + row);
    }

  }

  @Test
  void aLongSharedPromptIsShownUpToItsLimitNotCutToItsSnippet() throws SQLException {
    String text = "prompt 50 " + "x".repeat(1500);
    DashboardData d = new DashboardData();
    for (String execution : List.of("a", "b")) {
      UUID answer = d.exchange(text, "answer", Instant.now().minusSeconds(60), "gen", execution, null);
      d.score(answer, "judge", "true_false", execution.equals("a") ? "true" : "false", Instant.now(), null);
    }
    new PieceStore(c).append(d.batch());
    JsonObject prompts = dashboard.compare("a", "b").getJsonObject("prompts");
    assertEquals(35, prompts.getLong("shared"), "prompts 0–33 and the long one");
    JsonObject shown = prompts.getJsonArray("items").stream().map(JsonObject.class::cast)
        .filter(p -> p.getString("prompt").startsWith("prompt 50 ")).findFirst().orElseThrow();
    assertEquals(text.substring(0, ComparisonQueries.PROMPT_CHARS), shown.getString("prompt"));
    assertEquals(List.of("attack_succeeded", "held"), List.of(shown.getString("a_outcome"), shown.getString("b_outcome")));
  }

  private static List<String> texts(JsonObject prompts) {
    return prompts.getJsonArray("items").stream().map(o -> ((JsonObject) o).getString("prompt")).sorted().toList();
  }

  private JsonObject compareUnder(JsonObject chips) throws SQLException {
    return dashboard.compare(List.of("a", "b"), MatrixQuery.parse(chips)).getJsonObject("prompts");
  }

  /** C sent prompts 0–9: all succeed but 5. */
  @Test
  void threeExecutionsShowACellPerExecutionWithItsAnswerAndEachOnesFigures() throws SQLException {
    DashboardData d = new DashboardData();
    for (int i = 0; i <= 9; i++) {
      result(d, "c", i, "[\"violence\"]", Boolean.toString(i != 5));
    }
    new PieceStore(c).append(d.batch());
    JsonObject compared = dashboard.compare(List.of("a", "b", "c"), null);
    assertEquals(1, compared.getJsonArray("others").size());
    JsonObject third = compared.getJsonArray("others").getJsonObject(0);
    assertEquals("c", third.getString("id"));
    assertEquals(9, third.getLong("attack_succeeded"));
    assertEquals(1, third.getLong("held"));
    JsonObject prompts = compared.getJsonObject("prompts");
    assertEquals(10, prompts.getLong("shared"), "prompts 0–9 were sent by all three");
    assertEquals(3, prompts.getLong("same"), "0–2 succeeded in all three; 3–9 held in A only (and 5 in C)");
    JsonArray cells = prompt(prompts.getJsonArray("items"), "prompt 5").getJsonArray("cells");
    assertEquals(List.of("a", "b", "c"), cells.stream().map(o -> ((JsonObject) o).getString("execution_id")).toList());
    assertEquals(List.of("held", "attack_succeeded", "held"), cells.stream().map(o -> ((JsonObject) o).getString("outcome")).toList());
    assertEquals(List.of("answer 5", "answer 5", "answer 5"), cells.stream().map(o -> ((JsonObject) o).getString("answer")).toList());
    assertEquals(3, prompt(prompts.getJsonArray("items"), "prompt 7").getJsonArray("cells").size());
  }

  @Test
  void aThirdExecutionNobodyKnowsIsNotFound() {
    dev.gauntlet.Problem p = org.junit.jupiter.api.Assertions.assertThrows(dev.gauntlet.Problem.class,
        () -> dashboard.compare(List.of("a", "b", "nowhere"), null));
    assertEquals(404, p.status());
  }

  @Test
  void chipsKeepAPromptWhenAnyComparedExecutionsResultMatchesThemAll() throws SQLException {
    // hate prompts both sent are 30–33; only A's 30 and 31 succeeded
    JsonObject hate = compareUnder(new JsonObject().put("outcome", "attack_succeeded").put("harm_category", "hate"));
    assertEquals(List.of("prompt 30", "prompt 31"), texts(hate));
    assertEquals(2, hate.getLong("shared"));
    JsonObject row = prompt(hate.getJsonArray("items"), "prompt 30");
    assertEquals(List.of("attack_succeeded", "held"), List.of(row.getString("a_outcome"), row.getString("b_outcome")),
        "the other execution's answer stays beside it");
    // only B's answer to prompt 15 was reviewed (a person says it succeeded)
    assertEquals(List.of("prompt 15"), texts(compareUnder(new JsonObject().put("reviewed", "yes"))));
    // search words: a prompt or an answer holding "7"
    assertEquals(List.of("prompt 17", "prompt 27", "prompt 7"), texts(compareUnder(new JsonObject().put("q", "7"))));
    // the person's verdict counts: B's 15 succeeded, so violence successes are 0–14 and 15 (B) ∪ 0–2 (A)
    assertEquals(16, compareUnder(new JsonObject().put("outcome", "attack_succeeded").put("harm_category", "violence")).getLong("shared"));
  }
}
