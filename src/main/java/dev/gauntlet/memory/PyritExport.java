package dev.gauntlet.memory;

import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Writes the pieces a filter keeps, with their scores and results, as a PyRIT SQLite memory in the
 * layout of Alembic revision {@link PyritSqlite#EXPORT} ({@link PyritSqlite#DDL_EXPORT}) with that
 * revision's version row, so PyRIT's own SQLiteMemory opens it and its migrations carry it to the
 * layout of the PyRIT reading it. Rows stream from DuckDB to SQLite in batches inside one SQLite
 * transaction: memory stays bounded however many pieces.
 *
 * <p>At that revision a conversation carries its target (Conversations), a piece still carries its
 * labels, a score needs a value (an undetermined one is left out and counted under
 * {@code skipped}), and a result becomes an AttackResultEntries row (Gauntlet's outcome in PyRIT's
 * words: success, failure, error, undetermined) with the execution's labels and the orchestrator
 * as its attack identifier. Identifiers are written in 1.x's form ({@code class_name},
 * {@code class_module}); a NOT NULL JSON column Gauntlet has nothing for gets {@code {}}, the empty
 * value PyRIT itself writes there.
 */
final class PyritExport {

  private static final int BATCH = 2_000;
  /** How SQLAlchemy stores a DATETIME in SQLite. */
  private static final DateTimeFormatter SQLITE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");

  private PyritExport() {}

