package dev.gauntlet.auth;

import dev.gauntlet.testing.AppDbBackend;
import dev.gauntlet.Problem;
import dev.gauntlet.appdb.ApiKeys;
import dev.gauntlet.appdb.AppDatabase;
import dev.gauntlet.appdb.Users;
import dev.gauntlet.memory.MemoryPaths;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** Local sign-in lock-out over a real app database: five failures lock, and an ended lock starts the count again. */
@ExtendWith(VertxExtension.class)
class AccountLockoutTest {

  /** The app database these tests run on; {@link AccountLockoutOnPostgresTest} runs them all on PostgreSQL. */
  AppDbBackend backend() {
    return AppDbBackend.SQLITE;
  }

  private static final String PASSWORD = "the-right-password";

  @TempDir
  Path dir;

  private AppDatabase db;
  private Accounts accounts;

  @BeforeEach
  void setUp(Vertx vertx) throws Exception {
    db = backend().open(dir.resolve("gauntlet.db"));
    Users users = new Users(vertx, db, db.pool(vertx));
    Authenticator authenticator = new Authenticator(vertx, "a-token-secret-of-at-least-32-bytes!!", users, new ApiKeys(db.pool(vertx)), 60);
    accounts = new Accounts(vertx, users, new MemoryPaths(dir.resolve("memory"), "salt".getBytes(StandardCharsets.UTF_8)), authenticator);
    accounts.createLocal(new JsonObject().put("username", "alice").put("password", PASSWORD).put("roles", new JsonArray().add("user")))
        .await(30, TimeUnit.SECONDS);
  }

  @AfterEach
  void tearDown() {
    db.close();
  }

  private int status(String password) {
    Future<JsonObject> f = accounts.signIn("alice", password);
    try {
      assertNotNull(f.await(30, TimeUnit.SECONDS).getString("access_token"));
      return 200;
    } catch (Problem p) {
      return p.status();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void fiveFailuresLockTheAccountAndAnEndedLockStartsCountingAgain() throws Exception {
    for (int i = 0; i < Accounts.MAX_FAILURES; i++) {
      assertEquals(401, status("wrong-" + i));
    }
    assertEquals(429, status(PASSWORD), "locked, even with the right password");

    // the lock runs out
    db.inTransaction(c -> {
      try (PreparedStatement ps = c.prepareStatement("UPDATE local_accounts SET locked_until = '2000-01-01T00:00:00Z'")) {
        return ps.executeUpdate();
      }
    });
    assertEquals(401, status("one-more-mistake"));
    assertEquals(200, status(PASSWORD), "one mistake after a lock ended does not lock again");

    // and the count is back to five
    for (int i = 0; i < Accounts.MAX_FAILURES - 1; i++) {
      assertEquals(401, status("wrong-again-" + i));
    }
    assertEquals(200, status(PASSWORD));
  }
}
