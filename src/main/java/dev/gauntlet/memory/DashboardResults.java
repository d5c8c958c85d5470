package dev.gauntlet.memory;

import dev.gauntlet.review.HumanVerdicts;
import dev.gauntlet.verdict.Outcome;

import dev.gauntlet.Problem;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Pages of the dashboard's detailed results, from {@code dashboard_results}: the page's rows by
 * a keyset (so a deep page costs what the first costs), then their texts and scores by id within
 * the rowids they span; and every result under a filter as a file.
 */
final class DashboardResults {

  private final Connection c;
  private final Dashboard dashboard;

  DashboardResults(Connection c, Dashboard dashboard) {
    this.c = c;
    this.dashboard = dashboard;
  }

  /**
   * A page of results: each answer (or scored piece) with its prompt, scores, generator and
   * execution; the number of results under the filter, where the page starts among them, and
   * cursors for the pages on either side.
   */
  JsonObject page(ResultsQuery q) throws SQLException {
    Dashboard.Options options = dashboard.options();
    Dashboard.Where w = dashboard.where(q.filter(), options, "", false);
    List<String> key = q.sort().key();
    boolean backwards = q.before() != null;
    boolean desc = q.descending() != backwards;
    String tuple = "(" + String.join(", ", key) + ")";
    String marks = "(" + String.join(", ", Collections.nCopies(key.size(), "?")) + ")";
    List<Object> cursor = backwards ? q.before() : q.after();
    StringBuilder order = new StringBuilder();
    for (String column : key) {
      order.append(order.length() == 0 ? "" : ", ").append(column).append(desc ? " DESC" : " ASC");
    }
    // the rows shown before this page: up to the cursor row itself when paging on, short of it when paging back
    String before = cursor == null ? "false"
        : tuple + (q.descending() ? (backwards ? " > " : " >= ") : (backwards ? " < " : " <= ")) + marks;
    // sorted by attack successes, a person's verdict wins (the ranked source); else the plain index, cheaper
    String source = q.sort() == ResultsQuery.Sort.SUCCESS ? DashboardQueries.RESULTS_RANKED : DashboardQueries.RESULTS;
    String sql = DashboardQueries.RESULTS_PAGE.replace("/*SOURCE*/", source)
        .replace("/*RANK*/", q.sort() == ResultsQuery.Sort.SUCCESS ? ", success_rank" : "").replace("/*FILTER*/", w.sql)
        .replace("/*CURSOR*/", cursor == null ? "" : " AND " + tuple + (desc ? " < " : " > ") + marks)
        .replace("/*ORDER*/", order);
    List<JsonObject> rows = new ArrayList<>();
    List<List<Object>> keys = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setObject(1, q.filter().sinceTime());
      int next = Exports.bind(ps, w.args, 2);
      if (cursor != null) {
        next = Exports.bind(ps, cursor, next);
      }
      ps.setInt(next, q.limit() + 1);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          keys.add(keyOf(rs, key));
          rows.add(Rows.toJson(rs));
        }
      }
    }
    long[] counts = count(q, w, before, cursor);
    long total = counts[0];
    long shownBefore = counts[1];
    boolean more = rows.size() > q.limit();
    if (more) {
      rows.remove(rows.size() - 1);
      keys.remove(keys.size() - 1);
    }
    if (backwards) {
      Collections.reverse(rows);
      Collections.reverse(keys);
    }
    long offset = backwards ? Math.max(0, shownBefore - rows.size()) : shownBefore;
    boolean hasPrev = !keys.isEmpty() && (backwards ? more : offset > 0);
    boolean hasNext = !keys.isEmpty() && (backwards || more);
    return new JsonObject().put("filters", q.filter().toJson()).put("sort", q.sort().label())
        .put("dir", q.descending() ? "desc" : "asc").put("limit", q.limit()).put("total", total).put("offset", offset)
        .put("items", withTexts(rows))
        .put("next", hasNext ? ResultsQuery.token(keys.get(keys.size() - 1)) : null)
        .put("prev", hasPrev ? ResultsQuery.token(keys.get(0)) : null)
        .put("options", dashboard.optionsJson(options));
  }

  private static List<Object> keyOf(ResultSet rs, List<String> key) throws SQLException {
    List<Object> k = new ArrayList<>();
    for (String column : key) {
      k.add(switch (column) {
        case "timestamp" -> rs.getObject(column, LocalDateTime.class);
        case "piece_id" -> rs.getObject(column, UUID.class);
        case "success_rank" -> rs.getInt(column);
        default -> rs.getString(column);
      });
    }
    return k;
  }

  /** How many results match, and how many of them are shown before the page ({@code before} holds the cursor's marks). */
  private long[] count(ResultsQuery q, Dashboard.Where w, String before, List<Object> cursor) throws SQLException {
    String source = q.sort() == ResultsQuery.Sort.SUCCESS ? DashboardQueries.RESULTS_RANKED : DashboardQueries.RESULTS;
    try (PreparedStatement ps = c.prepareStatement(DashboardQueries.RESULTS_COUNT.replace("/*SOURCE*/", source).replace("/*BEFORE*/", before)
        .replace("/*FILTER*/", w.sql))) {
      int next = cursor == null ? 1 : Exports.bind(ps, cursor, 1);
      ps.setObject(next, q.filter().sinceTime());
      Exports.bind(ps, w.args, next + 1);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return new long[] {rs.getLong(1), rs.getLong(2)};
      }
    }
  }

  /** The page's rows with their prompt and answer texts and their scores. */
  private JsonArray withTexts(List<JsonObject> rows) throws SQLException {
    JsonArray items = new JsonArray();
    if (rows.isEmpty()) {
      return items;
    }
    Set<Object> ids = new LinkedHashSet<>();
    List<Object> pieceIds = new ArrayList<>();
    long[] pieceRows = {Long.MAX_VALUE, Long.MIN_VALUE};
    long[] scoreRows = {Long.MAX_VALUE, Long.MIN_VALUE};
    long expectedScores = 0;
    for (JsonObject r : rows) {
      UUID pieceId = UUID.fromString(r.getString("piece_id"));
      ids.add(pieceId);
      pieceIds.add(pieceId);
      widen(pieceRows, r.getLong("piece_row"), r.getLong("piece_row"));
      if (r.getString("prompt_id") != null) {
        ids.add(UUID.fromString(r.getString("prompt_id")));
        widen(pieceRows, r.getLong("prompt_row"), r.getLong("prompt_row"));
      }
      if (r.getLong("score_rows_from") != null) {
        widen(scoreRows, r.getLong("score_rows_from"), r.getLong("score_rows_to"));
      }
      expectedScores += r.getInteger("score_count");
    }
    Map<String, JsonObject> texts = new HashMap<>();
    select(DashboardQueries.RESULT_TEXTS, pieceRows, new ArrayList<>(ids), ids.size(), t -> texts.put(t.getString("id"), t));
    Map<String, JsonArray> scores = new HashMap<>();
    select(DashboardQueries.RESULT_SCORES, scoreRows, pieceIds, expectedScores, score -> scores
        .computeIfAbsent((String) score.remove("piece_id"), k -> new JsonArray())
        .add(score.put("success", Boolean.TRUE.equals(score.getBoolean("success")))));
    for (JsonObject r : rows) {
      JsonObject piece = texts.getOrDefault(r.getString("piece_id"), new JsonObject());
      JsonObject prompt = r.getString("prompt_id") == null ? null : texts.get(r.getString("prompt_id"));
      boolean response = DashboardIndex.isResponse(r.getString("role"));
      String labels = piece.getString("labels", "");
      items.add(new JsonObject().put("piece_id", r.getString("piece_id")).put("role", r.getString("role"))
          .put("conversation_id", piece.getString("conversation_id")).put("timestamp", r.getString("timestamp"))
          .put("execution_id", r.getString("execution_id")).put("generator", r.getString("generator"))
          .put("labels", new JsonObject(new LinkedHashMap<>(Dashboard.labelsOf(labels == null ? "" : labels))))
          .put("prompt", prompt == null ? null : new JsonObject().put("original_value", prompt.getString("original_value"))
              .put("converted_value", prompt.getString("converted_value")).put("cut", prompt.getBoolean("cut")))
          .put("response", !response ? null : new JsonObject().put("value", piece.getString("converted_value"))
              .put("error", piece.getString("response_error")).put("cut", piece.getBoolean("cut")))
          .put("scores", scores.getOrDefault(r.getString("piece_id"), new JsonArray()))
          .put("successes", r.getInteger("successes"))
          .put("attack_success", Outcome.ATTACK_SUCCEEDED.value().equals(r.getString("outcome")))
          .put("outcome", r.getString("outcome")));
    }
    // a person's verdict wins over the page's automatic outcome (HumanVerdicts.outcome), and is marked
    Map<String, JsonObject> reviews = new HashMap<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT piece_id, verdict, comment FROM " + HumanVerdicts.CURRENT
        + " WHERE piece_id = ANY(?)")) {
      ps.setArray(1, c.createArrayOf("UUID", pieceIds.toArray()));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          JsonObject review = Rows.toJson(rs);
          reviews.put(review.getString("piece_id"), review);
        }
      }
    }
    for (Object o : items) {
      JsonObject item = (JsonObject) o;
      JsonObject review = reviews.get(item.getString("piece_id"));
      item.put("human_verdict", review == null ? null : review.getString("verdict"))
          .put("human_comment", review == null ? null : review.getString("comment"));
      String human = review == null ? null : review.getString("verdict");
      item.put("outcome", HumanVerdicts.outcome(item.getString("outcome"), human)).put("outcome_by_human", HumanVerdicts.decides(human));
      if (HumanVerdicts.decides(human)) {
        item.put("attack_success", HumanVerdicts.ATTACK_SUCCEEDED.equals(human));
      }
    }
    return items;
  }

  private static void widen(long[] range, long from, long to) {
    range[0] = Math.min(range[0], from);
    range[1] = Math.max(range[1], to);
  }

  /**
   * Runs a look-up by ids within a rowid range (the rows' own, so the scan skips every row group
   * outside it); should it find fewer rows than expected (rowids moved, say after rows were
   * deleted outside Gauntlet), it looks again over the whole table.
   */
  private void select(String sql, long[] range, List<Object> ids, long expected, Consumer<JsonObject> row)
      throws SQLException {
    List<JsonObject> found = new ArrayList<>();
    for (long[] bounds : new long[][] {range, {0, Long.MAX_VALUE}}) {
      found.clear();
      if (bounds[0] > bounds[1]) {
        continue; // no rows to look for
      }
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        ps.setLong(1, bounds[0]);
        ps.setLong(2, bounds[1]);
        ps.setArray(3, c.createArrayOf("UUID", ids.toArray()));
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            found.add(Rows.toJson(rs));
          }
        }
      }
      if (found.size() >= expected) {
        break;
      }
    }
    found.forEach(row);
  }

  /** Every result under a filter, written by DuckDB to {@code path} as csv, jsonl or parquet. */
  JsonObject export(DashboardFilter f, String format, Path path) throws SQLException {
    if (!List.of("csv", "jsonl", "parquet").contains(format)) {
      throw Problem.badRequest("invalid_parameter", "'format' must be one of csv, jsonl, parquet");
    }
    Dashboard.Where w = dashboard.where(f, dashboard.options(), "r.", false);
    List<Object> args = new ArrayList<>();
    args.add(f.sinceTime());
    args.addAll(w.args);
    long rows = Exports.copy(c, DashboardQueries.RESULTS_EXPORT.replace("/*FILTER*/", w.sql), args, path, format);
    return new JsonObject().put("path", path.toString()).put("rows", rows);
  }
}
