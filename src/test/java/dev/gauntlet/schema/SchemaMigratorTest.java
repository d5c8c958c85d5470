package dev.gauntlet.schema;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The one migration loop, on both stores' databases: a migration that fails midway is undone
 * whole and the file stays at the previous version, with its rows; once the migration is fixed
 * the next start carries on from there.
 */
class SchemaMigratorTest {

  @TempDir
  Path dir;

  static final Migration NOTES = new Migration(1, "notes", List.of(
      "CREATE TABLE notes (id INTEGER PRIMARY KEY, text VARCHAR NOT NULL)"));
  static final Migration BROKEN_TAGS = new Migration(2, "tags", List.of(
      "CREATE TABLE tags (id INTEGER PRIMARY KEY, note_id INTEGER NOT NULL)",
      "ALTER TABLE notes ADD COLUMN tag_count INTEGER",
      "INSERT INTO no_such_table VALUES (1)"));
  static final Migration TAGS = new Migration(2, "tags", List.of(
      "CREATE TABLE tags (id INTEGER PRIMARY KEY, note_id INTEGER NOT NULL)",
      "ALTER TABLE notes ADD COLUMN tag_count INTEGER"));

  Connection open(SchemaMigrator.VersionTable table) throws SQLException {
    Path file = dir.resolve(table == SchemaMigrator.VersionTable.SQLITE ? "app.db" : "memory.db");
    return DriverManager.getConnection((table == SchemaMigrator.VersionTable.SQLITE ? "jdbc:sqlite:" : "jdbc:duckdb:") + file);
  }

  @ParameterizedTest
  @EnumSource(SchemaMigrator.VersionTable.class)
  void aMigrationFailingMidwayLeavesThePreviousVersionAndItsRows(SchemaMigrator.VersionTable table) throws SQLException {
    try (Connection c = open(table)) {
      new SchemaMigrator("test store", table, List.of(NOTES)).migrate(c);
      try (Statement s = c.createStatement()) {
        s.execute("INSERT INTO notes VALUES (1, 'kept')");
      }

      SQLException failed = assertThrows(SQLException.class,
          () -> new SchemaMigrator("test store", table, List.of(NOTES, BROKEN_TAGS)).migrate(c));
      assertTrue(failed.getMessage().startsWith("test store migration 2 (tags) failed: "), failed.getMessage());
      assertEquals(1, SchemaMigrator.currentVersion(c), "the file stays at the version before the failure");
      assertEquals(List.of("1"), column(c, "SELECT version FROM schema_version"));
      assertThrows(SQLException.class, () -> column(c, "SELECT count(*) FROM tags"), "the failed migration's first statements are undone too");
      assertThrows(SQLException.class, () -> column(c, "SELECT tag_count FROM notes"));
      assertEquals(List.of("kept"), column(c, "SELECT text FROM notes"));
      assertTrue(c.getAutoCommit(), "the connection is left in auto-commit as it was");

      SchemaMigrator fixed = new SchemaMigrator("test store", table, List.of(NOTES, TAGS));
      fixed.migrate(c);
      assertEquals(2, SchemaMigrator.currentVersion(c));
      assertEquals(fixed.latestVersion(), SchemaMigrator.currentVersion(c));
      assertEquals(List.of("1", "2"), column(c, "SELECT version FROM schema_version ORDER BY version"));
      assertEquals(List.of("kept"), column(c, "SELECT text FROM notes WHERE tag_count IS NULL"));
    }
  }

  @ParameterizedTest
  @EnumSource(SchemaMigrator.VersionTable.class)
  void eachVersionIsAppliedAndRecordedOnce(SchemaMigrator.VersionTable table) throws SQLException {
    SchemaMigrator migrator = new SchemaMigrator("test store", table, List.of(NOTES, TAGS));
    try (Connection c = open(table)) {
      migrator.migrate(c);
      migrator.migrate(c);
      assertEquals(List.of("1 notes", "2 tags"), column(c, "SELECT version || ' ' || description FROM schema_version ORDER BY version"));
    }
  }

  private static List<String> column(Connection c, String sql) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }
}
