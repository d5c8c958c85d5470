package dev.gauntlet.memory;

import dev.gauntlet.Problem;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Pages of the dashboard's detailed results, from {@code dashboard_results}: the page's rows by
 * a keyset (so a deep page costs what the first costs), then their texts and scores by id; and
 * every result under a filter as a file.
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
    String marks = "(" + String.join(", ", java.util.Collections.nCopies(key.size(), "?")) + ")";
    List<Object> cursor = backwards ? q.before() : q.after();
    StringBuilder order = new StringBuilder();
    for (String column : key) {
      order.append(order.length() == 0 ? "" : ", ").append(column).append(desc ? " DESC" : " ASC");
    }
    String sql = MemoryQueries.RESULTS_PAGE.replace("/*FILTER*/", w.sql)
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
          List<Object> k = new ArrayList<>();
          for (String column : key) {
            k.add(switch (column) {
              case "timestamp" -> rs.getObject(column, java.time.LocalDateTime.class);
              case "piece_id" -> rs.getObject(column, java.util.UUID.class);
              case "successes" -> rs.getInt(column);
              default -> rs.getString(column);
            });
          }
          keys.add(k);
          rows.add(Rows.toJson(rs));
        }
      }
    }
    boolean more = rows.size() > q.limit();
    if (more) {
      rows.remove(rows.size() - 1);
      keys.remove(keys.size() - 1);
    }
    if (backwards) {
      java.util.Collections.reverse(rows);
      java.util.Collections.reverse(keys);
    }
    long[] counts = count(q, w, tuple, marks, keys.isEmpty() ? null : keys.get(0));
    long offset = keys.isEmpty() ? (q.after() != null ? counts[0] : 0) : counts[1];
    String prevToken = offset > 0 && !keys.isEmpty() ? ResultsQuery.token(keys.get(0)) : null;
    boolean hasNext = backwards ? !keys.isEmpty() : more;
    String nextToken = hasNext ? ResultsQuery.token(keys.get(keys.size() - 1)) : null;
    return new JsonObject().put("filters", q.filter().toJson()).put("sort", q.sort().label())
        .put("dir", q.descending() ? "desc" : "asc").put("limit", q.limit()).put("total", counts[0]).put("offset", offset)
        .put("items", withTexts(rows)).put("next", nextToken).put("prev", prevToken)
        .put("options", dashboard.optionsJson(options));
  }

  /** How many results match, and how many of them come before {@code first} in the query's order. */
  private long[] count(ResultsQuery q, Dashboard.Where w, String tuple, String marks, List<Object> first) throws SQLException {
    String before = first == null ? "false" : tuple + (q.descending() ? " > " : " < ") + marks;
    try (PreparedStatement ps = c.prepareStatement(MemoryQueries.RESULTS_COUNT.replace("/*BEFORE*/", before)
        .replace("/*FILTER*/", w.sql))) {
      int next = first == null ? 1 : Exports.bind(ps, first, 1);
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
    List<Object> ids = new ArrayList<>();
    List<Object> pieceIds = new ArrayList<>();
    for (JsonObject r : rows) {
      ids.add(java.util.UUID.fromString(r.getString("piece_id")));
      pieceIds.add(ids.get(ids.size() - 1));
      if (r.getString("prompt_id") != null) {
        ids.add(java.util.UUID.fromString(r.getString("prompt_id")));
      }
    }
    Map<String, JsonObject> texts = new HashMap<>();
    try (PreparedStatement ps = c.prepareStatement(MemoryQueries.RESULT_TEXTS)) {
      ps.setArray(1, c.createArrayOf("UUID", ids.toArray()));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          JsonObject t = Rows.toJson(rs);
          texts.put(t.getString("id"), t);
        }
      }
    }
    Map<String, JsonArray> scores = new HashMap<>();
    try (PreparedStatement ps = c.prepareStatement(MemoryQueries.RESULT_SCORES)) {
      ps.setArray(1, c.createArrayOf("UUID", pieceIds.toArray()));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          JsonObject s = Rows.toJson(rs);
          scores.computeIfAbsent((String) s.remove("piece_id"), k -> new JsonArray())
              .add(s.put("success", Boolean.TRUE.equals(s.getBoolean("success"))));
        }
      }
    }
    for (JsonObject r : rows) {
      JsonObject piece = texts.getOrDefault(r.getString("piece_id"), new JsonObject());
      JsonObject prompt = r.getString("prompt_id") == null ? null : texts.get(r.getString("prompt_id"));
      boolean response = DashboardIndex.isResponse(r.getString("role"));
      String labels = r.getString("labels", "");
      items.add(new JsonObject().put("piece_id", r.getString("piece_id")).put("role", r.getString("role"))
          .put("conversation_id", r.getString("conversation_id")).put("timestamp", r.getString("timestamp"))
          .put("execution_id", r.getString("execution_id")).put("generator", r.getString("generator"))
          .put("labels", new JsonObject(new LinkedHashMap<>(Dashboard.labelsOf(labels))))
          .put("prompt", prompt == null ? null : new JsonObject().put("original_value", prompt.getString("original_value"))
              .put("converted_value", prompt.getString("converted_value")).put("cut", prompt.getBoolean("cut")))
          .put("response", !response ? null : new JsonObject().put("value", piece.getString("converted_value"))
              .put("error", piece.getString("response_error")).put("cut", piece.getBoolean("cut")))
          .put("scores", scores.getOrDefault(r.getString("piece_id"), new JsonArray()))
          .put("score_count", r.getInteger("score_count")).put("successes", r.getInteger("successes"))
          .put("attack_success", r.getInteger("successes") > 0));
    }
    return items;
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
    long rows = Exports.copy(c, MemoryQueries.RESULTS_EXPORT.replace("/*FILTER*/", w.sql), args, path, format);
    return new JsonObject().put("path", path.toString()).put("rows", rows);
  }
}
