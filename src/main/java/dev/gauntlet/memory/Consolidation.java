package dev.gauntlet.memory;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Merges a stray DuckDB file (ViolentUTF's {@code orchestrator_memory_*.db}, a PyRIT memory, a
 * Gauntlet memory named with another salt) into one user's memory. The stray file is attached
 * READ_ONLY and never modified; PyRIT's three tables are copied by column name (a column the
 * source lacks becomes NULL, or a neutral value where the target requires one; extra source
 * columns are ignored), skipping ids the target already holds, in one transaction per file.
 */
public final class Consolidation {

  /** The alias the stray file is attached under. */
  static final String SOURCE = "gauntlet_stray";

  /** Raised when the stray file (or the target) is locked by another process. */
  public static final class Locked extends SQLException {
    Locked(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private Consolidation() {}

  /** Opens a memory file outside the server (the CLI, with Gauntlet stopped), migrated to the latest schema. */
  public static Connection openTarget(Path file) throws SQLException {
    try {
      java.nio.file.Files.createDirectories(file.getParent());
    } catch (java.io.IOException e) {
      throw new SQLException("cannot create " + file.getParent() + ": " + e.getMessage(), e);
    }
    Connection c;
    try {
      c = DriverManager.getConnection("jdbc:duckdb:" + file, UserMemory.noExtensions(new java.util.Properties()));
    } catch (SQLException e) {
      throw lockedOr(e, file);
    }
    try {
      UserMemory.requireNoExtensions(c);
      MemorySchema.migrate(c);
      return c;
    } catch (SQLException | RuntimeException e) {
      c.close();
      throw e;
    }
  }

  /**
   * Merges {@code source} into the memory open on {@code target}. Returns
   * {@code {"file", "tables": {T: {"source", "added", "present"}}, "dry_run"}}.
   */
  public static JsonObject merge(Connection target, Path source, boolean dryRun) throws SQLException {
    refuseSqlite(source);
    try (Statement s = target.createStatement()) {
      s.execute("ATTACH '" + source.toAbsolutePath().toString().replace("'", "''") + "' AS " + SOURCE + " (READ_ONLY)");
    } catch (SQLException e) {
      throw lockedOr(e, source);
    }
    JsonObject tables = new JsonObject();
    boolean auto = target.getAutoCommit();
    try {
      target.setAutoCommit(false);
      try {
        for (Map.Entry<String, List<String>> table : KEYS.entrySet()) {
          JsonObject report = mergeTable(target, table.getKey(), table.getValue(), dryRun);
          if (report != null) {
            tables.put(table.getKey(), report);
            if (report.getLong("added", 0L) > 0) {
              afterMerge(target, table.getKey());
            }
          }
        }
        if (dryRun) {
          target.rollback();
        } else {
          target.commit();
          if (tables.containsKey("rescore_answers")) {
            pointAnswersAtThisFilesRows(target);
          }
        }
      } catch (SQLException | RuntimeException e) {
        target.rollback();
        throw e;
      } finally {
        target.setAutoCommit(auto);
      }
    } finally {
      try (Statement s = target.createStatement()) {
        s.execute("DETACH " + SOURCE);
      }
    }
    return new JsonObject().put("file", source.toString()).put("dry_run", dryRun).put("tables", tables);
  }

  /**
   * A SQLite file (PyRIT 1.x keeps its memory in one) would make DuckDB fetch and load its SQLite
   * extension, native code from the network; Gauntlet never loads extensions at run time, so such
   * a file is refused here with a message that says what it is.
   */
  static void refuseSqlite(Path source) throws SQLException {
    byte[] head = new byte[16];
    int read;
    try (java.io.InputStream in = java.nio.file.Files.newInputStream(source)) {
      read = in.readNBytes(head, 0, head.length);
    } catch (java.io.IOException e) {
      throw new SQLException("cannot read " + source + ": " + e.getMessage(), e);
    }
    if (read == 16 && new String(head, 0, 15, java.nio.charset.StandardCharsets.US_ASCII).equals("SQLite format 3")) {
      throw new dev.gauntlet.Problem(400, "sqlite_not_supported", "'" + source.getFileName() + "' is a SQLite database"
          + " (PyRIT 1.x keeps its memory in SQLite), not a DuckDB memory file; consolidation merges DuckDB memory files only");
    }
  }

  /**
   * What is merged, in this order, and the key that tells a row already present: PyRIT's tables
   * and, from older Gauntlet files, the configurations (what ViolentUTF's users lost), datasets
   * and executions with their results.
   */
  private static final Map<String, List<String>> KEYS = keys();

  private static Map<String, List<String>> keys() {
    Map<String, List<String>> keys = new java.util.LinkedHashMap<>();
    MemorySchema.PYRIT_TABLES.forEach(t -> keys.put(t, List.of("id")));
    for (String t : List.of("generators", "converters", "scorers", "orchestrators", "datasets", "executions")) {
      keys.put(t, List.of("id"));
    }
    keys.put("dataset_prompts", List.of("dataset_id", "sequence"));
    keys.put("execution_results", List.of("execution_id", "prompt_index"));
    keys.put("execution_snapshots", List.of("execution_id"));
    keys.put("execution_prompts", List.of("execution_id", "prompt_index"));
    // re-scoring jobs with their frozen answers (migration 5) and people's verdicts (migration 6)
    keys.put("rescore_jobs", List.of("id"));
    keys.put("rescore_answers", List.of("job_id", "position"));
    keys.put("reviews", List.of("id"));
    return java.util.Collections.unmodifiableMap(keys);
  }

  /**
   * A re-scoring answer keeps the rowids of its pieces, which bound the scans that read its texts:
   * copied from another file they must be this file's rowids of the same pieces. Run after the
   * merge commits, as rows inserted in a transaction have provisional rowids until then; it mends
   * every answer, so a run interrupted between the two is mended by the next.
   */
  private static void pointAnswersAtThisFilesRows(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.executeUpdate("""
          UPDATE main.rescore_answers a SET piece_row = p.rowid FROM main.PromptMemoryEntries p
          WHERE p.id = a.piece_id AND a.piece_row <> p.rowid""");
      s.executeUpdate("""
          UPDATE main.rescore_answers a SET prompt_row = p.rowid FROM main.PromptMemoryEntries p
          WHERE p.id = a.prompt_id AND a.prompt_row IS DISTINCT FROM p.rowid""");
    }
  }

