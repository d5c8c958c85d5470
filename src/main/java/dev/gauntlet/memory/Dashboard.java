package dev.gauntlet.memory;

import dev.gauntlet.verdict.stats.Proportion;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The dashboard's reads over one user's memory: figures from {@code dashboard_rollup}, pages of
 * detailed results from {@code dashboard_results} (texts and scores fetched for the page's rows
 * only), two executions side by side, and the filtered results as a file. Every filter value is
 * bound as a parameter; column names come from fixed lists only.
 */
final class Dashboard {

  private final Connection c;
  private final DashboardIndex index;
  private final DashboardResults results;
  private final DashboardComparison comparison;
  private final MatrixIndex matrixIndex;
  private final DashboardMatrix matrix;
  private final MatrixHeatmap heatmap;
  /** The options and their JSON as of the index's version: every page shows them, and only a catch-up changes them. */
  private Options options;
  private JsonObject optionsJson;
  private long optionsVersion = -1;

  Dashboard(Connection c) {
    this(c, new DashboardIndex(c, null));
  }

  Dashboard(Connection c, DashboardIndex index) {
    this.c = c;
    this.index = index;
    this.results = new DashboardResults(c, this);
    this.comparison = new DashboardComparison(c, this);
    this.matrixIndex = new MatrixIndex(c, index);
    this.matrix = new DashboardMatrix(c, this, matrixIndex);
    this.heatmap = new MatrixHeatmap(c, this, matrix);
  }

  /** A page of the results matrix (prompts × executions or generators). */
  JsonObject matrix(MatrixQuery q) throws SQLException {
    index.catchUp();
    matrixIndex.catchUp();
    return matrix.matrix(q);
  }

  /** The heat map, rates by converter chain, attack and execution (with its previous run), and time buckets. */
  JsonObject heatmap(MatrixQuery q) throws SQLException {
    index.catchUp();
    matrixIndex.catchUp();
    return heatmap.heatmap(q);
  }

  JsonObject results(ResultsQuery q) throws SQLException {
    index.catchUp();
    return results.page(q);
  }

  JsonObject export(DashboardFilter f, String format, Path path) throws SQLException {
    index.catchUp();
    return results.export(f, format, path);
  }

  JsonObject compare(String a, String b) throws SQLException {
    index.catchUp();
    matrixIndex.catchUp();
    return comparison.compare(a, b);
  }

  /** Two or more executions compared (A, B, then the others), the prompts narrowed by the matrix's chips. */
  JsonObject compare(List<String> ids, MatrixQuery chips) throws SQLException {
    index.catchUp();
    matrixIndex.catchUp();
    return comparison.compare(ids, chips, matrix);
  }

  /** Filter conditions as AND-ed SQL and the values they bind, in order. */
  static final class Where {
    final StringBuilder sql = new StringBuilder();
    final List<Object> args = new ArrayList<>();

    Where and(String condition, Object value) {
      sql.append(" AND ").append(condition);
      args.add(value);
      return this;
    }
  }

  Where where(DashboardFilter f, Options options, String alias, boolean rollup) {
    Where w = new Where();
    if (f.generator() != null) {
      w.and(alias + "generator = ?", f.generator());
    }
    if (f.execution() != null) {
      w.and(alias + "execution_id = ?", f.execution());
    }
    if (f.labelKey() != null) {
      w.and(alias + "labels = ANY(?)", options.labelSets(f.labelKey(), f.labelValue()).toArray(new String[0]));
    }
    if (f.scorer() != null) {
      // prompts have no scorer: the rollup's prompt rows (scorer '') stay in. "name@version" is
      // that version only; a bare name is every version of the scorer (see DashboardQueries.scorerOf)
      boolean any = f.scorer().indexOf('@') < 0;
      String scorer = rollup ? alias + "scorer" : alias + "scorers";
      if (any) {
        scorer = "regexp_replace(" + scorer + ", " + DashboardQueries.VERSION_SUFFIX + ", '\\1', 'g')";
      }
      w.and(rollup ? "(" + alias + "scorer = '' OR " + scorer + " = ?)" : "contains(" + scorer + ", ?)",
          rollup ? f.scorer() : DashboardIndex.scorerMark(f.scorer()));
    }
    return w;
  }

  // --- options ------------------------------------------------------------------------------

  /** What the rollup holds: the values a filter can take. */
  record Options(List<String> scorers, List<String> generators, List<String> executions, List<String> labelSets) {

