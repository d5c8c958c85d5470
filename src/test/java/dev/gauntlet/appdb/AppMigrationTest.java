package dev.gauntlet.appdb;

import dev.gauntlet.schema.Migration;
import dev.gauntlet.testing.AppDbBackend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An app database left by an earlier version opens upgraded in place: every later migration
 * applied once, in order, and every account, key, audit row, setting and switch event kept.
 * Built at every version before the latest, so it holds for migrations added later.
 */
class AppMigrationTest {

  @TempDir
  Path dir;

  /** The database these tests run on; {@link AppMigrationOnPostgresTest} runs them on PostgreSQL. */
  AppDbBackend backend() {
    return AppDbBackend.SQLITE;
  }

  private List<Migration> migrations() {
    return AppSchema.migrations(backend().dialect());
  }

  static int latest() {
    return AppSchema.MIGRATIONS.get(AppSchema.MIGRATIONS.size() - 1).version();
  }

  @Test
  void migrationsAreNumberedInOrderFromOne() {
    for (int i = 0; i < AppSchema.MIGRATIONS.size(); i++) {
      assertEquals(i + 1, AppSchema.MIGRATIONS.get(i).version(), "migration at position " + i);
    }
  }

  /** The file as version {@code version} left it, with rows in every table of version 1. */
  Path fileAt(int version) throws SQLException {
    Path file = dir.resolve("gauntlet-v" + version + ".db");
    try (Connection c = backend().connect(file); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at TEXT NOT NULL)");
      for (Migration m : migrations().subList(0, version)) {
        for (String sql : m.statements()) {
          s.execute(sql);
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO schema_version VALUES (?, ?, ?)")) {
          ps.setInt(1, m.version());
          ps.setString(2, m.description());
          ps.setString(3, Instant.now().toString());
          ps.executeUpdate();
        }
      }
      String now = Instant.now().toString();
      s.execute("INSERT INTO settings VALUES ('memory.salt.fingerprint', 'abc123', '" + now + "')");
      s.execute("INSERT INTO users VALUES ('u1', 'local', 'alice', 'alice', 'Alice', '[\"user\"]', 'pyrit_memory_"
          + "a".repeat(64) + ".db', '" + now + "', NULL, 0)");
      s.execute("INSERT INTO local_accounts (user_id, login, password_hash, failed_attempts, locked_until, password_changed_at) VALUES ('u1', 'alice', '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA', 0, NULL, '" + now + "')");
      s.execute("INSERT INTO api_keys VALUES ('k1', 'u1', 'ci', 'gk_abcd', 'hash-1', '[\"read\"]', '" + now + "', NULL, NULL, NULL, NULL)");
      s.execute("INSERT INTO audit_log (at, actor, action, resource, outcome, status) VALUES ('" + now
          + "', 'alice', 'generators.create', 'generators/g1', 'ok', 201)");
      s.execute("INSERT INTO memory_switch_events (at, username, registered_file, attempted_file, origin) VALUES ('" + now
          + "', 'alice', 'a.db', 'b.db', 'test')");
    }
    return file;
  }

  @Test
  void everyOlderAppDatabaseUpgradesInPlaceKeepingEveryRow() throws SQLException {
    for (int version = 1; version < latest(); version++) {
      Path file = fileAt(version);
      String at = "from version " + version;
      try (AppDatabase db = backend().open(file)) {
        assertEquals(latest(), db.schemaVersion(), at);
        assertEquals("abc123", db.setting("memory.salt.fingerprint").orElseThrow(), at);
        try (Connection c = db.connection()) {
          assertEquals(List.of("alice"), column(c, "SELECT username FROM users"), at);
          assertEquals(List.of("alice"), column(c, "SELECT login FROM local_accounts"), at);
          assertEquals(List.of("gk_abcd"), column(c, "SELECT prefix FROM api_keys"), at);
          assertEquals(List.of("generators.create"), column(c, "SELECT action FROM audit_log"), at);
          assertEquals(List.of("b.db"), column(c, "SELECT attempted_file FROM memory_switch_events"), at);
          assertEquals(versions(), column(c, "SELECT version FROM schema_version ORDER BY version"), at);
          // what later versions added is there and works beside the old rows
          assertEquals(List.of("0"), column(c, "SELECT count(*) FROM execution_index"), at);
          try (Statement s = c.createStatement()) {
            assertThrows(SQLException.class, () -> s.executeUpdate("DELETE FROM audit_log"), at + ": the audit log stays append-only");
          }
        }
      }
      try (AppDatabase again = backend().open(file); Connection c = again.connection()) {
        assertEquals(versions(), column(c, "SELECT version FROM schema_version ORDER BY version"), at + ": reopening applies nothing twice");
        assertEquals(List.of("1"), column(c, "SELECT count(*) FROM users"), at);
      }
    }
    assertTrue(latest() >= 2, "there is an older version to upgrade from");
  }

  private static List<String> versions() {
    return AppSchema.MIGRATIONS.stream().map(m -> Integer.toString(m.version())).toList();
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