  /**
   * A review's {@code seq} orders the reviews of a piece (the latest is current): once reviews
   * from another file are in, all are numbered again in the order they were made, so a merged
   * review is current where it is the latest, whichever file held it.
   */
  private static void afterMerge(Connection c, String table) throws SQLException {
    try (Statement s = c.createStatement()) {
      if (table.equals("reviews")) {
        s.executeUpdate("""
            UPDATE main.reviews r SET seq = o.n
            FROM (SELECT id, row_number() OVER (ORDER BY created_at, seq, id) AS n FROM main.reviews) o
            WHERE r.id = o.id AND r.seq <> o.n""");
      }
    }
  }

  /** One table: null when the source has no such table. */
  private static JsonObject mergeTable(Connection c, String table, List<String> key, boolean dryRun) throws SQLException {
    Map<String, String> sourceColumns = columns(c, SOURCE, table);
    if (sourceColumns.isEmpty()) {
      return null;
    }
    for (String k : key) {
      if (!sourceColumns.containsKey(k)) {
        return new JsonObject().put("source", count(c, SOURCE + ".\"" + sourceTableName(c, table) + "\"")).put("added", 0)
            .put("present", 0).put("skipped", "the source table has no " + k + " column");
      }
    }
    String src = SOURCE + ".\"" + sourceTableName(c, table) + "\"";
    List<Column> target = targetColumns(c, table);
    List<String> names = new ArrayList<>();
    List<String> values = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    for (Column col : target) {
      names.add("\"" + col.name + "\"");
      String have = sourceColumns.get(col.name.toLowerCase(Locale.ROOT));
      if (have != null) {
        values.add("CAST(s.\"" + have + "\" AS " + col.type + ")");
      } else {
        missing.add(col.name);
        values.add(col.nullable ? "NULL" : neutral(col));
      }
    }
    long sourceRows = count(c, src);
    // a row whose key is already in the target is left as the target has it
    List<String> present = new ArrayList<>();
    List<String> keyed = new ArrayList<>();
    for (String k : key) {
      String type = target.stream().filter(col -> col.name.equalsIgnoreCase(k)).findFirst().orElseThrow().type;
      String sourceKey = "CAST(s.\"" + sourceColumns.get(k) + "\" AS " + type + ")";
      keyed.add("s.\"" + sourceColumns.get(k) + "\" IS NOT NULL");
      present.add("m.\"" + k + "\" = " + sourceKey);
    }
    String fresh = " FROM " + src + " s WHERE " + String.join(" AND ", keyed) + " AND NOT EXISTS (SELECT 1 FROM main.\""
        + table + "\" m WHERE " + String.join(" AND ", present) + ")";
    // a dry run inserts exactly as the real run does, in the transaction merge() then rolls back,
    // so every check (types, NOT NULL, keys) is made and its report is the real run's
    long added;
    try (Statement s = c.createStatement()) {
      added = s.executeLargeUpdate("INSERT INTO main.\"" + table + "\" (" + String.join(", ", names) + ") SELECT "
          + String.join(", ", values) + fresh);
    }
    JsonObject out = new JsonObject().put("source", sourceRows).put("added", added).put("present", sourceRows - added);
    if (!missing.isEmpty()) {
      out.put("missing_columns", new JsonArray(missing));
    }
    List<String> extra = new ArrayList<>();
    List<String> known = target.stream().map(col -> col.name.toLowerCase(Locale.ROOT)).toList();
    sourceColumns.values().forEach(n -> {
      if (!known.contains(n.toLowerCase(Locale.ROOT))) {
        extra.add(n);
      }
    });
    if (!extra.isEmpty()) {
      out.put("ignored_columns", new JsonArray(extra));
    }
    return out;
  }