    /** The label sets (JSON texts) in which {@code key} has {@code value}. */
    List<String> labelSets(String key, String value) {
      List<String> out = new ArrayList<>();
      for (String set : labelSets) {
        if (value.equals(labelsOf(set).get(key))) {
          out.add(set);
        }
      }
      return out;
    }

    /**
     * Every {@code key=value} of every label set, sorted; not the execution_id label Gauntlet
     * puts on each execution's pieces (the execution filter offers those).
     */
    List<String> labels() {
      TreeSet<String> out = new TreeSet<>();
      labelSets.forEach(set -> labelsOf(set).forEach((k, v) -> {
        if (!k.equals("execution_id")) {
          out.add(k + "=" + v);
        }
      }));
      return new ArrayList<>(out);
    }
  }

  /** A label set's keys and values, a value read as {@code ->>} reads it; not an object: none. */
  static Map<String, String> labelsOf(String set) {
    Map<String, String> out = new LinkedHashMap<>();
    if (set.isEmpty()) {
      return out;
    }
    try {
      new JsonObject(set).forEach(e -> {
        String v = text(e.getValue());
        if (v != null) {
          out.put(e.getKey(), v);
        }
      });
    } catch (RuntimeException notAnObject) {
      // labels that are not a JSON object offer nothing to filter on
    }
    return out;
  }

  /** What {@code ->>} gives for a JSON value: a string as is, anything else as JSON text, null as NULL. */
  private static String text(Object v) {
    if (v == null) {
      return null;
    }
    if (v instanceof String s) {
      return s;
    }
    if (v instanceof JsonObject || v instanceof JsonArray) {
      return io.vertx.core.json.Json.encode(v);
    }
    return v.toString();
  }

  Options options() throws SQLException {
    if (optionsVersion == index.version()) {
      return options;
    }
    optionsJson = null;
    options = readOptions();
    optionsVersion = index.version();
    return options;
  }

