package dev.gauntlet.memory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** DuckDB never fetches or loads native extensions for a user's memory at run time. */
class NoExtensionsTest {

  @TempDir
  Path dir;

  @Test
  void everyMemoryConnectionHasExtensionAutoloadingOffAndAPlainConnectionIsRefused() throws Exception {
    UserMemory memory = UserMemory.open("alice", dir.resolve("m.db"), "64MB", 1);
    try (Statement s = memory.connectionForTest().createStatement(); ResultSet rs = s.executeQuery(
        "SELECT current_setting('autoinstall_known_extensions'), current_setting('autoload_known_extensions')")) {
      rs.next();
      assertFalse(rs.getBoolean(1), "no extension is installed from the network");
      assertFalse(rs.getBoolean(2), "no extension is loaded by itself");
    } finally {
      memory.close();
    }
    try (Connection plain = DriverManager.getConnection("jdbc:duckdb:")) {
      SQLException refused = assertThrows(SQLException.class, () -> UserMemory.requireNoExtensions(plain),
          "DuckDB's defaults would autoload: the check must catch a connection opened without Gauntlet's settings");
      assertTrue(refused.getMessage().contains("extensions"), refused.getMessage());
    }
  }
}
