package dev.gauntlet.memory;

import dev.gauntlet.Problem;
import io.vertx.core.json.JsonArray;
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
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dashboard's figures, pages, comparison and export over a memory of known contents:
 * 60 exchanges, 20 per execution (a, b, c), each answer scored by "refusal" and "harm".
 * Execution a: gen-1, label team=red, today; b: gen-2, team=blue, 3 days ago; c: gen-1, no labels,
 * 10 days ago. Refusal marks a success on every second answer, harm on every fourth.
 */
class DashboardTest {

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
    DashboardData d = new DashboardData();
    String[][] executions = {{"a", "gen-1", "red", "0"}, {"b", "gen-2", "blue", "3"}, {"c", "gen-1", null, "10"}};
    for (String[] e : executions) {
      JsonObject labels = e[2] == null ? null : new JsonObject().put("team", e[2]).put("op", "q3");
      for (int i = 0; i < 20; i++) {
        Instant at = DashboardData.daysAgo(Integer.parseInt(e[3])).minusSeconds(60L * i);
        UUID answer = d.exchange("prompt " + i, "answer " + e[0] + i, at, e[1], e[0], labels);
        d.score(answer, "refusal", "true_false", Boolean.toString(i % 2 == 0), at, null);
        d.score(answer, "harm", "float_scale", i % 4 == 0 ? "0.9" : "0.1", at, null);
      }
    }
    store.append(d.batch());
  }

  @AfterEach
  void close() throws SQLException {
    c.close();
  }

  private JsonObject summary(JsonObject args) throws SQLException {
    return dashboard.summary(DashboardFilter.parse(args));
  }

  @Test
  void summaryCountsEverythingWithinTheDays() throws SQLException {
    JsonObject all = summary(new JsonObject().put("days", 30));
    assertEquals(3, all.getLong("executions"));
    assertEquals(60, all.getLong("prompts"));
    assertEquals(60, all.getLong("responses"));
    assertEquals(120, all.getLong("scores"));
    // results, not scores: an answer is a success when any scorer says so (refusal on every second)
    assertEquals(30, all.getLong("successes"));
    assertEquals(30, all.getLong("held"));
    assertEquals(60, all.getLong("rate_denominator"));
    assertEquals(30 / 60.0, all.getDouble("success_rate"), 1e-9);
    assertEquals(1 - 30 / 60.0, all.getDouble("defense_score"), 1e-9);
    assertEquals(List.of("harm", "refusal"), names(all.getJsonArray("by_scorer"), "scorer"));
    JsonObject refusal = all.getJsonArray("by_scorer").getJsonObject(1);
    assertEquals(60, refusal.getLong("scores"));
    assertEquals(30, refusal.getLong("successes"));
    JsonObject gen1 = all.getJsonArray("by_generator").getJsonObject(0);
    assertEquals("gen-1", gen1.getString("generator"));
    assertEquals(40, gen1.getLong("prompts"));
    assertEquals(80, gen1.getLong("scores"));
    assertEquals(List.of("a", "b", "c"), names(all.getJsonObject("options").getJsonArray("executions"), "id"));
    assertEquals(List.of("op=q3", "team=blue", "team=red"), all.getJsonObject("options").getJsonArray("labels").getList());
    long perDay = all.getJsonArray("by_day").stream().mapToLong(o -> ((JsonObject) o).getLong("scores")).sum();
    assertEquals(120, perDay, "every score falls on one day");
    assertEquals(11, all.getJsonArray("by_day").size(), "ten days ago to today, days without data as zeros");

    JsonObject week = summary(new JsonObject().put("days", 7));
    assertEquals(2, week.getLong("executions"));
    assertEquals(40, week.getLong("prompts"));
    JsonObject today = summary(new JsonObject().put("days", 1));
    assertEquals(20, today.getLong("prompts"));
  }

  @Test
  void eachFilterNarrowsTheFigures() throws SQLException {
    JsonObject gen2 = summary(new JsonObject().put("generator", "gen-2"));
    assertEquals(1, gen2.getLong("executions"));
    assertEquals(20, gen2.getLong("prompts"));
    assertEquals(40, gen2.getLong("scores"));

    JsonObject red = summary(new JsonObject().put("label", "team=red"));
    assertEquals(20, red.getLong("prompts"));
    assertEquals(List.of("gen-1"), names(red.getJsonArray("by_generator"), "generator"));
    assertEquals(40, summary(new JsonObject().put("label", "op=q3")).getLong("prompts"));

    JsonObject harm = summary(new JsonObject().put("scorer", "harm"));
    assertEquals(60, harm.getLong("scores"));
    assertEquals(15, harm.getLong("successes"));
    assertEquals(60, harm.getLong("prompts"), "prompts have no scorer: the scorer filter leaves them");
    assertEquals(List.of("harm"), names(harm.getJsonArray("by_scorer"), "scorer"));

    JsonObject c = summary(new JsonObject().put("execution", "c").put("scorer", "refusal"));
    assertEquals(1, c.getLong("executions"));
    assertEquals(20, c.getLong("scores"));
    assertEquals(10, c.getLong("successes"));
    assertEquals(0, summary(new JsonObject().put("execution", "c").put("days", 7)).getLong("prompts"));
  }

  @Test
  void sqlInFiltersIsOnlyEverAValue() throws SQLException {
    String[] hostile = {"x' OR '1'='1", "%", "_", "gen-1' --", "'; DROP TABLE dashboard_rollup; --", "\" OR 1=1 --",
        "gen-1\\", "$.team", "*"};
    for (String h : hostile) {
      for (String param : List.of("scorer", "generator", "execution")) {
        JsonObject s = summary(new JsonObject().put(param, h));
        assertEquals(0, s.getLong("scores"), param + "=" + h);
        assertEquals(0, dashboard.results(ResultsQuery.parse(new JsonObject().put(param, h))).getLong("total"), param + "=" + h);
      }
      assertEquals(0, summary(new JsonObject().put("label", "team=" + h)).getLong("prompts"), "label team=" + h);
      assertEquals(0, summary(new JsonObject().put("label", h + "=red")).getLong("prompts"), "label " + h + "=red");
    }
    assertEquals(120, summary(new JsonObject()).getLong("scores"), "the tables are intact");
  }

  @Test
  void aNameFullOfQuotesMatchesItselfExactly() throws SQLException {
    String name = "it's \"quoted\"; -- %_";
    DashboardData d = new DashboardData();
    UUID answer = d.exchange("p", "a", Instant.now(), name, "q", new JsonObject().put("k'", name));
    d.score(answer, name, "true_false", "true", Instant.now(), null);
    store.append(d.batch());
    assertEquals(1, summary(new JsonObject().put("generator", name)).getLong("scores"));
    assertEquals(1, summary(new JsonObject().put("scorer", name)).getLong("scores"));
    assertEquals(1, summary(new JsonObject().put("label", "k'=" + name)).getLong("scores"));
    assertEquals(1, dashboard.results(ResultsQuery.parse(new JsonObject().put("scorer", name))).getLong("total"));
  }

  @Test
  void badFilterValuesAreRefusedNamingTheParameter() {
    Object[][] bad = {
        {"days", "0"}, {"days", "3651"}, {"days", "7; DROP TABLE x"}, {"days", "-1"}, {"days", 2.5},
        {"label", "no-equals"}, {"label", "=value"}, {"scorer", "x".repeat(201)}, {"generator", "a\u0000b"},
        {"sort", "timestamp; DROP TABLE dashboard_results"}, {"sort", "piece_id"}, {"dir", "sideways"},
        {"limit", "0"}, {"limit", "201"}, {"limit", "ten"}, {"after", "not a cursor"}, {"before", "W10"},
        {"execution", 42},
    };
    for (Object[] b : bad) {
      Problem p = assertThrows(Problem.class, () -> ResultsQuery.parse(new JsonObject().put((String) b[0], b[1])),
          b[0] + "=" + b[1]);
      assertEquals(400, p.status());
      assertTrue(p.getMessage().contains("'" + b[0] + "'") || p.getMessage().contains(b[0] + "'"),
          "the message names " + b[0] + ": " + p.getMessage());
    }
    // a cursor of another sort is refused too
    String timeCursor = ResultsQuery.token(List.of(java.time.LocalDateTime.now(), UUID.randomUUID()));
    Problem p = assertThrows(Problem.class, () -> ResultsQuery.parse(new JsonObject().put("sort", "generator").put("after", timeCursor)));
    assertTrue(p.getMessage().contains("'after'"));
  }

  @Test
  void pagesWalkEveryResultOnceInOrderBothWays() throws SQLException {
    for (String sort : List.of("time", "generator", "success")) {
      for (String dir : List.of("desc", "asc")) {
        JsonObject args = new JsonObject().put("sort", sort).put("dir", dir).put("limit", 7);
        List<JsonObject> seen = new ArrayList<>();
        List<JsonObject> pages = new ArrayList<>();
        JsonObject page = dashboard.results(ResultsQuery.parse(args));
        assertNull(page.getString("prev"));
        while (true) {
          pages.add(page);
          assertEquals(seen.size(), page.getLong("offset"), sort + " " + dir);
          page.getJsonArray("items").forEach(o -> seen.add((JsonObject) o));
          if (page.getString("next") == null) {
            break;
          }
          page = dashboard.results(ResultsQuery.parse(args.copy().put("after", page.getString("next"))));
        }
        assertEquals(60, seen.size(), sort + " " + dir);
        assertEquals(60, new HashSet<>(names(new JsonArray(new ArrayList<>(seen)), "piece_id")).size(), "no result twice");
        assertEquals(60, page.getLong("total"));
        for (int i = 1; i < seen.size(); i++) {
          int cmp = compare(seen.get(i - 1), seen.get(i), sort);
          assertTrue(dir.equals("desc") ? cmp >= 0 : cmp <= 0, sort + " " + dir + " in order at " + i);
        }
        // and back: each previous page is the page seen before it
        for (int i = pages.size() - 1; i > 0; i--) {
          JsonObject back = dashboard.results(ResultsQuery.parse(args.copy().put("before", pages.get(i).getString("prev"))));
          assertEquals(names(pages.get(i - 1).getJsonArray("items"), "piece_id"), names(back.getJsonArray("items"), "piece_id"));
          assertEquals(pages.get(i - 1).getLong("offset"), back.getLong("offset"));
        }
      }
    }
  }

  @Test
  void aResultShowsItsPromptAnswerScoresGeneratorAndExecution() throws SQLException {
    JsonObject page = dashboard.results(ResultsQuery.parse(new JsonObject().put("execution", "b").put("scorer", "harm")
        .put("label", "team=blue").put("limit", 50)));
    assertEquals(20, page.getLong("total"));
    JsonObject first = page.getJsonArray("items").getJsonObject(0);
    assertEquals("prompt 0", first.getJsonObject("prompt").getString("original_value"));
    assertEquals("answer b0", first.getJsonObject("response").getString("value"));
    assertEquals("gen-2", first.getString("generator"));
    assertEquals("b", first.getString("execution_id"));
    assertEquals("blue", first.getJsonObject("labels").getString("team"));
    assertEquals(Set.of("refusal", "harm"), Set.copyOf(names(first.getJsonArray("scores"), "scorer")));
    assertTrue(first.getBoolean("attack_success"));
    assertEquals(2, first.getInteger("successes"));
    assertEquals(5, dashboard.results(ResultsQuery.parse(new JsonObject().put("execution", "b").put("sort", "success")
        .put("limit", 5))).getJsonArray("items").stream().filter(o -> ((JsonObject) o).getInteger("successes") == 2).count(),
        "sorted by success, the answers both scorers marked come first");
  }

  @Test
  void twoExecutionsSideBySideWithThePromptsWhoseOutcomeDiffers() throws SQLException {
    // execution d repeats a's prompts; its answers succeed only where a's did not
    DashboardData d = new DashboardData();
    for (int i = 0; i < 20; i++) {
      UUID answer = d.exchange("prompt " + i, "answer d" + i, Instant.now(), "gen-3", "d", null);
      d.score(answer, "refusal", "true_false", Boolean.toString(i % 2 == 1), Instant.now(), null);
    }
    store.append(d.batch());
    JsonObject cmp = dashboard.compare("a", "d");
    assertEquals(20, cmp.getJsonObject("a").getLong("prompts"));
    assertEquals(40, cmp.getJsonObject("a").getLong("scores"));
    assertEquals(20, cmp.getJsonObject("b").getLong("scores"));
    assertEquals(10, cmp.getJsonObject("b").getLong("successes"));
    JsonObject refusal = cmp.getJsonArray("scorers").stream().map(o -> (JsonObject) o)
        .filter(o -> o.getString("scorer").equals("refusal")).findFirst().orElseThrow();
    assertEquals(0.5, refusal.getJsonObject("a").getDouble("success_rate"), 1e-9);
    assertEquals(0.5, refusal.getJsonObject("b").getDouble("success_rate"), 1e-9);
    JsonObject prompts = cmp.getJsonObject("prompts");
    assertEquals(20, prompts.getLong("shared"));
    // a's prompt i succeeds when i is even (refusal) or i % 4 == 0 (harm); d's when i is odd
    assertEquals(10, prompts.getLong("only_a"));
    assertEquals(10, prompts.getLong("only_b"));
    assertEquals(0, prompts.getLong("same"));
    JsonObject row = prompts.getJsonArray("items").getJsonObject(0);
    assertFalse(row.getBoolean("a_success").equals(row.getBoolean("b_success")));
    assertEquals(404, assertThrows(Problem.class, () -> dashboard.compare("a", "no-such-execution")).status());
  }

  @Test
  void exportWritesExactlyTheFilteredResults() throws Exception {
    Path csv = dir.resolve("out.csv");
    JsonObject done = dashboard.export(DashboardFilter.parse(new JsonObject().put("generator", "gen-1").put("days", 7)), "csv", csv);
    assertEquals(20, done.getLong("rows"));
    List<String> lines = Files.readAllLines(csv);
    assertEquals(21, lines.size(), "a header and 20 rows");
    assertTrue(lines.get(0).contains("original_value") && lines.get(0).contains("response") && lines.get(0).contains("scores"),
        lines.get(0));
    assertTrue(lines.stream().skip(1).allMatch(l -> l.contains(",a,gen-1,")), "only execution a's rows: " + lines.get(1));
    assertTrue(lines.get(1).contains("refusal="), lines.get(1));
  }

  private static List<String> names(JsonArray rows, String field) {
    List<String> out = new ArrayList<>();
    rows.forEach(o -> out.add(((JsonObject) o).getString(field)));
    return out;
  }

  private static int compare(JsonObject a, JsonObject b, String sort) {
    int cmp = switch (sort) {
      case "generator" -> a.getString("generator").compareTo(b.getString("generator"));
      case "success" -> Integer.compare(a.getInteger("successes"), b.getInteger("successes"));
      default -> 0;
    };
    return cmp != 0 ? cmp : a.getString("timestamp").compareTo(b.getString("timestamp"));
  }
}
