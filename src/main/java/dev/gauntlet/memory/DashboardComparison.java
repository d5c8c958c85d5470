package dev.gauntlet.memory;

import dev.gauntlet.verdict.Outcome;
import dev.gauntlet.verdict.stats.Difference;
import dev.gauntlet.verdict.stats.Proportion;
import dev.gauntlet.Problem;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.StringJoiner;
import java.util.TreeSet;
import java.util.UUID;

/** Two executions side by side, from the dashboard's rollup and the results matrix's rows ({@code matrix_rows}). */
final class DashboardComparison {

  static final int COMPARED_PROMPTS = 200;

  private final Connection c;
  private final Dashboard dashboard;

  DashboardComparison(Connection c, Dashboard dashboard) {
    this.c = c;
    this.dashboard = dashboard;
  }

  /**
   * Two executions side by side: their figures, each scorer's, harm category's and converter
   * chain's rate in both with the test of their difference, and the prompts both sent (by
   * original text) with each one's outcome, differing first.
   */
  JsonObject compare(String a, String b) throws SQLException {
    return compare(List.of(a, b), null, null);
  }

  /**
   * Two or more executions compared ({@code ids}: A, B, then the others): A and B as
   * {@link #compare(String, String)} gives them, the others' figures in {@code others}, and each
   * prompt row with a cell per execution (outcome, whether a person decided it, the answer's
   * snippet). {@code chips} (the matrix's, may be null) narrow the prompts: a prompt stays when
   * any compared execution's result matches every chip (ignoring its own filter and executions).
   */
  JsonObject compare(List<String> ids, MatrixQuery chips, DashboardMatrix matrix) throws SQLException {
    String a = ids.get(0);
    String b = ids.get(1);
    Map<String, JsonObject> known = dashboard.describe(ids);
    Map<String, JsonObject> totals = new HashMap<>();
    Map<String, Map<String, JsonObject>> perScorer = new HashMap<>();
    try (PreparedStatement ps = c.prepareStatement(ComparisonQueries.summary(ids.size()))) {
      for (int i = 0; i < ids.size(); i++) {
        ps.setString(i + 1, ids.get(i));
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String execution = rs.getString("execution_id");
          JsonObject n = Dashboard.figures(rs, rs.getInt("g_scorer") == 0);
          if (rs.getInt("g_scorer") == 1) {
            totals.merge(execution, n, (x, y) -> x);
          } else if (!rs.getString("scorer").isEmpty()) {
            perScorer.computeIfAbsent(execution, k -> new TreeMap<>()).put(rs.getString("scorer"), n);
          }
        }
      }
    }
    for (String id : ids) {
      if (!known.containsKey(id) && !totals.containsKey(id)) {
        throw Problem.notFound("execution", id);
      }
    }
    for (String id : ids) {
      // a person's verdict wins over the automatic outcome the rollup counted
      if (totals.containsKey(id)) {
        totals.put(id, dashboard.withHumanVerdicts(id, totals.get(id)));
      }
    }
    TreeSet<String> scorers = new TreeSet<>();
    perScorer.values().forEach(m -> scorers.addAll(m.keySet()));
    JsonArray scorerRows = new JsonArray();
    JsonObject none = Dashboard.figures(0, 0, 0, 0, 0, 0, 0);
    for (String scorer : scorers) {
      JsonObject na = perScorer.getOrDefault(a, Map.of()).getOrDefault(scorer, none);
      JsonObject nb = perScorer.getOrDefault(b, Map.of()).getOrDefault(scorer, none);
      scorerRows.add(new JsonObject().put("scorer", scorer).put("a", na).put("b", nb)
          .put("difference", nb.getDouble("success_rate") - na.getDouble("success_rate")).put("test", test(na, nb)));
    }
    Map<String, JsonArray> groups = groups(a, b);
    JsonObject sideA = side(a, known.get(a), totals.get(a));
    JsonObject sideB = side(b, known.get(b), totals.get(b));
    JsonArray others = new JsonArray();
    for (String id : ids.subList(2, ids.size())) {
      others.add(side(id, known.get(id), totals.get(id)));
    }
    return new JsonObject()
        .put("a", sideA)
        .put("b", sideB)
        .put("test", test(sideA, sideB))
        .put("scorers", scorerRows)
        .put("harm_categories", groups.getOrDefault("harm_category", new JsonArray()))
        .put("converter_chains", groups.getOrDefault("converter_chain", new JsonArray()))
        .put("others", others)
        .put("prompts", prompts(ids, chips, matrix));
  }

  /**
   * Per harm category and per converter chain ({@link ComparisonQueries#GROUPS}): each group's
   * figures in A and in B (results by outcome, a person's verdict winning; the rate over judged
   * results with its interval), B − A and the two-proportion test, keyed by kind, groups by name.
   */
  private Map<String, JsonArray> groups(String a, String b) throws SQLException {
    Map<String, Map<String, Map<String, JsonObject>>> counted = new TreeMap<>();
    boolean reviews = Rows.all(c, "SELECT 1 FROM reviews LIMIT 1").iterator().hasNext();
    try (PreparedStatement ps = c.prepareStatement(reviews ? ComparisonQueries.GROUPS : ComparisonQueries.GROUPS_UNREVIEWED)) {
      ps.setString(1, a);
      ps.setString(2, b);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          JsonObject n = Dashboard.figures(0, 0, 0, rs.getLong("attack_succeeded"), rs.getLong("held"), rs.getLong("errors"),
              rs.getLong("unscored"));
          n.remove("prompts");
          n.remove("responses");
          n.remove("scores");
          counted.computeIfAbsent(rs.getString("kind"), k -> new TreeMap<>())
              .computeIfAbsent(rs.getString("grp"), k -> new HashMap<>()).put(rs.getString("execution_id"), n);
        }
      }
    }
    Map<String, JsonArray> out = new HashMap<>();
    JsonObject none = Dashboard.figures(0, 0, 0, 0, 0, 0, 0);
    List.of("prompts", "responses", "scores").forEach(none::remove);
    counted.forEach((kind, byName) -> {
      JsonArray rows = new JsonArray();
      byName.forEach((name, sides) -> {
        JsonObject na = sides.getOrDefault(a, none);
        JsonObject nb = sides.getOrDefault(b, none);
        rows.add(new JsonObject().put("name", name).put("a", na).put("b", nb)
            .put("difference", nb.getDouble("success_rate") - na.getDouble("success_rate")).put("test", test(na, nb)));
      });
      out.put(kind, rows);
    });
    return out;
  }

  /**
   * Whether B's attack success rate differs from A's beyond chance: a two-proportion test at 5%
   * over judged results, "too few results" below its minimum sample (verdict.stats.Difference).
   */
  private static JsonObject test(JsonObject a, JsonObject b) {
    return Difference.between(Proportion.of(a.getLong("attack_succeeded"), a.getLong("rate_denominator")),
        Proportion.of(b.getLong("attack_succeeded"), b.getLong("rate_denominator"))).toJson();
  }

  private static JsonObject side(String id, JsonObject execution, JsonObject totals) {
    JsonObject out = execution != null ? execution.copy() : new JsonObject().put("id", id).put("name", id);
    JsonObject n = totals != null ? totals : Dashboard.figures(0, 0, 0, 0, 0, 0, 0);
    return out.mergeIn(n);
  }

  private JsonObject prompts(List<String> ids, MatrixQuery chips, DashboardMatrix matrix) throws SQLException {
    List<JsonObject> items = new ArrayList<>();
    Map<String, JsonObject> cut = new HashMap<>();
    List<Map<Long, JsonObject>> answerAt = new ArrayList<>();
    long shared = 0;
    long onlyA = 0;
    long onlyB = 0;
    long same = 0;
    int n = ids.size();
    for (int k = 0; k < n; k++) {
      answerAt.add(new HashMap<>());
    }
    StringBuilder keep = new StringBuilder();
    Dashboard.Where w = null;
    MatrixQuery q = null;
    if (chips != null && matrix != null && narrows(chips)) {
      // the matrix's own WHERE (chips, search words, reviewed, outcomes) over the compared executions' rows
      q = new MatrixQuery(DashboardFilter.ALL, chips.outcomes(), chips.harmCategory(), chips.probe(), chips.chain(), chips.attack(),
          chips.reviewed(), chips.words(), chips.search(), ids, "execution", "natural", false, 0, MatrixQuery.DEFAULT_LIMIT,
          "harm_category", null, null);
      StringBuilder base = new StringBuilder();
      w = matrix.base(q, base, "m.prompt_key", matrix.anyReview());
      keep.append(" AND m.prompt_key IN (SELECT prompt_key FROM (").append(base).append(")").append(DashboardMatrix.outcomeFilter(q)).append(")");
    }
    try (PreparedStatement ps = c.prepareStatement(ComparisonQueries.prompts(n, keep.toString()))) {
      int i = 1;
      for (String id : ids) {
        for (int k = 0; k < 3; k++) {
          ps.setString(i++, id);
        }
      }
      ps.setString(i++, ids.get(0));
      for (String id : ids) {
        ps.setString(i++, id);
      }
      if (w != null) {
        ps.setObject(i++, q.filter().sinceTime());
        for (Object arg : w.args) {
          ps.setObject(i++, arg instanceof String[] list ? c.createArrayOf("VARCHAR", list) : arg);
        }
        if (!q.outcomes().isEmpty()) {
          ps.setObject(i++, c.createArrayOf("VARCHAR", q.outcomes().toArray()));
        }
      }
      ps.setString(i++, ids.get(0));
      ps.setInt(i, COMPARED_PROMPTS);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          shared = rs.getLong("shared");
          onlyA = rs.getLong("only_a");
          onlyB = rs.getLong("only_b");
          same = rs.getLong("same");
          String ao = DashboardMatrix.outcome(rs.getInt("r0"));
          String bo = DashboardMatrix.outcome(rs.getInt("r1"));
          JsonObject item = new JsonObject().put("prompt", rs.getString("prompt_text"))
              .put("a_outcome", ao).put("a_by_human", rs.getBoolean("h0")).put("a_success", Outcome.ATTACK_SUCCEEDED.value().equals(ao))
              .put("b_outcome", bo).put("b_by_human", rs.getBoolean("h1")).put("b_success", Outcome.ATTACK_SUCCEEDED.value().equals(bo));
          JsonArray cells = new JsonArray();
          for (int k = 0; k < n; k++) {
            String o = DashboardMatrix.outcome(rs.getInt("r" + k));
            JsonObject cell = new JsonObject().put("execution_id", ids.get(k)).put("outcome", o).put("by_human", rs.getBoolean("h" + k));
            cells.add(cell);
            answerAt.get(k).put(rs.getLong("w" + k), cell);
          }
          items.add(item.put("cells", cells));
          if (rs.getLong("prompt_length") > MatrixIndex.SNIPPET_CHARS) {
            cut.put(rs.getString("piece_id"), item);
          }
        }
      }
    }
    fullTexts(cut);
    answers(answerAt);
    return new JsonObject().put("shared", shared).put("same", same).put("only_a", onlyA)
        .put("only_b", onlyB).put("items", new JsonArray(new ArrayList<>(items))).put("limited_to", COMPARED_PROMPTS)
        .put("executions", new JsonArray(new ArrayList<>(ids))).put("query", chips == null ? new JsonObject() : chipsJson(chips));
  }

  /** Whether any chip narrows the prompts. */
  private static boolean narrows(MatrixQuery q) {
    return !q.outcomes().isEmpty() || q.harmCategory() != null || q.probe() != null || q.chain() != null || q.attack() != null
        || q.reviewed() != null || !q.words().isEmpty();
  }

  /** The chips as request arguments (what the rows were narrowed by). */
  static JsonObject chipsJson(MatrixQuery q) {
    JsonObject all = q.toJson();
    JsonObject out = new JsonObject();
    for (String k : List.of("outcome", "harm_category", "probe", "chain", "attack", "reviewed", "q")) {
      if (all.getValue(k) != null) {
        out.put(k, all.getValue(k));
      }
    }
    return out;
  }

  /**
   * The snippet of each cell's answer, read by the rowids the statement just before found: per
   * execution a scan bounded by its own rows' range (an execution's rows lie together; one range
   * over all of them could span the whole table).
   */
  private void answers(List<Map<Long, JsonObject>> byExecution) throws SQLException {
    StringJoiner sql = new StringJoiner(" UNION ALL ");
    Map<Long, JsonObject> byRow = new HashMap<>();
    for (Map<Long, JsonObject> rowsOf : byExecution) {
      if (rowsOf.isEmpty()) {
        continue;
      }
      byRow.putAll(rowsOf);
      StringJoiner rows = new StringJoiner(", ");
      rowsOf.keySet().forEach(r -> rows.add(Long.toString(r)));
      long from = rowsOf.keySet().stream().mapToLong(Long::longValue).min().orElseThrow();
      long to = rowsOf.keySet().stream().mapToLong(Long::longValue).max().orElseThrow();
      sql.add("SELECT rowid AS r, answer_text, answer_length, conversation_id FROM matrix_rows WHERE rowid BETWEEN " + from + " AND " + to
          + " AND rowid IN (" + rows + ")");
    }
    if (byRow.isEmpty()) {
      return;
    }
    try (PreparedStatement ps = c.prepareStatement(sql.toString()); ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        JsonObject cell = byRow.get(rs.getLong("r"));
        if (cell != null) {
          cell.put("answer", rs.getString("answer_text")).put("answer_length", rs.getObject("answer_length"))
              .put("conversation_id", rs.getString("conversation_id"));
        }
      }
    }
  }

  /** Prompts longer than their snippet, shown up to {@link ComparisonQueries#PROMPT_CHARS} characters: read for these rows only. */
  private void fullTexts(Map<String, JsonObject> byPiece) throws SQLException {
    if (byPiece.isEmpty()) {
      return;
    }
    // ids as literals, each parsed as a UUID first (so nothing else can be spelled here)
    StringJoiner in = new StringJoiner("', '", "'", "'");
    byPiece.keySet().forEach(id -> in.add(UUID.fromString(id).toString()));
    String sql = ComparisonQueries.PROMPT_TEXTS.replace("/*IDS*/", in.toString())
        .replace("/*CHARS*/", Integer.toString(ComparisonQueries.PROMPT_CHARS));
    try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        byPiece.get(rs.getString("piece_id")).put("prompt", rs.getString("prompt"));
      }
    }
  }
}
