package dev.gauntlet.schema;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.Supplier;

/**
 * Brings a database to the latest version of its store's migrations: reads the highest version
 * recorded in {@code schema_version}, then applies each newer migration in its own transaction
 * together with the row recording it. A migration that fails is rolled back whole, so the file
 * stays at the previous version and the next start tries again from there.
 */
public final class SchemaMigrator {

  /**
   * How a store's {@code schema_version} table is declared and stamped. Kept exactly as each
   * store first wrote it, so files made by earlier versions upgrade in place.
   */
  public enum VersionTable {
    /** The app database: text columns, {@code applied_at} an ISO-8601 instant. */
    SQLITE("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at TEXT NOT NULL)",
        () -> Instant.now().toString()),
    /** A user's memory: {@code applied_at} a UTC timestamp, readable by PyRIT's DuckDB too. */
    DUCKDB("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, description VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)",
        () -> LocalDateTime.now(ZoneOffset.UTC));

    private final String create;
    private final Supplier<Object> now;

    VersionTable(String create, Supplier<Object> now) {
      this.create = create;
      this.now = now;
    }
  }

  private final String store;
  private final VersionTable table;
  private final List<Migration> migrations;

  /**
   * @param store names the store in errors ("app database", "memory")
   * @param migrations the store's list, versions strictly increasing
   */
  public SchemaMigrator(String store, VersionTable table, List<Migration> migrations) {
    for (int i = 1; i < migrations.size(); i++) {
      if (migrations.get(i).version() <= migrations.get(i - 1).version()) {
        throw new IllegalArgumentException(store + " migrations out of order at version " + migrations.get(i).version());
      }
    }
    this.store = store;
    this.table = table;
    this.migrations = List.copyOf(migrations);
  }

  /** The version a fully migrated database records. */
  public int latestVersion() {
    return migrations.isEmpty() ? 0 : migrations.get(migrations.size() - 1).version();
  }

  /** The highest version recorded, 0 for none; the table must exist. */
  public static int currentVersion(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT coalesce(max(version), 0) FROM schema_version")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  /**
   * Applies every migration newer than the recorded version, in order. The connection's
   * auto-commit setting is restored afterwards.
   *
   * @throws SQLException naming the store, version and description of the migration that failed
   */
  public void migrate(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(table.create);
    }
    int current = currentVersion(c);
    boolean auto = c.getAutoCommit();
    for (Migration m : migrations) {
      if (m.version() <= current) {
        continue;
      }
      c.setAutoCommit(false);
      try (Statement s = c.createStatement()) {
        for (String sql : m.statements()) {
          s.execute(sql);
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO schema_version VALUES (?, ?, ?)")) {
          ps.setInt(1, m.version());
          ps.setString(2, m.description());
          ps.setObject(3, table.now.get());
          ps.executeUpdate();
        }
        c.commit();
      } catch (SQLException e) {
        try {
          c.rollback();
        } catch (SQLException r) {
          e.addSuppressed(r);
        }
        throw new SQLException(store + " migration " + m.version() + " (" + m.description() + ") failed: " + e.getMessage(), e);
      } finally {
        c.setAutoCommit(auto);
      }
    }
  }
}
