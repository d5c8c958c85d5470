package dev.gauntlet.memory;

import dev.gauntlet.Problem;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Where an imported file lands in one user's memory, atomically however large it is: each batch
 * the importer streams is appended to staging tables of its own ({@code import_staging_<id>_<table>},
 * shaped like the real ones), and {@link #commit} moves into the real tables, in ONE transaction,
 * every staged row whose key is not stored yet. A failure anywhere (a bad row, a truncated file,
 * a crash) leaves the real tables untouched; a dry run performs the same moves and rolls them
 * back, so it runs every check the database makes and stores nothing. Keys are the source's ids,
 * so importing the same file again adds nothing.
 *
 * <p>The staging tables are TEMP tables of the connection: DuckDB keeps them out of the file and
 * its write-ahead log (spilling to its temporary directory past the memory limit), so staging a
 * batch neither logs nor syncs it nor triggers checkpoints, and only the rows moved at the commit
 * are written to the file. They go with the connection, so a crash leaves nothing behind.
 */
public final class ImportStore {

  /** The tables an import may fill, with the columns that make a row the same row. */
  public static final Map<String, List<String>> KEYS = keys();

  /**
   * An imported execution's results: staged from rows of values in {@link #RESULT_COLUMNS}' order
   * (an importer's many rows, cheap to carry and to append), or from rows by column name.
   */
  public static final String RESULTS = "execution_results";
  public static final List<String> RESULT_COLUMNS = List.of("execution_id", "prompt_index", "conversation_id", "status",
      "attack_success", "outcome", "reason", "error", "error_class", "completed_at");

  private static final Pattern IMPORT_ID = Pattern.compile("[0-9a-f]{32}");
  private static final String STAGING = "import_staging_";

  /**
   * How long an import holds its memory open without staging a batch: past it the importer is
   * taken to be gone (its node died), and the memory may be closed again.
   */
  static final long LEASE_NANOS = java.util.concurrent.TimeUnit.MINUTES.toNanos(10);

  private final Connection c;
  private final PieceStore pieces;
  /** Imports in progress on this connection, with when each last began or staged: their staging tables live as long as it does. */
  private final Map<String, Long> active = new java.util.HashMap<>();

  ImportStore(Connection c, PieceStore pieces) {
    this.c = c;
    this.pieces = pieces;
  }

  /** For the command line, with the server stopped: an import straight into an open memory file. */
  public static ImportStore direct(Connection c) {
    return new ImportStore(c, null);
  }

  private static Map<String, List<String>> keys() {
    Map<String, List<String>> k = new LinkedHashMap<>();
    k.put("executions", List.of("id"));
    k.put("datasets", List.of("id"));
    k.put("SeedPromptEntries", List.of("id"));
    k.put("dataset_prompts", List.of("dataset_id", "sequence"));
    k.put("PromptMemoryEntries", List.of("id"));
    k.put("ScoreEntries", List.of("id"));
    // an imported execution's result is its conversation's, whatever index it was given
    k.put("execution_results", List.of("execution_id", "conversation_id"));
    return java.util.Collections.unmodifiableMap(k);
  }

  /** A fresh import's id. */
  public static String newId() {
    return UUID.randomUUID().toString().replace("-", "");
  }

  /** Creates the import's staging tables (dropping any left by an earlier attempt with the same id). */
  public JsonObject begin(String importId) throws SQLException {
    String id = checkId(importId);
    active.put(id, System.nanoTime());
    try (Statement s = c.createStatement()) {
      for (String table : KEYS.keySet()) {
        s.execute("DROP TABLE IF EXISTS " + staging(id, table));
        s.execute("CREATE TEMP TABLE " + staging(id, table) + " AS SELECT * FROM " + table + " LIMIT 0");
      }
    }
    return new JsonObject().put("import_id", id);
  }

  /**
   * Appends one batch to the staging tables: pieces and scores as parsed, other tables' rows as
   * {@code {table: [{column: value}]}}. A row naming an unknown table or column is refused with
   * both named. Returns the rows staged per table.
   */
  public JsonObject stage(String importId, PieceBatch batch, JsonObject rows) throws SQLException {
    String id = checkId(importId);
    active.replace(id, System.nanoTime());
    JsonObject staged = new JsonObject();
    DuckDBConnection duck = c.unwrap(DuckDBConnection.class);
    // one transaction per batch: outside one, every appender flush (each 1,024 rows) commits and syncs on its own
    Appends.inTransaction(c, () -> {
      if (batch != null) {
        PieceStore.appendPieces(duck, staging(id, "PromptMemoryEntries"), batch.pieces());
        PieceStore.appendScores(duck, staging(id, "ScoreEntries"), batch.scores());
        staged.put("PromptMemoryEntries", batch.pieces().size()).put("ScoreEntries", batch.scores().size());
      }
      if (rows != null) {
        for (String table : rows.fieldNames()) {
          if (!KEYS.containsKey(table) || table.equals("PromptMemoryEntries") || table.equals("ScoreEntries")) {
            throw Problem.badRequest("invalid_import", "an import cannot write rows of table '" + table + "'");
          }
          JsonArray list = rows.getJsonArray(table);
          appendRows(duck, id, table, list);
          staged.put(table, list.size());
        }
      }
    });
    return staged;
  }

  /**
   * Moves every staged row not yet stored into the real tables, in one transaction (rolled back
   * for a dry run), then drops the staging tables. Returns {@code {table: {read, added, present}}}.
   */
  public JsonObject commit(String importId, boolean dryRun) throws SQLException {
    String id = checkId(importId);
    JsonObject tables = new JsonObject();
    try {
      Appends.inTransaction(c, () -> {
        for (Map.Entry<String, List<String>> e : KEYS.entrySet()) {
          String table = e.getKey();
          String from = staging(id, table);
          long read = count("SELECT count(*) FROM " + from);
          long added;
          try (Statement s = c.createStatement()) {
            // the first staged row of each key, found over keys and row ids only (a window over whole rows, texts and
            // all, ran out of the memory's 256MB on a million-attempt garak report), and only keys not yet stored
            added = s.executeUpdate("INSERT INTO " + table + " SELECT * FROM " + from + " s WHERE s.rowid IN (SELECT min(rowid) FROM "
                + from + " GROUP BY " + String.join(", ", e.getValue()) + ") AND NOT EXISTS (SELECT 1 FROM " + table + " t WHERE "
                + String.join(" AND ", e.getValue().stream().map(k -> "t." + k + " = s." + k).toList()) + ")");
          } catch (SQLException x) {
            throw new SQLException("table " + table + ": " + x.getMessage(), x);
          }
          if (read > 0 || added > 0) {
            tables.put(table, new JsonObject().put("read", read).put("added", added).put("present", read - added));
          }
        }
        if (dryRun) {
          throw new DryRunDone();
        }
      });
    } catch (DryRunDone done) {
      // rolled back by inTransaction: every check ran, nothing stays
    } finally {
      abort(id);
    }
    if (!dryRun && pieces != null) {
      pieces.forgetIds();
    }
    return new JsonObject().put("tables", tables).put("dry_run", dryRun);
  }

  /** Drops the import's staging tables: nothing of it stays. */
  public JsonObject abort(String importId) throws SQLException {
    String id = checkId(importId);
    active.remove(id);
    try (Statement s = c.createStatement()) {
      for (String table : KEYS.keySet()) {
        s.execute("DROP TABLE IF EXISTS " + staging(id, table));
      }
    }
    return new JsonObject().put("import_id", id).put("aborted", true);
  }

  /**
   * Whether an import is in progress here (begun, neither committed nor aborted, and staging within
   * {@link #LEASE_NANOS}): the shard then keeps this memory open, since closing the connection
   * would drop the import's TEMP staging tables and fail it.
   */
  boolean inProgress() {
    long now = System.nanoTime();
    active.values().removeIf(last -> now - last > LEASE_NANOS);
    return !active.isEmpty();
  }

  /** Thrown through the transaction to roll a dry run back. */
  private static final class DryRunDone extends RuntimeException {
    DryRunDone() {
      super("dry run", null, false, false);
    }
  }

  private long count(String sql) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static String checkId(String importId) {
    if (importId == null || !IMPORT_ID.matcher(importId).matches()) {
      throw Problem.badRequest("invalid_import", "an import id is 32 hex digits");
    }
    return importId;
  }

  private static String staging(String id, String table) {
    return STAGING + id + "_" + table.toLowerCase(Locale.ROOT);
  }

  private record Column(String name, String type) {}

  private List<Column> columns(String stagingTable) throws SQLException {
    List<Column> out = new ArrayList<>();
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT * FROM " + stagingTable + " LIMIT 0")) {
      ResultSetMetaData md = rs.getMetaData();
      for (int i = 1; i <= md.getColumnCount(); i++) {
        out.add(new Column(md.getColumnName(i), md.getColumnTypeName(i).toUpperCase(Locale.ROOT)));
      }
    }
    return out;
  }

  /** Rows of a small table through an appender, each value converted to its column's type. */
  private void appendRows(DuckDBConnection duck, String id, String table, JsonArray rows) throws SQLException {
    if (rows == null || rows.isEmpty()) {
      return;
    }
    String stagingTable = staging(id, table);
    List<Column> columns = columns(stagingTable);
    java.util.Set<String> known = new java.util.HashSet<>(columns.stream().map(Column::name).toList());
    // for rows of values, where each column's value sits in the row (-1: not carried, null)
    int[] at = new int[columns.size()];
    for (int i = 0; i < at.length; i++) {
      at[i] = table.equals(RESULTS) ? RESULT_COLUMNS.indexOf(columns.get(i).name()) : -1;
    }
    DuckDBAppender a = duck.createAppender("main", stagingTable);
    try {
      int pending = 0;
      for (int r = 0; r < rows.size(); r++) {
        if (rows.getValue(r) instanceof JsonArray values && table.equals(RESULTS)) {
          if (values.size() != RESULT_COLUMNS.size()) {
            throw Problem.badRequest("invalid_import", "table " + table + ": a row of values has " + values.size() + " values, not "
                + RESULT_COLUMNS.size());
          }
          a.beginRow();
          for (int i = 0; i < at.length; i++) {
            Object v = at[i] < 0 ? null : values.getValue(at[i]);
            if (v instanceof Number micros && columns.get(i).type().equals("TIMESTAMP")) {
              a.appendEpochMicros(micros.longValue());
            } else {
              appendValue(a, table, columns.get(i), v);
            }
          }
          pending = Appends.endRow(a, pending, table);
          continue;
        }
        if (!(rows.getValue(r) instanceof JsonObject row)) {
          throw Problem.badRequest("invalid_import", "table " + table + ": a row is not an object of columns");
        }
        for (String f : row.fieldNames()) {
          if (!known.contains(f)) {
            throw Problem.badRequest("invalid_import", "table " + table + " has no column '" + f + "'");
          }
        }
        a.beginRow();
        for (Column col : columns) {
          appendValue(a, table, col, row.getValue(col.name()));
        }
        pending = Appends.endRow(a, pending, table);
      }
      Appends.flush(a, pending, table);
    } finally {
      Appends.close(a);
    }
  }

  /** A time (UTC) as epoch microseconds, as a row of {@link #RESULTS} carries it. */
  public static long epochMicros(LocalDateTime t) {
    return Math.addExact(Math.multiplyExact(t.toEpochSecond(java.time.ZoneOffset.UTC), 1_000_000L), t.getNano() / 1000);
  }

  private static void appendValue(DuckDBAppender a, String table, Column col, Object v) throws SQLException {
    if (v == null) {
      a.appendNull();
      return;
    }
    try {
      switch (col.type()) {
        case "INTEGER" -> a.append(((Number) v).intValue());
        case "BIGINT" -> a.append(((Number) v).longValue());
        case "DOUBLE", "FLOAT" -> a.append(((Number) v).doubleValue());
        case "BOOLEAN" -> a.append((boolean) (Boolean) v);
        case "UUID" -> a.append(UUID.fromString((String) v));
        case "TIMESTAMP" -> a.append(v instanceof LocalDateTime t ? t : time((String) v));
        default -> a.append(v instanceof String s ? s : v.toString());
      }
    } catch (ClassCastException | IllegalArgumentException | java.time.format.DateTimeParseException e) {
      throw Problem.badRequest("invalid_import", "table " + table + ", column " + col.name() + ": not a " + col.type().toLowerCase(Locale.ROOT)
          + " (" + e.getMessage() + ")");
    }
  }

  /** An ISO-8601 time, with 'T' or a space, with or without a trailing 'Z' (read as UTC). */
  static LocalDateTime time(String s) {
    String t = s.trim().replace(' ', 'T');
    if (t.endsWith("Z")) {
      t = t.substring(0, t.length() - 1);
    } else if (t.length() > 19 && (t.lastIndexOf('+') > 18 || t.lastIndexOf('-') > 18)) {
      return java.time.OffsetDateTime.parse(t).withOffsetSameInstant(java.time.ZoneOffset.UTC).toLocalDateTime();
    }
    return LocalDateTime.parse(t);
  }

  /** Leftover staging tables (an import cut short by a crash, when they were stored in the file): dropped when the memory opens. */
  static void dropLeftovers(Connection c) throws SQLException {
    List<String> left = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT table_name FROM information_schema.tables WHERE table_name LIKE ?")) {
      ps.setString(1, STAGING + "%");
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          left.add(rs.getString(1));
        }
      }
    }
    try (Statement s = c.createStatement()) {
      for (String t : left) {
        s.execute("DROP TABLE IF EXISTS \"" + t.replace("\"", "") + "\"");
      }
    }
  }
}