  private Options readOptions() throws SQLException {
    List<String> scorers = new ArrayList<>();
    List<String> generators = new ArrayList<>();
    List<String> executions = new ArrayList<>();
    List<String> labelSets = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(DashboardQueries.ROLLUP_OPTIONS); ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        if (rs.getInt("g_scorer") == 0) {
          if (!rs.getString("scorer").isEmpty()) {
            scorers.add(rs.getString("scorer"));
          }
        } else if (rs.getInt("g_generator") == 0) {
          generators.add(rs.getString("generator"));
        } else if (rs.getInt("g_execution") == 0) {
          if (!rs.getString("execution_id").isEmpty()) {
            executions.add(rs.getString("execution_id"));
          }
        } else if (!rs.getString("labels").isEmpty()) {
          labelSets.add(rs.getString("labels"));
        }
      }
    }
    scorers.sort(null);
    generators.sort(null);
    return new Options(scorers, generators, executions, labelSets);
  }

  /** The executions a filter can pick, newest first, with what the executions table knows of them. */
  private JsonArray executionOptions(Options o) throws SQLException {
    Map<String, JsonObject> known = describe(o.executions());
    List<JsonObject> out = new ArrayList<>();
    for (String id : o.executions()) {
      out.add(known.getOrDefault(id, new JsonObject().put("id", id).put("name", id)));
    }
    out.sort((a, b) -> {
      String ta = a.getString("created_at", "");
      String tb = b.getString("created_at", "");
      return ta.equals(tb) ? a.getString("id").compareTo(b.getString("id")) : tb.compareTo(ta);
    });
    return new JsonArray(new ArrayList<>(out));
  }

  /** Executions by id: orchestrator name, type, status and creation time. */
  Map<String, JsonObject> describe(List<String> ids) throws SQLException {
    Map<String, JsonObject> out = new HashMap<>();
    if (ids.isEmpty()) {
      return out;
    }
    try (PreparedStatement ps = c.prepareStatement("SELECT id, orchestrator ->> 'name' AS name, orchestrator ->> 'type' AS type, "
        + "status, created_at FROM executions WHERE id = ANY(?)")) {
      ps.setArray(1, c.createArrayOf("VARCHAR", ids.toArray()));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          JsonObject row = Rows.toJson(rs);
          if (row.getString("name") == null) {
            row.put("name", row.getString("id"));
          }
          out.put(row.getString("id"), row);
        }
      }
    }
    return out;
  }

  JsonObject optionsJson(Options o) throws SQLException {
    if (o == options && optionsJson != null) {
      return optionsJson.copy();
    }
    JsonObject json = new JsonObject().put("scorers", new JsonArray(new ArrayList<>(o.scorers())))
        .put("generators", new JsonArray(new ArrayList<>(o.generators()))).put("labels", new JsonArray(new ArrayList<>(o.labels())))
        .put("executions", executionOptions(o));
    if (o == options) {
      optionsJson = json.copy();
    }
    return json;
  }

  // --- summary ------------------------------------------------------------------------------

  /**
   * The figures under a filter: executions, prompts, answers, scores, attack successes, their
   * rate and the defense score (1 − rate), and the same per scorer, per generator, per execution,
   * per day and per scorer × generator × day; with the values each filter can take.
   */
  JsonObject summary(DashboardFilter f) throws SQLException {
    index.catchUp();
    Options options = options();
    Where w = where(f, options, "", true);
    JsonObject total = figures(0, 0, 0, 0, 0, 0, 0);
    // under a scorer filter every figure is that scorer's verdicts, not the results' outcomes
    boolean scorerFiltered = f.scorer() != null;
    Map<String, JsonObject> byDay = new TreeMap<>();
    JsonArray byScorer = new JsonArray();
    JsonArray byGenerator = new JsonArray();
    JsonArray byExecution = new JsonArray();
    JsonArray rows = new JsonArray();
    try (PreparedStatement ps = c.prepareStatement(DashboardQueries.ROLLUP_SUMMARY.replace("/*FILTER*/", w.sql))) {
      ps.setObject(1, f.since());
      Exports.bind(ps, w.args, 2);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          boolean day = rs.getInt("g_day") == 0;
          boolean scorer = rs.getInt("g_scorer") == 0;
          boolean generator = rs.getInt("g_generator") == 0;
          boolean execution = rs.getInt("g_execution") == 0;
          JsonObject n = figures(rs, scorer || scorerFiltered);
          if (day && scorer && generator) {
            if (!rs.getString("scorer").isEmpty()) {
              rows.add(new JsonObject().put("scorer", rs.getString("scorer")).put("generator", rs.getString("generator"))
                  .put("day", rs.getObject("day").toString()).put("scores", n.getLong("scores"))
                  .put("successes", n.getLong("successes")).put("held", n.getLong("held"))
                  .put("unscored", n.getLong("unscored")).put("rate_denominator", n.getLong("rate_denominator"))
                  .put("success_rate", n.getDouble("success_rate")));
            }
          } else if (day) {
            byDay.put(rs.getObject("day").toString(), n.put("day", rs.getObject("day").toString()));
          } else if (scorer) {
            if (!rs.getString("scorer").isEmpty()) {
              byScorer.add(n.put("scorer", rs.getString("scorer")));
            }
          } else if (generator) {
            byGenerator.add(n.put("generator", rs.getString("generator")));
          } else if (execution) {
            if (!rs.getString("execution_id").isEmpty()) {
              byExecution.add(n.put("execution_id", rs.getString("execution_id")));
            }
          } else if (rs.getObject("prompts") != null) {
            total = n; // with no rows at all, the empty grouping set still answers a row of NULLs
          }
        }
      }
    }
    JsonObject outcomes;
    if (!scorerFiltered) {
      // a person's verdict wins over the automatic outcome the rollup counted (a scorer's own figures stay its own)
      long[] people = new long[2];
      total = withHumanVerdicts(f, options, total, byDay, byGenerator, byExecution, people);
      outcomes = new JsonObject().put("results", total.getLong("results")).put("attack_succeeded", total.getLong("attack_succeeded"))
          .put("held", total.getLong("held")).put("errors", total.getLong("errors")).put("unscored", total.getLong("unscored"))
          .put("human_verdicts", people[0]).put("human_overrides", people[1])
          .put("attack_success_rate", total.getLong("rate_denominator") == 0 ? null : total.getDouble("success_rate"));
    } else {
      outcomes = outcomes(f, options);
    }
    sortBy(byScorer, "scorer");
    sortBy(byGenerator, "generator");
    sortBy(byExecution, "execution_id");
    sortBy(rows, "day", "scorer", "generator");
    return total.put("executions", (long) byExecution.size()).put("days", f.days()).put("since", f.since().toString())
        .put("filters", f.toJson()).put("by_scorer", byScorer).put("by_generator", byGenerator)
        .put("by_execution", byExecution).put("by_day", everyDay(byDay, f.since())).put("rows", rows)
        .put("options", optionsJson(options)).put("outcomes", outcomes);
  }

  private static final List<String> OUTCOMES = List.of("attack_succeeded", "held", "errors", "unscored");

  /**
   * Moves each result whose outcome a person changed from its automatic outcome to the person's,
   * in the whole and per day, generator and execution; returns the corrected whole.
   */
  private JsonObject withHumanVerdicts(DashboardFilter f, Options options, JsonObject total, Map<String, JsonObject> byDay,
                                       JsonArray byGenerator, JsonArray byExecution, long[] people) throws SQLException {
    Where w = where(f, options, "r.", false);
    Map<String, long[]> days = new HashMap<>();
    Map<String, long[]> generators = new HashMap<>();
    Map<String, long[]> executions = new HashMap<>();
    long[] whole = new long[OUTCOMES.size()];
    if (!Rows.all(c, "SELECT 1 FROM reviews LIMIT 1").iterator().hasNext()) {
      return total; // no one reviewed anything: the rollup's figures stand
    }
    try (PreparedStatement ps = c.prepareStatement(DashboardQueries.HUMAN_CHANGES.replace("/*FILTER*/", w.sql))) {
      ps.setObject(1, f.sinceTime());
      Exports.bind(ps, w.args, 2);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          people[0]++;
          int from = OUTCOMES.indexOf(column(rs.getString("automatic")));
          int to = OUTCOMES.indexOf(column(rs.getString("human")));
          if (from == to) {
            continue;
          }
          people[1]++;
          for (long[] d : List.of(whole, days.computeIfAbsent(rs.getObject("day").toString(), k -> new long[OUTCOMES.size()]),
              generators.computeIfAbsent(rs.getString("generator"), k -> new long[OUTCOMES.size()]),
              executions.computeIfAbsent(rs.getString("execution_id"), k -> new long[OUTCOMES.size()]))) {
            d[from]--;
            d[to]++;
          }
        }
      }
    }
    days.forEach((day, d) -> byDay.computeIfPresent(day, (k, n) -> moved(n, d)));
    for (int i = 0; i < byGenerator.size(); i++) {
      long[] d = generators.get(byGenerator.getJsonObject(i).getString("generator"));
      if (d != null) {
        byGenerator.set(i, moved(byGenerator.getJsonObject(i), d));
      }
    }
    for (int i = 0; i < byExecution.size(); i++) {
      long[] d = executions.get(byExecution.getJsonObject(i).getString("execution_id"));
      if (d != null) {
        byExecution.set(i, moved(byExecution.getJsonObject(i), d));
      }
    }
    return moved(total, whole);
  }

  /** An execution's figures with the results a person changed moved to the person's outcome (compare). */
  JsonObject withHumanVerdicts(String executionId, JsonObject figures) throws SQLException {
    long[] d = new long[OUTCOMES.size()];
    if (!Rows.all(c, "SELECT 1 FROM reviews LIMIT 1").iterator().hasNext()) {
      return figures; // no one reviewed anything: the rollup's figures stand
    }
    try (PreparedStatement ps = c.prepareStatement(DashboardQueries.HUMAN_CHANGES.replace("/*FILTER*/", " AND r.execution_id = ?"))) {
      ps.setObject(1, java.time.LocalDateTime.of(1970, 1, 1, 0, 0));
      ps.setString(2, executionId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          d[OUTCOMES.indexOf(column(rs.getString("automatic")))]--;
          d[OUTCOMES.indexOf(column(rs.getString("human")))]++; // the same outcome: -1 then +1, no change
        }
      }
    }
    return moved(figures, d);
  }

  /** An outcome's figure name. */
  private static String column(String outcome) {
    return "error".equals(outcome) ? "errors" : outcome;
  }

  /** Figures with {@code d} added to their outcome counts, and the rates worked out again. */
  private static JsonObject moved(JsonObject n, long[] d) {
    return n.copy().mergeIn(figures(n.getLong("prompts"), n.getLong("responses"), n.getLong("scores"),
        n.getLong("attack_succeeded") + d[0], n.getLong("held") + d[1], n.getLong("errors") + d[2], n.getLong("unscored") + d[3]));
  }

  /**
   * Under a scorer filter (whose figures are that scorer's verdicts): the filtered results by outcome, a person's verdict winning over the scorers' (with how many
   * people decided and how many of those changed the outcome), and the attack success rate
   * succeeded ÷ (succeeded + held).
   */
  private JsonObject outcomes(DashboardFilter f, Options options) throws SQLException {
    Where w = where(f, options, "r.", false);
    try (PreparedStatement ps = c.prepareStatement(DashboardQueries.RESULTS_BY_OUTCOME.replace("/*FILTER*/", w.sql))) {
      ps.setObject(1, f.sinceTime());
      Exports.bind(ps, w.args, 2);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        JsonObject out = Rows.toJson(rs);
        long succeeded = out.getLong("attack_succeeded");
        long judged = succeeded + out.getLong("held");
        return out.put("attack_success_rate", judged == 0 ? null : (double) succeeded / judged);
      }
    }
  }

  /**
   * A rollup row's figures. Results are counted by outcome ({@code verdict/Outcomes}, counted into
   * the rollup's scorer '' rows); a scorer's own figures ({@code byScores}) count its scores
   * instead: usable verdicts of success, usable verdicts of held, and undetermined scores as
   * unscored (a scorer never sees a result that is an error).
   */
  static JsonObject figures(ResultSet rs, boolean byScores) throws SQLException {
    long scores = rs.getLong("scores");
    long successes = rs.getLong("successes");
    long verdicts = rs.getLong("verdicts");
    if (byScores) {
      return figures(rs.getLong("prompts"), rs.getLong("responses"), scores, successes, verdicts - successes, 0, scores - verdicts);
    }
    return figures(rs.getLong("prompts"), rs.getLong("responses"), scores, rs.getLong("attack_succeeded"), rs.getLong("held"),
        rs.getLong("errors"), rs.getLong("unscored"));
  }

  /**
   * Counts with the attack success rate, succeeded ÷ (succeeded + held), and its denominator;
   * errors and unscored beside it with their shares of all results, never folded in. The defense
   * score (1 − rate) is null when nothing was judged. {@code success_interval} is the rate's 95%
   * Wilson interval with its denominator ({@code rate} and bounds null when nothing was judged).
   */
  static JsonObject figures(long prompts, long responses, long scores, long succeeded, long held, long errors, long unscored) {
    long judged = succeeded + held;
    long results = judged + errors + unscored;
    double rate = judged == 0 ? 0.0 : (double) succeeded / judged;
    return new JsonObject().put("prompts", prompts).put("responses", responses).put("scores", scores)
        .put("results", results).put("successes", succeeded).put("attack_succeeded", succeeded).put("held", held)
        .put("errors", errors).put("unscored", unscored).put("rate_denominator", judged).put("success_rate", rate)
        .put("defense_score", judged == 0 ? null : 1.0 - rate)
        .put("error_rate", results == 0 ? 0.0 : (double) errors / results)
        .put("unscored_rate", results == 0 ? 0.0 : (double) unscored / results)
        .put("success_interval", Proportion.of(succeeded, judged).toJson());
  }

  /** Days from the first with data (or the filter's first, if later) to today, days without data as zeros. */
  private static JsonArray everyDay(Map<String, JsonObject> byDay, LocalDate since) {
    JsonArray out = new JsonArray();
    if (byDay.isEmpty()) {
      return out;
    }
    LocalDate first = LocalDate.parse(byDay.keySet().iterator().next());
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    LocalDate last = LocalDate.parse(((TreeMap<String, JsonObject>) byDay).lastKey());
    LocalDate end = last.isAfter(today) ? last : today;
    for (LocalDate d = first.isBefore(since) ? since : first; !d.isAfter(end); d = d.plusDays(1)) {
      JsonObject n = byDay.get(d.toString());
      out.add(n != null ? n : figures(0, 0, 0, 0, 0, 0, 0).put("day", d.toString()));
    }
    return out;
  }

  private static void sortBy(JsonArray rows, String... fields) {
    rows.getList().sort((a, b) -> {
      for (String f : fields) {
        int cmp = String.valueOf(((JsonObject) a).getValue(f)).compareTo(String.valueOf(((JsonObject) b).getValue(f)));
        if (cmp != 0) {
          return cmp;
        }
      }
      return 0;
    });
  }
}