  static JsonObject write(Connection duck, JsonObject filter, Path path) throws SQLException {
    try {
      dev.gauntlet.files.Private.dir(path.getParent());
      Files.deleteIfExists(path);
    } catch (java.io.IOException | java.io.UncheckedIOException e) {
      throw new SQLException("cannot write " + path + ": " + e.getMessage(), e);
    }
    List<Object> args = new ArrayList<>();
    String where = " WHERE 1 = 1" + Exports.filter(filter, args);
    String kept = "SELECT p.id FROM PromptMemoryEntries p" + where;
    String keptConversations = "SELECT DISTINCT p.conversation_id FROM PromptMemoryEntries p" + where;
    JsonObject tables = new JsonObject();
    JsonObject skipped = new JsonObject();
    Memo identifiers = new Memo(PyritExport::identifier);
    Memo converters = new Memo(PyritExport::converters);
    try (Connection lite = DriverManager.getConnection("jdbc:sqlite:" + path.toAbsolutePath())) {
      try (Statement s = lite.createStatement()) {
        // a file being written is deleted on any failure, so it needs no rollback journal nor a sync per write
        s.execute("PRAGMA journal_mode = OFF");
        s.execute("PRAGMA synchronous = OFF");
        s.execute("PRAGMA cache_size = -32768");
        for (String ddl : PyritSqlite.DDL_EXPORT) {
          s.execute(ddl);
        }
      }
      lite.setAutoCommit(false);
      try (PreparedStatement v = lite.prepareStatement("INSERT INTO " + PyritSqlite.VERSION_TABLE + " VALUES (?)")) {
        v.setString(1, PyritSqlite.EXPORT.id());
        v.executeUpdate();
      }
      tables.put("PromptMemoryEntries", copy(duck, lite, "SELECT p.id, p.role, p.conversation_id, p.sequence, p.timestamp, "
          + "CAST(p.prompt_metadata AS VARCHAR), CAST(p.converter_identifiers AS VARCHAR), p.response_error, p.original_value_data_type, "
          + "p.original_value, p.original_value_sha256, p.converted_value_data_type, p.converted_value, p.converted_value_sha256, "
          + "p.original_prompt_id, CAST(p.labels AS VARCHAR) FROM PromptMemoryEntries p" + where, args,
          "INSERT INTO PromptMemoryEntries (id, role, conversation_id, sequence, timestamp, prompt_metadata, converter_identifiers, "
              + "response_error, original_value_data_type, original_value, original_value_sha256, converted_value_data_type, converted_value, "
              + "converted_value_sha256, original_prompt_id, labels) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", (rs, ins) -> {
            ins.setString(1, rs.getString(1));
            ins.setString(2, rs.getString(2));
            ins.setString(3, rs.getString(3));
            ins.setInt(4, rs.getInt(4));
            ins.setString(5, time(rs.getTimestamp(5)));
            ins.setString(6, orEmpty(object(rs.getString(6))));
            ins.setString(7, converters.get(rs.getString(7)));
            ins.setString(8, rs.getString(8) == null ? "none" : rs.getString(8));
            for (int i = 9; i <= 15; i++) {
              ins.setString(i, rs.getString(i));
            }
            ins.setString(16, orEmpty(object(rs.getString(16))));
          }));
      tables.put("Conversations", copy(duck, lite, "SELECT p.conversation_id, CAST(any_value(p.prompt_target_identifier) AS VARCHAR) "
          + "FROM PromptMemoryEntries p" + where + " GROUP BY p.conversation_id", args,
          "INSERT INTO Conversations (conversation_id, target_identifier) VALUES (?, ?)", (rs, ins) -> {
            ins.setString(1, rs.getString(1));
            ins.setString(2, identifiers.get(rs.getString(2)));
          }));
      tables.put("ScoreEntries", copy(duck, lite, "SELECT s.id, s.score_value, s.score_value_description, s.score_type, s.score_category, "
          + "s.score_rationale, s.score_metadata, CAST(s.scorer_class_identifier AS VARCHAR), s.prompt_request_response_id, s.timestamp, s.task "
          + "FROM ScoreEntries s WHERE s.score_value IS NOT NULL AND s.prompt_request_response_id IN (" + kept + ")", args,
          "INSERT INTO ScoreEntries (id, score_value, score_value_description, score_type, score_category, score_rationale, score_metadata, "
              + "scorer_class_identifier, prompt_request_response_id, timestamp, task, objective) "
              + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", (rs, ins) -> {
            for (int i = 1; i <= 4; i++) {
              ins.setString(i, rs.getString(i));
            }
            ins.setString(5, category(rs.getString(5)));
            ins.setString(6, rs.getString(6));
            ins.setString(7, orEmpty(object(rs.getString(7))));
            ins.setString(8, orEmpty(identifiers.get(rs.getString(8))));
            ins.setString(9, rs.getString(9));
            ins.setString(10, time(rs.getTimestamp(10)));
            ins.setString(11, rs.getString(11));
            ins.setString(12, rs.getString(11));
          }));
      // the revision written has no room for a score without a value: such scores are counted, not faked
      skipped.put("ScoreEntries", count(duck, "SELECT count(*) FROM ScoreEntries s WHERE s.score_value IS NULL "
          + "AND s.prompt_request_response_id IN (" + kept + ")", args));
      // the conversations of the kept pieces with a result: their first prompt's objective, last answer, turns; each found
      // in one pass over the pieces grouped by conversation (subqueries per result took most of an export's time)
      tables.put("AttackResultEntries", copy(duck, lite, "WITH kept AS MATERIALIZED (" + keptConversations + "), " + """
               prompts AS (SELECT q.conversation_id, arg_min(coalesce(q.prompt_metadata ->> 'objective', q.original_value),
                     struct_pack(s := q.sequence, t := q.timestamp)) AS objective, count(*) AS turns
                   FROM PromptMemoryEntries q WHERE q.role = 'user' AND q.conversation_id IN (SELECT conversation_id FROM kept)
                   GROUP BY q.conversation_id),
               answers AS (SELECT q.conversation_id, arg_max(q.id, struct_pack(s := q.sequence, t := q.timestamp)) AS last_id
                   FROM PromptMemoryEntries q WHERE q.role IN ('assistant', 'simulated_assistant')
                     AND q.conversation_id IN (SELECT conversation_id FROM kept) GROUP BY q.conversation_id),
               related AS (SELECT (q.prompt_metadata ->> 'pyrit_attack_conversation_id') AS attack,
                     list(DISTINCT q.conversation_id) FILTER (WHERE (q.prompt_metadata ->> 'pyrit_conversation_type') = 'adversarial') AS adversarial,
                     list(DISTINCT q.conversation_id) FILTER (WHERE (q.prompt_metadata ->> 'pyrit_conversation_type') = 'pruned') AS pruned
                   FROM PromptMemoryEntries q WHERE (q.prompt_metadata ->> 'pyrit_conversation_type') IN ('adversarial', 'pruned')
                   GROUP BY 1)
          SELECT r.execution_id, r.conversation_id, coalesce(r.outcome, CASE WHEN r.status = 'failed' THEN 'error'
                   WHEN r.attack_success THEN 'attack_succeeded' ELSE 'held' END), coalesce(r.reason, r.error), r.completed_at,
                 CAST(e.labels AS VARCHAR), coalesce(e.orchestrator ->> 'source_type', e.orchestrator ->> 'type'), e.orchestrator ->> 'kind',
                 pr.objective, an.last_id, coalesce(pr.turns, 0), rel.adversarial, rel.pruned
          FROM execution_results r JOIN executions e ON e.id = r.execution_id
            LEFT JOIN prompts pr ON pr.conversation_id = r.conversation_id LEFT JOIN answers an ON an.conversation_id = r.conversation_id
            LEFT JOIN related rel ON rel.attack = r.conversation_id
          WHERE r.conversation_id IN (SELECT conversation_id FROM kept)""" + (filter.getString("execution_id") != null ? " AND r.execution_id = ?" : "")
              + " ORDER BY r.completed_at, r.prompt_index",
          filter.getString("execution_id") != null ? with(args, filter.getString("execution_id")) : args,
          "INSERT INTO AttackResultEntries (id, conversation_id, objective, atomic_attack_identifier, objective_sha256, last_response_id, "
              + "executed_turns, execution_time_ms, outcome, outcome_reason, labels, adversarial_chat_conversation_ids, pruned_conversation_ids, "
              + "timestamp) VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?)", (rs, ins) -> {
            String objective = rs.getString(9) == null ? "" : rs.getString(9);
            ins.setString(1, UUID.nameUUIDFromBytes(("gauntlet-result\u0000" + rs.getString(1) + "\u0000" + rs.getString(2))
                .getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString());
            ins.setString(2, rs.getString(2));
            ins.setString(3, objective);
            ins.setString(4, new JsonObject().put("class_name", rs.getString(7) == null ? "GauntletExecution" : rs.getString(7))
                .put("class_module", "imported".equals(rs.getString(8)) ? "imported" : "gauntlet.orchestrator").encode());
            ins.setString(5, PieceBatch.sha256(objective));
            ins.setString(6, rs.getString(10));
            ins.setInt(7, rs.getInt(11));
            ins.setString(8, outcome(rs.getString(3)));
            ins.setString(9, rs.getString(4));
            ins.setString(10, object(rs.getString(6)));
            ins.setString(11, list(rs.getArray(12)));
            ins.setString(12, list(rs.getArray(13)));
            ins.setString(13, time(rs.getTimestamp(5)));
          }));
      lite.commit();
    } catch (SQLException | RuntimeException e) {
      try {
        Files.deleteIfExists(path);
      } catch (java.io.IOException ignored) {
        // the export folder is the caller's own; a half file is removed when it can be
      }
      throw e;
    }
    dev.gauntlet.files.Private.files(path);
    long rows = 0;
    for (String t : tables.fieldNames()) {
      rows += tables.getLong(t);
    }
    return new JsonObject().put("path", path.toString()).put("rows", rows).put("tables", tables).put("skipped", skipped)
        .put("layout", PyritSqlite.EXPORT.label()).put("alembic_version", PyritSqlite.EXPORT.id());
  }

