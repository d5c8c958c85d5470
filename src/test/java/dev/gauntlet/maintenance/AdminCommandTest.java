package dev.gauntlet.maintenance;

import dev.gauntlet.appdb.AppDatabase;
import dev.gauntlet.appdb.Users;
import dev.gauntlet.auth.Passwords;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Recovering an installation offline: a new password for a locked-out admin, the admin role back. */
class AdminCommandTest {

  @TempDir
  Path tmp;
  Path data;
  String out;
  String err;

  @BeforeEach
  void setUp() throws Exception {
    data = tmp.resolve("data");
    try (AppDatabase db = AppDatabase.open(data.resolve("gauntlet.db"))) {
      db.inTransaction(c -> Users.insertLocal(c, "root", Passwords.hash("forgotten-password"), List.of("user"), "pyrit_memory_r.db"));
      db.inTransaction(c -> {
        try (PreparedStatement p = c.prepareStatement("UPDATE local_accounts SET failed_attempts = 5, locked_until = '2999-01-01T00:00:00Z'")) {
          return p.executeUpdate();
        }
      });
    }
  }

  int run(String... args) {
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    int code = AdminCommand.run(args, Map.of("GAUNTLET_DATA_DIR", data.toString()), new PrintStream(o, true, StandardCharsets.UTF_8),
        new PrintStream(e, true, StandardCharsets.UTF_8));
    out = o.toString(StandardCharsets.UTF_8);
    err = e.toString(StandardCharsets.UTF_8);
    return code;
  }

  String column(String sql) throws Exception {
    try (AppDatabase db = AppDatabase.open(data.resolve("gauntlet.db"))) {
      return db.inTransaction(c -> {
        try (PreparedStatement p = c.prepareStatement(sql); ResultSet rs = p.executeQuery()) {
          rs.next();
          return rs.getString(1);
        }
      });
    }
  }

  @Test
  void aNewPasswordIsPrintedOnceStoredHashedAndEndsTheLockOut() throws Exception {
    assertEquals(AdminCommand.OK, run("reset-password", "root"), err);
    String password = out.substring(out.lastIndexOf(": ") + 2).strip();
    assertTrue(password.length() >= 16, out);
    String hash = column("SELECT password_hash FROM local_accounts");
    assertTrue(Passwords.verify(password, hash), "the printed password signs in");
    assertFalse(Passwords.verify("forgotten-password", hash), "the old one no longer does");
    assertFalse(hash.contains(password), "only its hash is stored");
    assertEquals(null, column("SELECT locked_until FROM local_accounts"), "the lock-out ended");
  }

  @Test
  void grantGivesTheAdminRoleBackAndUnknownUsersAreNamed() throws Exception {
    assertEquals(AdminCommand.OK, run("grant", "root", "admin"), err);
    assertEquals("[\"user\",\"admin\"]", column("SELECT roles FROM users"));
    assertEquals(AdminCommand.OK, run("grant", "root", "admin"), "granting twice changes nothing");
    assertEquals("[\"user\",\"admin\"]", column("SELECT roles FROM users"));
    assertEquals(AdminCommand.FAILED, run("grant", "nobody", "admin"));
    assertTrue(err.contains("no user named 'nobody'"), err);
    assertEquals(AdminCommand.USAGE, run("grant", "root", "superuser"));
  }
}
