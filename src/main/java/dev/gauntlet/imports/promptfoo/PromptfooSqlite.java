package dev.gauntlet.imports.promptfoo;

import dev.gauntlet.imports.ImportSource;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteOpenMode;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads promptfoo's SQLite database ({@code ~/.promptfoo/promptfoo.db}), opened read-only: every
 * eval of table {@code evals} with its results, row by row, from table {@code eval_results}
 * (promptfoo's column names: {@code eval_id}, {@code prompt_idx}, {@code test_idx},
 * {@code test_case}, {@code prompt}, {@code provider}, {@code response}, {@code error},
 * {@code failure_reason}, {@code success}, {@code score}, {@code grading_result},
 * {@code metadata}); an eval written before promptfoo kept results in their own table (results
 * version 2) has them inline in {@code evals.results}. A missing table or column, or a JSON column
 * that is not JSON, is refused naming the table (and row).
 */
public final class PromptfooSqlite {

  public interface Sink {
    void start(PromptfooEval eval);

    void result(PromptfooResult result);
  }

  static final List<String> EVAL_COLUMNS = List.of("id", "created_at", "description", "results", "config");
  static final List<String> RESULT_COLUMNS = List.of("id", "eval_id", "prompt_idx", "test_idx", "test_case", "prompt", "provider",
      "response", "error", "failure_reason", "success", "score", "grading_result", "metadata");

  private PromptfooSqlite() {}

  /** Whether the file is an SQLite database at all (its 16-byte header). */
  public static boolean isSqlite(byte[] head) {
    return head.length >= 16 && new String(head, 0, 15, java.nio.charset.StandardCharsets.US_ASCII).equals("SQLite format 3");
  }

  /** Reads every eval (oldest first) and its results; returns the evals read. */
  public static List<PromptfooEval> read(Path file, Sink sink) throws SQLException {
    SQLiteConfig config = new SQLiteConfig();
    config.setReadOnly(true);
    config.setOpenMode(SQLiteOpenMode.READONLY);
    List<PromptfooEval> evals = new ArrayList<>();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath(), config.toProperties())) {
      Set<String> evalColumns = columns(c, "evals");
      Set<String> resultColumns = columns(c, "eval_results");
      require("evals", evalColumns, EVAL_COLUMNS);
      require("eval_results", resultColumns, RESULT_COLUMNS);
      boolean hasRedteam = evalColumns.contains("is_redteam");
      String evalSql = "SELECT id, created_at, description, config" + (hasRedteam ? ", is_redteam" : "") + " FROM evals ORDER BY created_at, id";
      List<Object[]> rows = new ArrayList<>();
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(evalSql)) {
        while (rs.next()) {
          rows.add(new Object[] {rs.getString(1), rs.getObject(2), rs.getString(3), rs.getString(4), hasRedteam && rs.getBoolean(5)});
        }
      }
      for (Object[] row : rows) {
        String id = (String) row[0];
        JsonObject cfg = object("evals", id, "config", (String) row[3]);
        String description = row[2] != null ? (String) row[2] : cfg.getValue("description") instanceof String d ? d : null;
        PromptfooEval eval = new PromptfooEval(id, description, time(row[1]), (Boolean) row[4] || cfg.getValue("redteam") != null, null,
            0);
        evals.add(eval);
        sink.start(eval);
        if (results(c, eval, sink) == 0) {
          inline(c, eval, sink);
        }
      }
    } catch (SQLException e) {
      if (e.getMessage() != null && (e.getMessage().contains("SQLITE_NOTADB") || e.getMessage().contains("SQLITE_CORRUPT"))) {
        throw ImportSource.refuse("promptfoo database", "is not a readable SQLite file");
      }
      throw e;
    }
    return evals;
  }

  private static long results(Connection c, PromptfooEval eval, Sink sink) throws SQLException {
    long n = 0;
    try (PreparedStatement ps = c.prepareStatement("SELECT " + String.join(", ", RESULT_COLUMNS)
        + " FROM eval_results WHERE eval_id = ? ORDER BY test_idx, prompt_idx, id")) {
      ps.setString(1, eval.id());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String id = rs.getString("id");
          String where = "database table eval_results row '" + id + "'";
          JsonObject r = new JsonObject().put("id", id).put("promptIdx", rs.getInt("prompt_idx")).put("testIdx", rs.getInt("test_idx"))
              .put("testCase", json("eval_results", id, "test_case", rs.getString("test_case")))
              .put("prompt", json("eval_results", id, "prompt", rs.getString("prompt")))
              .put("provider", json("eval_results", id, "provider", rs.getString("provider")))
              .put("response", json("eval_results", id, "response", rs.getString("response")))
              .put("error", rs.getString("error")).put("failureReason", rs.getInt("failure_reason"))
              .put("success", rs.getBoolean("success")).put("score", rs.getDouble("score"))
              .put("gradingResult", json("eval_results", id, "grading_result", rs.getString("grading_result")))
              .put("metadata", json("eval_results", id, "metadata", rs.getString("metadata")));
          sink.result(PromptfooResults.from(r, eval.id(), where));
          n++;
        }
      }
    }
    return n;
  }

  /** An eval from before the eval_results table: its results inline in evals.results ({@code {"version": 2, "results": [...]}}). */
  private static void inline(Connection c, PromptfooEval eval, Sink sink) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT results FROM evals WHERE id = ?")) {
      ps.setString(1, eval.id());
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next()) {
          JsonObject results = object("evals", eval.id(), "results", rs.getString(1));
          if (results.getValue("results") instanceof JsonArray list) {
            for (int i = 0; i < list.size(); i++) {
              String where = "database table evals row '" + eval.id() + "' results[" + i + "]";
              if (!(list.getValue(i) instanceof JsonObject r)) {
                throw PromptfooResults.refused(where, "is not an object");
              }
              sink.result(PromptfooResults.from(r, eval.id(), where));
            }
          }
        }
      }
    }
  }

  private static Set<String> columns(Connection c, String table) throws SQLException {
    Set<String> out = new HashSet<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT name FROM pragma_table_info(?)")) {
      ps.setString(1, table);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
    }
    if (out.isEmpty()) {
      throw ImportSource.refuse("promptfoo database", "has no table " + table);
    }
    return out;
  }

  private static void require(String table, Set<String> have, List<String> need) {
    for (String column : need) {
      if (!have.contains(column)) {
        throw ImportSource.refuse("promptfoo database table " + table, "has no column " + column);
      }
    }
  }

  private static Object json(String table, String id, String column, String text) {
    if (text == null) {
      return null;
    }
    try {
      return io.vertx.core.json.Json.decodeValue(text);
    } catch (DecodeException e) {
      throw ImportSource.refuse("promptfoo database table " + table + " row '" + id + "' column " + column, "is not JSON");
    }
  }

  private static JsonObject object(String table, String id, String column, String text) {
    Object v = json(table, id, column, text);
    if (v == null) {
      return new JsonObject();
    }
    if (!(v instanceof JsonObject o)) {
      throw ImportSource.refuse("promptfoo database table " + table + " row '" + id + "' column " + column,
          "is not a JSON object");
    }
    return o;
  }

  /** promptfoo keeps created_at as epoch milliseconds (older rows: SQLite's CURRENT_TIMESTAMP text). */
  private static String time(Object v) {
    if (v instanceof Number n) {
      long x = n.longValue();
      return Instant.ofEpochMilli(x < 100_000_000_000L ? x * 1000 : x).toString();
    }
    return v == null ? null : String.valueOf(v);
  }
}
