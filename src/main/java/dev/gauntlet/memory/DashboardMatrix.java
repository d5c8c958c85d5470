package dev.gauntlet.memory;

import dev.gauntlet.review.HumanVerdicts;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The results matrix, from {@code matrix_rows} ({@link MatrixIndex}); the heat map
 * ({@link MatrixHeatmap}) shares its filters. A matrix row is a prompt (its original text), a column an execution or a
 * generator, a cell the prompt's outcome there: of several results (turns, scored prompts) the
 * first of attack_succeeded, held, unscored, error, as compare decides, a person's verdict winning.
 */
final class DashboardMatrix {

  /** An outcome's rank in a cell: the attack got through if any of its results let it. */
  static final String RANK = "CASE o WHEN 'attack_succeeded' THEN 4 WHEN 'held' THEN 3 WHEN 'unscored' THEN 2 ELSE 1 END";
  static final String COUNTS = "count(*) FILTER (WHERE o = 'attack_succeeded') AS attack_succeeded, count(*) FILTER (WHERE o = 'held') AS held, "
      + "count(*) FILTER (WHERE o = 'error') AS errors, count(*) FILTER (WHERE o = 'unscored') AS unscored";

  private final Connection c;
  private final Dashboard dashboard;
  private final MatrixIndex index;
  /** The chips' values as of the index's version {@link #chipsVersion}: only a catch-up changes them. */
  private JsonObject chips;
  private long chipsVersion = Long.MIN_VALUE;

  DashboardMatrix(Connection c, Dashboard dashboard, MatrixIndex index) {
    this.c = c;
    this.dashboard = dashboard;
    this.index = index;
  }

  /** The filters every read applies on {@code m}, but for search words and reviewed (which need each result). */
  Dashboard.Where filters(MatrixQuery q) throws SQLException {
    Dashboard.Where w = dashboard.where(q.filter(), dashboard.options(), "m.", false);
    if (!q.executions().isEmpty()) {
      w.and("m.execution_id = ANY(?)", q.executions().toArray(new String[0]));
    }
    if (q.harmCategory() != null) {
      w.and("list_contains(m.categories, ?)", q.harmCategory());
    }
    if (q.probe() != null) {
      w.and("m.probe = ?", q.probe());
    }
    if (q.chain() != null) {
      w.and("m.chain = ?", q.chain());
    }
    if (q.attack() != null) {
      w.and("m.attack = ?", q.attack());
    }
    if (q.from() != null) {
      w.and("m.timestamp >= ?", q.from());
    }
    if (q.to() != null) {
      w.and("m.timestamp < ?", q.to());
    }
    return w;
  }

