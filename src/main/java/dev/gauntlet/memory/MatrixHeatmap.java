package dev.gauntlet.memory;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.gauntlet.review.HumanVerdicts;

/**
 * The heat map: the results under the matrix's filters counted by generator × an axis, by chain,
 * attack, execution and time bucket, summed from {@code matrix_heat} ({@link MatrixIndex}) where
 * its groups can answer exactly, else counted from {@code matrix_rows} as the matrix reads them.
 */
final class MatrixHeatmap {

  private final Connection c;
  private final Dashboard dashboard;
  private final DashboardMatrix matrix;

  MatrixHeatmap(Connection c, Dashboard dashboard, DashboardMatrix matrix) {
    this.c = c;
    this.dashboard = dashboard;
    this.matrix = matrix;
  }

  /**
   * The heat map under a query: results per generator × the query's axis (harm category, probe,
   * scorer, converter chain or attack) by outcome, with the same per converter chain, per attack,
   * per execution (with the previous run of its orchestrator), and per time bucket, the bucket's
   * size fitting the span of the results (a minute to a month). Each count carries its rate and
   * Wilson interval ({@link Dashboard#figures}).
   */
  JsonObject heatmap(MatrixQuery q) throws SQLException {
    String axis = switch (q.axis()) {
      case "probe" -> "[CASE WHEN m.probe = '' THEN 'no probe' ELSE m.probe END]";
      case "scorer" -> "coalesce(nullif(list_filter(string_split(m.scorers, chr(31)), lambda x: x <> ''), []), ['no scorer'])";
      case "chain" -> "[m.chain]";
      case "attack" -> "[CASE WHEN m.attack = '' THEN 'unknown' ELSE m.attack END]";
      default -> "m.categories";
    };
    String columns = "m.generator, m.execution_id, " + axis + " AS ys, m.chain, m.attack";
    StringBuilder inner = new StringBuilder();
    boolean reviews = matrix.anyReview();
    Dashboard.Where w;
    String counts;
    String span;
    if (countable(q, reviews)) {
      // the pre-counted groups, each with its count n and first and last time (the timestamp is its minute)
      w = matrix.filters(q);
      inner.append("SELECT ").append(columns).append(", m.timestamp, o, n, first, last FROM (")
          .append(reviews ? HEAT_WITH_REVIEWS : HEAT).append(") m WHERE m.timestamp >= ?").append(w.sql);
      counts = HEAT_COUNTS;
      span = "max(last) - min(first)";
    } else {
      w = matrix.base(q, inner, columns + ", m.timestamp, 1 AS n", reviews);
      counts = DashboardMatrix.COUNTS;
      span = "max(timestamp) - min(timestamp)";
    }
    String sql = """
        WITH f AS MATERIALIZED (SELECT * FROM (/*BASE*/)/*OUTCOMES*/),
        span AS (SELECT CASE WHEN /*SPAN*/ <= INTERVAL 2 HOUR THEN 'minute'
                             WHEN /*SPAN*/ <= INTERVAL 3 DAY THEN 'hour'
                             WHEN /*SPAN*/ <= INTERVAL 120 DAY THEN 'day'
                             WHEN /*SPAN*/ <= INTERVAL 730 DAY THEN 'week' ELSE 'month' END AS unit FROM f)
        SELECT 'cell' AS kind, generator AS a, y AS b, /*COUNTS*/ FROM (SELECT generator, unnest(ys) AS y, o, n FROM f) GROUP BY ALL
        UNION ALL SELECT 'chain', chain, NULL, /*COUNTS*/ FROM f GROUP BY ALL
        UNION ALL SELECT 'attack', CASE WHEN attack = '' THEN 'unknown' ELSE attack END, NULL, /*COUNTS*/ FROM f GROUP BY ALL
        UNION ALL SELECT 'execution', execution_id, NULL, /*COUNTS*/ FROM f GROUP BY ALL
        UNION ALL SELECT 'bucket', strftime(date_trunc((SELECT unit FROM span), timestamp), '%Y-%m-%dT%H:%M:%S'), (SELECT unit FROM span),
                         /*COUNTS*/ FROM f GROUP BY ALL"""
        .replace("/*BASE*/", inner).replace("/*OUTCOMES*/", DashboardMatrix.outcomeFilter(q)).replace("/*COUNTS*/", counts).replace("/*SPAN*/", span);
    Map<String, JsonArray> groups = new LinkedHashMap<>();
    for (String k : List.of("cells", "by_chain", "by_attack", "by_execution", "buckets")) {
      groups.put(k, new JsonArray());
    }
    String unit = null;
    try (PreparedStatement ps = matrix.prepare(sql, q, w); ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        JsonObject n = Dashboard.figures(0, 0, 0, rs.getLong("attack_succeeded"), rs.getLong("held"), rs.getLong("errors"),
            rs.getLong("unscored"));
        switch (rs.getString("kind")) {
          case "cell" -> groups.get("cells").add(n.put("generator", rs.getString("a")).put("value", rs.getString("b")));
          case "chain" -> groups.get("by_chain").add(n.put("chain", rs.getString("a")));
          case "attack" -> groups.get("by_attack").add(n.put("attack", rs.getString("a")));
          case "execution" -> groups.get("by_execution").add(n.put("execution_id", rs.getString("a")));
          default -> {
            unit = rs.getString("b");
            groups.get("buckets").add(n.put("start", rs.getString("a")));
          }
        }
      }
    }
    groups.get("buckets").getList().sort((x, y) -> ((JsonObject) x).getString("start").compareTo(((JsonObject) y).getString("start")));
    for (String k : List.of("by_chain", "by_attack")) {
      groups.get(k).getList().sort((x, y) -> Long.compare(((JsonObject) y).getLong("results"), ((JsonObject) x).getLong("results")));
    }
    JsonObject out = new JsonObject().put("axis", q.axis()).put("unit", unit).put("query", q.toJson());
    groups.forEach(out::put);
    out.put("generators", axisValues(groups.get("cells"), "generator")).put("values", axisValues(groups.get("cells"), "value"));
    new MatrixTrend(c, dashboard).addPrevious(groups.get("by_execution"));
    return out;
  }

  /** The heat map's counts over pre-counted groups: each row stands for {@code n} results. */
  static final String HEAT_COUNTS = "coalesce(sum(n) FILTER (WHERE o = 'attack_succeeded'), 0) AS attack_succeeded, "
      + "coalesce(sum(n) FILTER (WHERE o = 'held'), 0) AS held, coalesce(sum(n) FILTER (WHERE o = 'error'), 0) AS errors, "
      + "coalesce(sum(n) FILTER (WHERE o = 'unscored'), 0) AS unscored";

  /** {@code matrix_heat}'s groups under the names {@code matrix_rows} gives its columns; a group's timestamp is its minute. */
  static final String HEAT = """
      SELECT generator, execution_id, labels, scorers, categories, probe, chain, attack, minute AS timestamp, auto AS o,
             results AS n, first, last FROM matrix_heat""";

  /**
   * {@link #HEAT} with each result a person's current verdict changed moved from its automatic
   * outcome (-1) to the person's (+1), in its own group and minute, as the rollup's figures are moved.
   */
  static final String HEAT_WITH_REVIEWS = HEAT + """

      UNION ALL SELECT m.generator, m.execution_id, m.labels, m.scorers, m.categories, m.probe, m.chain, m.attack,
             date_trunc('minute', m.timestamp), x.o, x.n, x.t, x.t
      FROM current_reviews hv JOIN matrix_rows m ON m.piece_id = hv.piece_id,
           LATERAL (SELECT m.auto AS o, -1 AS n, NULL::TIMESTAMP AS t UNION ALL SELECT hv.verdict, 1, m.timestamp) x
      WHERE /*DECIDED*/ AND hv.verdict <> m.auto""".replace("/*DECIDED*/", HumanVerdicts.decided("hv"));

  /**
   * Whether the heat map can sum {@code matrix_heat}'s groups and give what a count of the results
   * would: not under search words or the reviewed chip (they need each result), not for times
   * between two minutes, and not under an outcome filter when people's verdicts move results
   * between outcomes (a group's first and last time would then be of results no longer in it).
   */
  private static boolean countable(MatrixQuery q, boolean reviews) {
    return q.words().isEmpty() && q.reviewed() == null && onMinute(q.from()) && onMinute(q.to()) && (q.outcomes().isEmpty() || !reviews);
  }

  private static boolean onMinute(java.time.LocalDateTime t) {
    return t == null || (t.getSecond() == 0 && t.getNano() == 0);
  }

  private static JsonArray axisValues(JsonArray cells, String key) {
    java.util.TreeSet<String> values = new java.util.TreeSet<>();
    cells.forEach(o -> values.add(((JsonObject) o).getString(key)));
    return new JsonArray(new ArrayList<>(values));
  }
}
