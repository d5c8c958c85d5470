package dev.gauntlet.imports;

import dev.gauntlet.Problem;
import dev.gauntlet.memory.PyritSqlite;
import dev.gauntlet.verdict.Outcome;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * PyRIT 1.x memory: a SQLite file ({@code pyrit.db}), opened read-only, its revision read from its
 * Alembic version table and named where Gauntlet knows it ({@link PyritSqlite#KNOWN}); what is read
 * is told by the columns present, so a revision Gauntlet has never seen still imports. Pieces,
 * scores (an undetermined one kept without a value), seeds (a dataset per dataset name) and one
 * execution of kind {@code imported} per file, whose results are the file's conversations: an
 * attack result's outcome where there is one, else the conversation's scores (a refusal scorer's
 * true is {@code held}). Rows are read in one pass per table and handed over as they come
 * ({@link PyritRows}).
 */
final class PyritSqliteImport implements ImportFormat {

  static final String ID = "pyrit-sqlite";
  private static final byte[] SQLITE_MAGIC = "SQLite format 3\u0000".getBytes(StandardCharsets.US_ASCII);

  @Override
  public String id() {
    return ID;
  }

  @Override
  public String tool() {
    return "PyRIT";
  }

  @Override
  public boolean recognizes(byte[] head, String fileName) {
    return head.length >= SQLITE_MAGIC.length && Arrays.equals(head, 0, SQLITE_MAGIC.length, SQLITE_MAGIC, 0, SQLITE_MAGIC.length);
  }

  @Override
  public JsonObject layout(java.nio.file.Path file) {
    try (Connection db = PyritSqlite.openReadOnly(file)) {
      return PyritFile.inspect(db).describe();
    } catch (SQLException e) {
      return null;
    }
  }

  @Override
  public void read(ImportSource source, Landing landing) throws Exception {
    try (Connection db = open(source)) {
      PyritFile file = PyritFile.inspect(db);
      PyritRows rows = new PyritRows(db, file, source, landing);
      rows.seeds();
      rows.pieces();
      rows.scores();
      int results = rows.results();
      landing.execution(rows.execution(results));
    }
  }

  private static Connection open(ImportSource source) {
    checkLength(source.file());
    try {
      return PyritSqlite.openReadOnly(source.file());
    } catch (SQLException e) {
      throw ImportSource.refuse("file", "not a readable SQLite database (" + e.getMessage() + ")");
    }
  }

  /**
   * A file cut short (an interrupted copy or upload) is told apart from a damaged one: SQLite's
   * header declares its page size and page count, and a shorter file cannot be read at all.
   */
  private static void checkLength(java.nio.file.Path file) {
    try (java.io.InputStream in = java.nio.file.Files.newInputStream(file)) {
      byte[] h = in.readNBytes(100);
      if (h.length < 100) {
        throw ImportSource.refuse("file", "truncated: " + h.length + " bytes, shorter than a SQLite header");
      }
      int size = ((h[16] & 0xff) << 8) | (h[17] & 0xff);
      long pageSize = size == 1 ? 65536 : size;
      long pages = java.nio.ByteBuffer.wrap(h, 28, 4).getInt() & 0xffffffffL;
      boolean countValid = java.util.Arrays.equals(h, 24, 28, h, 92, 96);
      long length = java.nio.file.Files.size(file);
      if (countValid && pages > 0 && pages * pageSize > length) {
        throw ImportSource.refuse("file", "truncated: its header declares " + pages + " pages of " + pageSize + " bytes ("
            + pages * pageSize + " bytes), the file has " + length);
      }
    } catch (java.io.IOException e) {
      throw ImportSource.refuse("file", "unreadable (" + e.getMessage() + ")");
    }
  }

  /** The tables of the file with their columns, its Alembic revision, and that revision's name where Gauntlet knows it. */
  record PyritFile(Map<String, java.util.Set<String>> tables, String revision, PyritSqlite.Revision known) {

    boolean has(String table) {
      return tables.containsKey(table);
    }

    boolean has(String table, String column) {
      return tables.containsKey(table) && tables.get(table).contains(column);
    }

    /**
     * The attack's identifier as an expression over AttackResultEntries: the atomic attack's where
     * it was recorded, else the attack's (up to the v1 revisions both columns exist and the atomic
     * one is often empty); null where the file has neither.
     */
    String attackIdentifier() {
      boolean atomic = has("AttackResultEntries", "atomic_attack_identifier");
      boolean attack = has("AttackResultEntries", "attack_identifier");
      return atomic && attack ? "coalesce(atomic_attack_identifier, attack_identifier)"
          : atomic ? "atomic_attack_identifier" : attack ? "attack_identifier" : null;
    }

    String layoutName() {
      return known != null ? known.label() : "revision " + revision;
    }

    /** What an import's answer says of the file: its revision, the release line, and how it was read. */
    JsonObject describe() {
      JsonObject out = new JsonObject().put("alembic_version", revision).put("known", known != null)
          .put("release", known != null ? known.release() : null).put("label", layoutName());
      out.put("conversations", has("Conversations", "target_identifier") ? "Conversations table" : "on each piece");
      return out;
    }

    static PyritFile inspect(Connection db) {
      Map<String, java.util.Set<String>> tables = new LinkedHashMap<>();
      try (Statement s = db.createStatement();
           ResultSet rs = s.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table'")) {
        while (rs.next()) {
          tables.put(rs.getString(1), new java.util.LinkedHashSet<>());
        }
      } catch (SQLException e) {
        throw ImportSource.refuse("file", "not a readable SQLite database (" + e.getMessage() + ")");
      }
      for (Map.Entry<String, java.util.Set<String>> t : tables.entrySet()) {
        try (Statement s = db.createStatement();
             ResultSet rs = s.executeQuery("SELECT name FROM pragma_table_info('" + t.getKey().replace("'", "''") + "')")) {
          while (rs.next()) {
            t.getValue().add(rs.getString(1));
          }
        } catch (SQLException e) {
          throw ImportSource.refuse("table " + t.getKey(), "unreadable (" + e.getMessage() + ")");
        }
      }
      if (!tables.containsKey(PyritSqlite.VERSION_TABLE)) {
        throw ImportSource.refuse("table " + PyritSqlite.VERSION_TABLE, "missing: not a PyRIT 1.x memory (a PyRIT 0.x or "
            + "ViolentUTF DuckDB file is merged with 'memory consolidate')");
      }
      String revision;
      try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("SELECT version_num FROM " + PyritSqlite.VERSION_TABLE)) {
        if (!rs.next()) {
          throw ImportSource.refuse("table " + PyritSqlite.VERSION_TABLE, "empty: the memory records no schema version");
        }
        revision = rs.getString(1);
      } catch (SQLException e) {
        throw ImportSource.refuse("table " + PyritSqlite.VERSION_TABLE, "unreadable (" + e.getMessage() + ")");
      }
      for (String required : new String[] {"PromptMemoryEntries", "ScoreEntries"}) {
        if (!tables.containsKey(required)) {
          throw ImportSource.refuse("table " + required, "missing: not a PyRIT 1.x memory");
        }
      }
      for (String column : new String[] {"id", "role", "conversation_id", "sequence", "timestamp", "original_value_data_type",
          "original_value", "converted_value_data_type", "original_prompt_id"}) {
        if (!tables.get("PromptMemoryEntries").contains(column)) {
          throw ImportSource.refuse("table PromptMemoryEntries", "has no column '" + column + "'");
        }
      }
      return new PyritFile(tables, revision, PyritSqlite.ofRevision(revision).orElse(null));
    }
  }

  /** A refusal for a value of a row, naming the table, the row's id and the column. */
  static Problem badValue(String table, Object rowId, String column, String why) {
    return ImportSource.refuse("table " + table, "row " + rowId + ", column " + column + ": " + why);
  }

  static Outcome outcomeOf(String pyritOutcome) {
    return switch (pyritOutcome == null ? "" : pyritOutcome.toLowerCase(java.util.Locale.ROOT)) {
      case "success" -> Outcome.ATTACK_SUCCEEDED;
      case "failure" -> Outcome.HELD;
      case "error" -> Outcome.ERROR;
      default -> Outcome.UNSCORED;
    };
  }

  static JsonObject parseObject(String table, Object rowId, String column, String text) {
    if (text == null || text.isBlank() || text.equals("null")) {
      return null;
    }
    if (text.equals("{}")) {
      return new JsonObject(); // PyRIT's usual empty metadata: no parser for it
    }
    try {
      return new JsonObject(text);
    } catch (RuntimeException e) {
      throw badValue(table, rowId, column, "not a JSON object");
    }
  }
}