  /** A value for a required column the source lacks. */
  private static String neutral(Column col) {
    String t = col.type.toUpperCase(Locale.ROOT);
    if (t.equals("UUID")) {
      return "CAST(s.\"id\" AS UUID)";
    } else if (t.startsWith("TIMESTAMP")) {
      return "CAST(current_timestamp AS TIMESTAMP)";
    } else if (t.contains("INT") || t.equals("DOUBLE") || t.equals("FLOAT")) {
      return "0";
    } else if (t.equals("BOOLEAN")) {
      return "false";
    }
    return "''";
  }

  private record Column(String name, String type, boolean nullable) {}

  private static List<Column> targetColumns(Connection c, String table) throws SQLException {
    List<Column> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT column_name, data_type, is_nullable FROM duckdb_columns() "
        + "WHERE database_name = current_database() AND schema_name = 'main' AND lower(table_name) = lower(?) ORDER BY column_index")) {
      ps.setString(1, table);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new Column(rs.getString(1), rs.getString(2), rs.getBoolean(3)));
        }
      }
    }
    return out;
  }

  /** The source table's columns: lower-case name to actual name. */
  private static Map<String, String> columns(Connection c, String database, String table) throws SQLException {
    Map<String, String> out = new LinkedHashMap<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT column_name FROM duckdb_columns() "
        + "WHERE database_name = ? AND schema_name = 'main' AND lower(table_name) = lower(?) ORDER BY column_index")) {
      ps.setString(1, database);
      ps.setString(2, table);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.put(rs.getString(1).toLowerCase(Locale.ROOT), rs.getString(1));
        }
      }
    }
    return out;
  }

  private static String sourceTableName(Connection c, String table) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT table_name FROM duckdb_tables() "
        + "WHERE database_name = ? AND schema_name = 'main' AND lower(table_name) = lower(?)")) {
      ps.setString(1, SOURCE);
      ps.setString(2, table);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getString(1) : table;
      }
    }
  }

  private static long count(Connection c, String qualified) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM " + qualified)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  static SQLException lockedOr(SQLException e, Path file) {
    String m = String.valueOf(e.getMessage());
    if (m.contains("Could not set lock") || m.contains("Conflicting lock")) {
      return new Locked(file + " is locked by another process (is Gauntlet running on this data directory? "
          + "DuckDB allows one writer per file: stop it, or use POST /api/v1/admin/memory/consolidate): " + m, e);
    }
    return e;
  }
}
