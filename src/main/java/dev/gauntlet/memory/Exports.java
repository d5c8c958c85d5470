package dev.gauntlet.memory;

import dev.gauntlet.Problem;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Results out of a user's memory: every piece matching a filter, with its scores, written by
 * DuckDB as CSV, JSONL or Parquet (which PyRIT's pandas reads as is), or returned as rows for
 * the HTML report. The file path is chosen by Gauntlet, never by the user.
 */
final class Exports {

  static final Set<String> FORMATS = Set.of("csv", "jsonl", "parquet", "html", "pyrit-sqlite");
  static final int HTML_ROWS = 5000;

  private final Connection c;

  Exports(Connection c) {
    this.c = c;
  }

  /** Writes the export to {@code body.path}, or for html returns the rows; answers with the row count. */
  JsonObject export(JsonObject body) throws SQLException {
    String format = body.getString("format", "csv");
    if (!FORMATS.contains(format)) {
      throw Problem.badRequest("invalid_parameter", "'format' must be one of " + FORMATS);
    }
    if (format.equals("pyrit-sqlite")) {
      return PyritExport.write(c, body.getJsonObject("filter", new JsonObject()), Path.of(body.getString("path")));
    }
    List<Object> args = new ArrayList<>();
    String query = DashboardQueries.EXPORT_ROWS.replace("/*FILTER*/", filter(body.getJsonObject("filter", new JsonObject()), args));
    if (format.equals("html")) {
      JsonArray rows = new JsonArray();
      try (PreparedStatement ps = c.prepareStatement(query + " LIMIT " + HTML_ROWS)) {
        bind(ps, args, 1);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            rows.add(Rows.toJson(rs));
          }
        }
      }
      return new JsonObject().put("rows", rows).put("limited_to", HTML_ROWS);
    }
    long rows = copy(c, query, args, Path.of(body.getString("path")), format);
    return new JsonObject().put("path", body.getString("path")).put("rows", rows);
  }

  /** Writes a query's rows to {@code path} as csv, jsonl or parquet through DuckDB's COPY; returns the row count. */
  static long copy(Connection c, String query, List<Object> args, Path path, String format) throws SQLException {
    try {
      dev.gauntlet.files.Private.dir(path.getParent());
    } catch (java.io.UncheckedIOException e) {
      throw new SQLException("cannot create " + path.getParent() + ": " + e.getMessage(), e);
    }
    String options = switch (format) {
      case "csv" -> "FORMAT csv, HEADER true";
      case "jsonl" -> "FORMAT json";
      default -> "FORMAT parquet";
    };
    // COPY takes no parameters for its query: the filter values are bound into a temporary table
    long rows;
    try (PreparedStatement ps = c.prepareStatement("CREATE OR REPLACE TEMP TABLE export_rows AS " + query)) {
      bind(ps, args, 1);
      ps.executeUpdate();
    }
    if (format.equals("csv")) {
      defuseFormulas(c);
    }
    try (var s = c.createStatement()) {
      s.execute("COPY export_rows TO '" + path.toString().replace("'", "''") + "' (" + options + ")");
      try (ResultSet rs = s.executeQuery("SELECT count(*) FROM export_rows")) {
        rs.next();
        rows = rs.getLong(1);
      }
      s.execute("DROP TABLE export_rows");
    }
    dev.gauntlet.files.Private.files(path);
    return rows;
  }

  /**
   * A spreadsheet runs a cell that starts with = + - @ (or a tab or carriage return before one) as
   * a formula, and model output is hostile: in a CSV every such text cell gets a leading
   * apostrophe, which spreadsheets show as text (OWASP's advice on CSV injection). On by default,
   * for every CSV Gauntlet writes; JSONL and Parquet keep the text as it is.
   */
  static void defuseFormulas(Connection c) throws SQLException {
    List<String> text = new java.util.ArrayList<>();
    try (var s = c.createStatement(); ResultSet rs = s.executeQuery(
        "SELECT name FROM pragma_table_info('export_rows') WHERE type = 'VARCHAR'")) {
      while (rs.next()) {
        text.add(rs.getString(1));
      }
    }
    try (var s = c.createStatement()) {
      for (String column : text) {
        String col = "\"" + column.replace("\"", "\"\"") + "\"";
        s.execute("UPDATE export_rows SET " + col + " = '''' || " + col + " WHERE regexp_matches(" + col + ", '^[=+\\-@\\t\\r]')");
      }
    }
  }

  static String filter(JsonObject f, List<Object> args) {
    StringBuilder where = new StringBuilder();
    if (f.getString("execution_id") != null) {
      where.append(" AND (p.prompt_metadata ->> 'execution_id') = ?");
      args.add(f.getString("execution_id"));
    }
    if (f.getString("conversation_id") != null) {
      where.append(" AND p.conversation_id = ?");
      args.add(f.getString("conversation_id"));
    }
    if (f.getString("role") != null) {
      where.append(" AND p.role = ?");
      args.add(f.getString("role"));
    }
    if (f.getString("label_key") != null) {
      where.append(" AND (p.labels ->> CAST(? AS VARCHAR)) = ?");
      args.add(labelKey(f.getString("label_key")));
      args.add(f.getString("label_value", ""));
    }
    if (f.getInteger("days") != null) {
      where.append(" AND p.timestamp >= ?");
      args.add(Rows.now().minusDays(f.getInteger("days")));
    }
    return where.toString();
  }

  /**
   * DuckDB reads a {@code ->>} key beginning with {@code $} or {@code /} as a path, and cannot
   * quote one holding {@code "} or {@code \}: such keys are refused rather than misread.
   */
  private static String labelKey(String key) {
    if (key.isEmpty() || key.length() > 200 || key.startsWith("$") || key.startsWith("/")
        || key.chars().anyMatch(c -> c == '"' || c == '\\' || Character.isISOControl(c))) {
      throw Problem.badRequest("invalid_parameter",
          "'label_key' must be 1 to 200 characters without quotes, backslashes or control characters, not starting with $ or /");
    }
    return key;
  }

  /** Binds values from parameter {@code first} on (a String[] as a VARCHAR list); returns the next parameter's index. */
  static int bind(PreparedStatement ps, List<Object> args, int first) throws SQLException {
    int i = first;
    for (Object arg : args) {
      if (arg instanceof String[] list) {
        ps.setArray(i++, ps.getConnection().createArrayOf("VARCHAR", list));
      } else {
        ps.setObject(i++, arg);
      }
    }
    return i;
  }
}