  /** Whether the memory holds any review: with none, no read joins the reviews (no person's verdict can change an outcome). */
  boolean anyReview() throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 1 FROM reviews LIMIT 1")) {
      return rs.next();
    }
  }

  /**
   * The results a query keeps, one row each: {@code SELECT} the given columns (besides {@code o},
   * the outcome, and {@code reviewed}) over {@code m} (matrix_rows) and {@code hv} (the current
   * review, joined when {@code reviews}), with every filter but the outcome applied.
   */
  Dashboard.Where base(MatrixQuery q, StringBuilder sql, String columns, boolean reviews) throws SQLException {
    Dashboard.Where w = filters(q);
    String isReviewed = reviews ? "hv.piece_id IS NOT NULL" : "false";
    if (q.reviewed() != null) {
      w.sql.append(q.reviewed() ? " AND " : " AND NOT ").append(isReviewed);
    }
    for (String word : q.words()) {
      w.and("contains(m.search, ?)", word);
    }
    sql.append("SELECT ").append(columns).append(", ").append(reviews ? HumanVerdicts.override("hv", "m.auto") : "m.auto")
        .append(" AS o, ").append(isReviewed).append(" AS reviewed FROM matrix_rows m")
        .append(reviews ? HumanVerdicts.join("hv", "m.piece_id") : "").append(" WHERE m.timestamp >= ?").append(w.sql);
    return w;
  }

  /** The outcome chips as a condition on {@code o} (bound by the caller), or nothing. */
  static String outcomeFilter(MatrixQuery q) {
    return q.outcomes().isEmpty() ? "" : " WHERE o = ANY(?)";
  }

  PreparedStatement prepare(String sql, MatrixQuery q, Dashboard.Where w, Object... after) throws SQLException {
    PreparedStatement ps = c.prepareStatement(sql);
    int i = 1;
    ps.setObject(i++, q.filter().sinceTime());
    for (Object arg : w.args) {
      ps.setObject(i++, arg instanceof String[] a ? c.createArrayOf("VARCHAR", a) : arg);
    }
    if (!q.outcomes().isEmpty()) {
      ps.setObject(i++, c.createArrayOf("VARCHAR", q.outcomes().toArray()));
    }
    for (Object arg : after) {
      ps.setObject(i++, arg instanceof String[] a ? c.createArrayOf("VARCHAR", a) : arg);
    }
    return ps;
  }

  /**
   * A page of the matrix: its columns (each with its counts), the prompts as rows in the query's
   * order with a cell per column (outcome, the result shown, its conversation, snippets), and how
   * many prompts match. One statement over the filtered results (materialized once): the columns'
   * counts, the rows' order and page, and the cells of that page's rows only.
   */
  JsonObject matrix(MatrixQuery q) throws SQLException {
    String col = q.columns().equals("generator") ? "m.generator" : "m.execution_id";
    boolean byText = q.sort().equals("prompt");
    StringBuilder inner = new StringBuilder();
    Dashboard.Where w = base(q, inner, "m.prompt_key, " + col + " AS col, m.piece_id, m.rowid AS mrow, m.timestamp, m.prompt_index"
        + (byText ? ", left(m.prompt_text, 60) AS ptext" : ""), anyReview());
    String sortColumn = q.sort().startsWith("col:") ? q.sort().substring(4) : "";
    String dir = q.descending() ? " DESC" : " ASC";
    String order = switch (q.sort()) {
      case "prompt" -> "ptext" + dir + ", idx, prompt_key";
      case "successes", "outcomes" -> "successes" + dir + ", idx NULLS LAST, prompt_key";
      case "natural" -> "idx" + dir + " NULLS LAST, prompt_key" + dir;
      default -> "col_rank" + dir + " NULLS LAST, idx NULLS LAST, prompt_key";
    };
    String sql = """
        WITH f AS MATERIALIZED (SELECT *, /*RANK*/ AS rank FROM (/*BASE*/)/*OUTCOMES*/),
        cols AS (SELECT col, /*COUNTS*/, max(timestamp) AS last FROM f GROUP BY col),
        keep AS (SELECT col FROM cols WHERE /*NAMED*/ ORDER BY last DESC, col LIMIT /*MAX*/),
        per_prompt AS (
          SELECT prompt_key, min(prompt_index) AS idx, count(DISTINCT col) FILTER (WHERE rank = 4) AS successes,
                 max(rank) FILTER (WHERE col = ?) AS col_rank /*PTEXT*/
          FROM f WHERE col IN (SELECT col FROM keep) GROUP BY prompt_key),
        page AS (SELECT *, row_number() OVER (ORDER BY /*ORDER*/) AS position FROM (SELECT * FROM per_prompt ORDER BY /*ORDER*/ LIMIT ? OFFSET ?)),
        cells AS (
          SELECT prompt_key, col, max(rank) AS rank, arg_max(struct_pack(p := piece_id, r := mrow), rank) AS best, count(*) AS n,
                 bool_or(reviewed) AS reviewed
          FROM f WHERE prompt_key IN (SELECT prompt_key FROM page) AND col IN (SELECT col FROM keep) GROUP BY ALL)
        SELECT 'col' AS kind, col, NULL::BIGINT AS prompt_key, attack_succeeded AS a, held AS b, errors AS c, unscored AS d,
               NULL::UUID AS piece, NULL::BOOLEAN AS flag, last AS t FROM cols WHERE col IN (SELECT col FROM keep)
        UNION ALL SELECT 'total', NULL, NULL, (SELECT count(*) FROM per_prompt), NULL, NULL, NULL, NULL, NULL, NULL
        UNION ALL SELECT 'row', NULL, prompt_key, idx, successes, position, NULL, NULL, NULL, NULL FROM page
        UNION ALL SELECT 'cell', col, prompt_key, rank, n, best.r, NULL, best.p, reviewed, NULL FROM cells"""
        .replace("/*RANK*/", RANK).replace("/*BASE*/", inner).replace("/*OUTCOMES*/", outcomeFilter(q)).replace("/*COUNTS*/", COUNTS)
        .replace("/*NAMED*/", q.executions().isEmpty() || q.columns().equals("generator") ? "true" : "col = ANY(?)")
        .replace("/*MAX*/", Integer.toString(q.executions().isEmpty() ? MatrixQuery.MAX_COLUMNS : MatrixQuery.MAX_COLUMNS))
        .replace("/*PTEXT*/", byText ? ", min(ptext) AS ptext" : "").replace("/*ORDER*/", order);
    List<Object> after = new ArrayList<>();
    if (!q.executions().isEmpty() && !q.columns().equals("generator")) {
      after.add(q.executions().toArray(new String[0]));
    }
    after.add(sortColumn);
    after.add(q.limit());
    after.add(q.offset());
    Map<String, JsonObject> byKey = new LinkedHashMap<>();
    Map<Long, JsonObject> rows = new LinkedHashMap<>();
    List<Object[]> cells = new ArrayList<>();
    long total = 0;
    try (PreparedStatement ps = prepare(sql, q, w, after.toArray()); ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        switch (rs.getString("kind")) {
          case "col" -> byKey.put(rs.getString("col"), Dashboard.figures(0, 0, 0, rs.getLong("a"), rs.getLong("b"), rs.getLong("c"),
              rs.getLong("d")).put("key", rs.getString("col")).put("last", rs.getString("t")));
          case "total" -> total = rs.getLong("a");
          case "row" -> rows.put(rs.getLong("prompt_key"), new JsonObject().put("position", rs.getLong("c"))
              .put("prompt_index", rs.getObject("a")).put("successes", rs.getLong("b")).put("cells", new JsonObject()));
          default -> cells.add(new Object[] {rs.getLong("prompt_key"), rs.getString("col"), rs.getInt("a"), rs.getLong("b"),
              rs.getString("piece"), rs.getBoolean("flag"), rs.getLong("c")});
        }
      }
    }
    JsonArray columns = columns(q, byKey);
    List<String> keys = new ArrayList<>();
    columns.forEach(o -> keys.add(((JsonObject) o).getString("key")));
    List<JsonObject> ordered = new ArrayList<>(rows.values());
    ordered.sort(java.util.Comparator.comparingLong(r -> r.getLong("position")));
    List<String> pieces = new ArrayList<>();
    List<Long> rowids = new ArrayList<>();
    for (Object[] cell : cells) {
      JsonObject row = rows.get((Long) cell[0]);
      pieces.add((String) cell[4]);
      rowids.add((Long) cell[6]);
      row.getJsonObject("cells").put((String) cell[1], new JsonObject().put("outcome", outcome((Integer) cell[2]))
          .put("piece_id", cell[4]).put("results", cell[3]).put("reviewed", cell[5]));
      if (!row.containsKey("prompt_piece")) {
        row.put("prompt_piece", cell[4]);
      }
    }
    Map<String, JsonObject> texts = texts(pieces, rowids);
    JsonArray items = new JsonArray();
    for (JsonObject row : ordered) {
      JsonObject prompt = texts.get(row.getString("prompt_piece"));
      if (prompt != null) {
        row.put("prompt", prompt.getString("prompt_text")).put("prompt_length", prompt.getValue("prompt_length"))
            .put("harm_categories", prompt.getValue("categories")).put("chain", prompt.getString("chain"))
            .put("probe", prompt.getString("probe"));
      }
      JsonObject byColumn = row.getJsonObject("cells");
      JsonArray shown = new JsonArray();
      for (String key : keys) {
        JsonObject cell = byColumn.getJsonObject(key);
        if (cell != null) {
          JsonObject t = texts.get(cell.getString("piece_id"));
          if (t != null) {
            cell.put("answer", t.getString("answer_text")).put("answer_length", t.getValue("answer_length"))
                .put("conversation_id", t.getString("conversation_id"));
          }
        }
        shown.add(cell == null ? new JsonObject().put("column", key) : cell.put("column", key));
      }
      row.remove("prompt_piece");
      row.remove("position");
      items.add(row.put("cells", shown));
    }
    return new JsonObject().put("items", items).put("total", total).put("offset", q.offset()).put("limit", q.limit())
        .put("columns", columns).put("query", q.toJson()).put("column_kind", q.columns())
        .put("options", dashboard.optionsJson(dashboard.options())).put("chips", chips());
  }

  /** The columns shown: the executions named, in order, else the most recent of those the filter keeps. */
  private JsonArray columns(MatrixQuery q, Map<String, JsonObject> byKey) throws SQLException {
    List<String> order = new ArrayList<>(byKey.keySet());
    order.sort((x, y) -> {
      String tx = byKey.get(x).getString("last", "");
      String ty = byKey.get(y).getString("last", "");
      return tx.equals(ty) ? x.compareTo(y) : ty.compareTo(tx);
    });
    if (!q.executions().isEmpty() && q.columns().equals("execution")) {
      order = new ArrayList<>(q.executions());
    }
    Map<String, JsonObject> described = q.columns().equals("execution") ? dashboard.describe(order) : Map.of();
    JsonArray out = new JsonArray();
    for (String key : order) {
      JsonObject column = byKey.getOrDefault(key, Dashboard.figures(0, 0, 0, 0, 0, 0, 0).put("key", key));
      column.remove("last");
      JsonObject about = described.get(key);
      column.put("name", about != null ? about.getString("name") : key.isEmpty() ? "(no execution)" : key);
      if (about != null) {
        column.put("type", about.getString("type")).put("status", about.getString("status"))
            .put("created_at", about.getValue("created_at"));
      }
      out.add(column);
    }
    return out;
  }

  static String outcome(int rank) {
    return switch (rank) {
      case 4 -> "attack_succeeded";
      case 3 -> "held";
      case 2 -> "unscored";
      default -> "error";
    };
  }

  /**
   * Snippets of some results, by piece id, read where the statement just before found them (their
   * rowids in {@code matrix_rows}: a scan bounded by them reads a few row groups, where a list of
   * ids was matched against every row); any not found there (rows moved since) by their ids.
   */
  private Map<String, JsonObject> texts(List<String> pieces, List<Long> rowids) throws SQLException {
    Map<String, JsonObject> out = new LinkedHashMap<>();
    if (pieces.isEmpty()) {
      return out;
    }
    StringJoiner rows = new StringJoiner(", ");
    rowids.stream().distinct().forEach(r -> rows.add(Long.toString(r)));
    long from = rowids.stream().mapToLong(Long::longValue).min().orElseThrow();
    long to = rowids.stream().mapToLong(Long::longValue).max().orElseThrow();
    readTexts("rowid BETWEEN " + from + " AND " + to + " AND rowid IN (" + rows + ")", out);
    List<String> missing = pieces.stream().distinct().filter(id -> !out.containsKey(id)).toList();
    if (!missing.isEmpty()) {
      // the ids as literals (each parsed as a UUID first, so nothing else can be spelled here)
      StringJoiner in = new StringJoiner("', '", "'", "'");
      missing.forEach(id -> in.add(java.util.UUID.fromString(id).toString()));
      readTexts("piece_id IN (" + in + ")", out);
    }
    return out;
  }

  private void readTexts(String where, Map<String, JsonObject> out) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT CAST(piece_id AS VARCHAR) AS piece_id, prompt_text, prompt_length, answer_text, "
        + "answer_length, CAST(to_json(categories) AS VARCHAR) AS categories, chain, probe, conversation_id FROM matrix_rows WHERE " + where)) {
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          JsonObject t = new JsonObject().put("prompt_text", rs.getString("prompt_text")).put("prompt_length", rs.getObject("prompt_length"))
              .put("answer_text", rs.getString("answer_text")).put("answer_length", rs.getObject("answer_length"))
              .put("categories", new JsonArray(rs.getString("categories"))).put("chain", rs.getString("chain"))
              .put("probe", rs.getString("probe")).put("conversation_id", rs.getString("conversation_id"));
          out.put(rs.getString("piece_id"), t);
        }
      }
    }
  }

  /** What the matrix's own chips can be set to: harm categories, probes, converter chains and attacks present. */
  JsonObject chips() throws SQLException {
    if (chips == null || chipsVersion != index.version()) {
      chips = readChips();
      chipsVersion = index.version();
    }
    return chips.copy();
  }

  private JsonObject readChips() throws SQLException {
    JsonObject out = new JsonObject();
    String sql = """
        SELECT 'harm_category' AS kind, c AS value FROM (SELECT DISTINCT unnest(categories) AS c FROM matrix_rows)
        UNION SELECT 'probe', probe FROM matrix_rows WHERE probe <> ''
        UNION SELECT 'chain', chain FROM matrix_rows
        UNION SELECT 'attack', attack FROM matrix_rows WHERE attack <> ''
        ORDER BY 1, 2 LIMIT 2000""";
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        JsonArray values = out.getJsonArray(rs.getString(1));
        if (values == null) {
          out.put(rs.getString(1), values = new JsonArray());
        }
        values.add(rs.getString(2));
      }
    }
    for (String k : List.of("harm_category", "probe", "chain", "attack")) {
      if (!out.containsKey(k)) {
        out.put(k, new JsonArray());
      }
    }
    return out;
  }

}
