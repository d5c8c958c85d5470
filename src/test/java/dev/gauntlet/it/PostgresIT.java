package dev.gauntlet.it;

import dev.gauntlet.testing.PostgresServer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real jar with its app database on a real PostgreSQL server ({@code GAUNTLET_APPDB_URL}):
 * two processes started at once on one empty database settle one admin and one memory salt, a
 * user signs in on either, a key made on one works on the other, and the audit rows land in
 * PostgreSQL, not in a SQLite file.
 */
class PostgresIT {

  @TempDir
  Path tmp;

  @Test
  void twoProcessesShareOneEmptyPostgresDatabaseFromTheirFirstStart() throws Exception {
    PostgresServer pg = PostgresServer.shared();
    String url = pg.database("postgres_it");
    Files.createDirectories(tmp.resolve("a"));
    Files.createDirectories(tmp.resolve("b"));
    try (GauntletProcess a = new GauntletProcess(tmp.resolve("a").resolve("data"), pg.env(url));
         GauntletProcess b = new GauntletProcess(tmp.resolve("b").resolve("data"), pg.env(url))) {
      // started together: migrations, the first admin and the salt are settled under one lock
      Thread starter = new Thread(() -> {
        try {
          b.start();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      starter.start();
      a.start();
      starter.join();

      String alice = a.newUser(a.adminToken(), "alice");
      String file = a.get("/api/v1/database/status", alice).json().getString("file");
      String aliceOnB = b.token("alice", "alice-password");
      assertEquals(file, b.get("/api/v1/database/status", aliceOnB).json().getString("file"),
          "both processes name alice's memory with the same salt");

      GauntletProcess.Response key = a.post("/api/v1/keys", alice, new JsonObject().put("name", "ci"));
      assertEquals(201, key.status(), key.text());
      GauntletProcess.Response me = b.get("/api/v1/auth/me", key.json().getString("key"));
      assertEquals(200, me.status(), "a key made on one process works on the other: " + me.text());
      assertEquals("alice", me.json().getString("username"));

      try (Connection c = pg.connect(url); Statement s = c.createStatement()) {
        assertEquals(1, count(s, "SELECT count(*) FROM users WHERE username = 'admin'"), "one first admin");
        assertEquals(1, count(s, "SELECT count(*) FROM settings WHERE key = 'memory.salt.generated'"));
        assertEquals(1, count(s, "SELECT count(*) FROM api_keys"));
        assertTrue(count(s, "SELECT count(*) FROM audit_log WHERE actor = 'alice' AND action = 'POST /api/v1/keys'") >= 1,
            "the key's creation is audited in PostgreSQL");
        assertTrue(count(s, "SELECT count(*) FROM audit_log WHERE actor = 'admin' AND action = 'POST /api/v1/admin/users'") >= 1);
      }
      assertFalse(Files.exists(a.dataDir.resolve("gauntlet.db")), "no SQLite app database beside PostgreSQL's");
      assertEquals(0, a.stop());
      assertEquals(0, b.stop());
    }
  }

  private static long count(Statement s, String sql) throws Exception {
    try (ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