  private interface RowCopy {
    void copy(ResultSet from, PreparedStatement to) throws SQLException;
  }

  private static List<Object> with(List<Object> args, Object more) {
    List<Object> all = new ArrayList<>(args);
    all.add(more);
    return all;
  }

  private static long copy(Connection duck, Connection lite, String query, List<Object> args, String insert, RowCopy row) throws SQLException {
    long n = 0;
    try (PreparedStatement q = duck.prepareStatement(query); PreparedStatement ins = lite.prepareStatement(insert)) {
      Exports.bind(q, args, 1);
      try (ResultSet rs = q.executeQuery()) {
        while (rs.next()) {
          row.copy(rs, ins);
          ins.addBatch();
          if (++n % BATCH == 0) {
            ins.executeBatch();
          }
        }
      }
      ins.executeBatch();
    }
    return n;
  }

  static String outcome(String gauntlet) {
    return switch (gauntlet == null ? "" : gauntlet) {
      case "attack_succeeded" -> "success";
      case "held" -> "failure";
      case "error" -> "error";
      default -> "undetermined";
    };
  }

  private static long count(Connection duck, String query, List<Object> args) throws SQLException {
    try (PreparedStatement q = duck.prepareStatement(query)) {
      Exports.bind(q, args, 1);
      try (ResultSet rs = q.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /** PyRIT's empty value for a NOT NULL JSON column Gauntlet has nothing for. */
  private static String orEmpty(String json) {
    return json == null ? "{}" : json;
  }

  private static String time(Timestamp t) {
    return t == null ? null : t.toLocalDateTime().format(SQLITE_TIME);
  }

  /** An identifier column in 1.x's form; a value that is no JSON object is dropped rather than written as something else. */
  private static String identifier(String json) {
    JsonObject o = parse(json) instanceof JsonObject j ? j : null;
    return o == null ? null : PyritSqlite.to1x(o).encode();
  }

  /**
   * Identifiers repeat on every piece of a run (the same target, converters, scorer): each distinct
   * text is converted once per export. Bounded: cleared when it holds {@value #MAX} texts.
   */
  private static final class Memo {
    private static final int MAX = 4_096;
    private final java.util.function.UnaryOperator<String> convert;
    private final java.util.HashMap<String, java.util.Optional<String>> seen = new java.util.HashMap<>();

    Memo(java.util.function.UnaryOperator<String> convert) {
      this.convert = convert;
    }

    String get(String json) {
      if (json == null) {
        return convert.apply(null);
      }
      java.util.Optional<String> hit = seen.get(json);
      if (hit == null) {
        if (seen.size() >= MAX) {
          seen.clear();
        }
        hit = java.util.Optional.ofNullable(convert.apply(json));
        seen.put(json, hit);
      }
      return hit.orElse(null);
    }
  }

  private static String converters(String json) {
    if (!(parse(json) instanceof JsonArray list)) {
      return null;
    }
    JsonArray out = new JsonArray();
    for (Object o : list) {
      if (o instanceof JsonObject j) {
        out.add(PyritSqlite.to1x(j));
      }
    }
    return out.encode();
  }

  private static String object(String json) {
    return parse(json) instanceof JsonObject o ? o.encode() : null;
  }

  /** 1.x's score_category is a JSON list; Gauntlet keeps a list as is, or one category as text. */
  private static String category(String value) {
    if (value == null || value.isEmpty()) {
      return null;
    }
    return parse(value) instanceof JsonArray a ? a.encode() : new JsonArray().add(value).encode();
  }

  private static String list(java.sql.Array array) throws SQLException {
    if (array == null) {
      return null;
    }
    Object[] items = (Object[]) array.getArray();
    if (items.length == 0) {
      return null;
    }
    JsonArray out = new JsonArray();
    for (Object i : items) {
      out.add(String.valueOf(i));
    }
    return out.encode();
  }

  private static Object parse(String json) {
    if (json == null || json.isEmpty()) {
      return null;
    }
    try {
      return Json.decodeValue(json);
    } catch (RuntimeException e) {
      return null;
    }
  }
}
