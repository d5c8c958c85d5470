package dev.gauntlet.appdb;

import dev.gauntlet.Problem;
import dev.gauntlet.testing.AppDbBackend;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Pool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(VertxExtension.class)
class AppDatabaseTest {

  private static final String HASH = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g";

  @TempDir
  Path dir;

  private Path file;
  private AppDatabase db;

  /** The database these tests run on; {@link AppDatabaseOnPostgresTest} runs them all on PostgreSQL. */
  AppDbBackend backend() {
    return AppDbBackend.SQLITE;
  }

  @BeforeEach
  void open() {
    file = dir.resolve("gauntlet.db");
    db = backend().open(file);
  }

  @AfterEach
  void close() {
    db.close();
  }

  private static <T> T await(Future<T> f) {
    try {
      return f.await(30, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("no result in time", e);
    }
  }

  /** A connection of its own, outside the app's pool: it sees only what was committed. */
  private Connection outsider() throws SQLException {
    return backend().connect(file);
  }

  private long count(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  void migrationsBringSchemaToLatestVersion() throws SQLException {
    int latest = AppSchema.MIGRATIONS.get(AppSchema.MIGRATIONS.size() - 1).version();
    assertEquals(latest, db.schemaVersion());
    try (Connection c = outsider()) {
      assertEquals(latest, count(c, "SELECT max(version) FROM schema_version"));
      for (String table : List.of("settings", "users", "local_accounts", "api_keys", "audit_log", "memory_switch_events")) {
        assertEquals(0, count(c, "SELECT count(*) FROM " + table), table + " exists, empty");
      }
    }
  }

  @Test
  void reopeningAppliesNoMigrationTwiceAndKeepsData() throws SQLException {
    db.putSetting("k", "v");
    db.close();
    db = backend().open(file);
    assertEquals(AppSchema.MIGRATIONS.size(), (int) count(db.connection(), "SELECT count(*) FROM schema_version"));
    assertEquals("v", db.setting("k").orElseThrow());
  }

  @Test
  void aTransactionStillGetsAConnectionWhileTheAsyncPoolHoldsAllOfItsOwn(Vertx vertx) throws SQLException {
    Pool pool = db.pool(vertx);
    List<io.vertx.sqlclient.SqlConnection> held = new java.util.ArrayList<>();
    for (int i = 0; i < 8; i++) {
      held.add(await(pool.getConnection()));
    }
    try {
      assertEquals("kept", db.inTransaction(c -> {
        try (Statement s = c.createStatement()) {
          s.executeUpdate("INSERT INTO settings (key, value, updated_at) VALUES ('while-busy', 'kept', 'now')");
        }
        return "kept";
      }));
      assertEquals("kept", db.setting("while-busy").orElseThrow());
    } finally {
      held.forEach(c -> await(c.close()));
    }
  }

  @Test
  void settingsAreUpserted() {
    assertTrue(db.setting("k").isEmpty());
    db.putSetting("k", "one");
    db.putSetting("k", "two");
    assertEquals("two", db.setting("k").orElseThrow());
  }

  @Test
  void databaseRunsInWalMode() throws SQLException {
    org.junit.jupiter.api.Assumptions.assumeTrue(backend() == AppDbBackend.SQLITE, "a SQLite setting");
    try (Connection c = db.connection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA journal_mode")) {
      rs.next();
      assertEquals("wal", rs.getString(1).toLowerCase());
    }
  }

  @Test
  void auditLogRejectsUpdateAndDelete(Vertx vertx) throws SQLException {
    AuditLog audit = new AuditLog(db.pool(vertx));
    await(audit.record(new AuditLog.Entry("alice", "generators.create", "generators/1", "ok", 201, "127.0.0.1", "test", null)));
    try (Connection c = outsider(); Statement s = c.createStatement()) {
      SQLException update = assertThrows(SQLException.class, () -> s.executeUpdate("UPDATE audit_log SET outcome = 'denied'"));
      assertTrue(update.getMessage().contains("append-only"), update.getMessage());
      SQLException delete = assertThrows(SQLException.class, () -> s.executeUpdate("DELETE FROM audit_log"));
      assertTrue(delete.getMessage().contains("append-only"), delete.getMessage());
      try (ResultSet rs = s.executeQuery("SELECT count(*), max(outcome) FROM audit_log")) {
        rs.next();
        assertEquals(1, rs.getLong(1));
        assertEquals("ok", rs.getString(2));
      }
    }
  }

  @Test
  void auditLogListsNewestFirstFilteredByEveryField(Vertx vertx) throws InterruptedException {
    AuditLog audit = new AuditLog(db.pool(vertx));
    await(audit.record(new AuditLog.Entry("alice", "generators.create", "g/1", "success", 201, null, null, null)));
    await(audit.record(new AuditLog.Entry("bob", "generators.delete", "g/2", "refused", 404, null, null, null)));
    Thread.sleep(5);
    java.time.Instant between = java.time.Instant.now();
    Thread.sleep(5);
    await(audit.record(new AuditLog.Entry("alice", "keys.create", "k/1", "success", 201, null, null, null)));
    var all = await(audit.list(AuditLog.Filter.ANY, 0, 10));
    assertEquals(3L, all.getLong("total"));
    assertEquals("keys.create", all.getJsonArray("items").getJsonObject(0).getString("action"));
    assertEquals(2L, await(audit.list(new AuditLog.Filter("alice", null, null, null, null, null), 0, 10)).getLong("total"));
    assertEquals(2L, await(audit.list(new AuditLog.Filter(null, "generators.", null, null, null, null), 0, 10)).getLong("total"));
    assertEquals(1L, await(audit.list(new AuditLog.Filter("alice", "generators", null, null, null, null), 0, 10)).getLong("total"));
    assertEquals(0L, await(audit.list(new AuditLog.Filter(null, "generators_", null, null, null, null), 0, 10)).getLong("total"),
        "_ in a prefix is literal, not a wildcard");
    assertEquals(0L, await(audit.list(new AuditLog.Filter(null, "%", null, null, null, null), 0, 10)).getLong("total"));
    assertEquals(1L, await(audit.list(new AuditLog.Filter(null, null, "g/2", null, null, null), 0, 10)).getLong("total"));
    assertEquals("bob", await(audit.list(new AuditLog.Filter(null, null, null, "refused", null, null), 0, 10))
        .getJsonArray("items").getJsonObject(0).getString("actor"));
    assertEquals(1L, await(audit.list(new AuditLog.Filter(null, null, null, null, between, null), 0, 10)).getLong("total"));
    assertEquals(2L, await(audit.list(new AuditLog.Filter(null, null, null, null, null, between), 0, 10)).getLong("total"));
    var page = await(audit.list(AuditLog.Filter.ANY, 1, 1));
    assertEquals("generators.delete", page.getJsonArray("items").getJsonObject(0).getString("action"), "offset 1 is the second newest");
    assertEquals(3L, page.getLong("total"));
  }

  @Test
  void auditOutcomesNameRefusals() {
    assertEquals("success", AuditLog.outcomeOf(201));
    for (int status : new int[] {401, 403, 404, 429}) {
      assertEquals("refused", AuditLog.outcomeOf(status));
    }
    assertEquals("failed", AuditLog.outcomeOf(400));
    assertEquals("failed", AuditLog.outcomeOf(500));
  }

  /**
   * Regression: vertx-jdbc-client 5.0.10's withTransaction left its pooled connection in
   * manual-commit mode, so writes after a user was created were acknowledged but never
   * committed. Every acknowledged write must be visible to an unrelated connection.
   */
  @Test
  void writesAfterCreatingAUserAreCommittedForOtherConnections(Vertx vertx) throws SQLException {
    Pool pool = db.pool(vertx);
    Users users = new Users(vertx, db, pool);
    AuditLog audit = new AuditLog(pool);
    UserRecord alice = await(users.createLocal("alice", HASH, List.of("user"), "pyrit_memory_alice.db"));
    int auditRows = 12;
    for (int i = 0; i < auditRows; i++) {
      await(audit.record(new AuditLog.Entry("alice", "test.write", "r/" + i, "ok", 200, null, null, null)));
    }
    await(users.recordLogin(alice.id()));
    UserRecord bob = await(users.createLocal("bob", HASH, List.of("user"), "pyrit_memory_bob.db"));
    await(users.changeDisplayName(bob.id(), "Bob B."));
    await(new ApiKeys(pool).create("key-1", alice.id(), "ci", "gk_12345678", "hash-1", List.of("read"), null));

    try (Connection c = outsider()) {
      assertEquals(2, count(c, "SELECT count(*) FROM users"));
      assertEquals(2, count(c, "SELECT count(*) FROM local_accounts"));
      assertEquals(auditRows, count(c, "SELECT count(*) FROM audit_log"));
      assertEquals(1, count(c, "SELECT count(*) FROM users WHERE username = 'alice' AND last_login_at IS NOT NULL"));
      assertEquals(1, count(c, "SELECT count(*) FROM users WHERE username = 'bob' AND display_name = 'Bob B.'"));
      assertEquals(1, count(c, "SELECT count(*) FROM api_keys"));
    }
  }

  @Test
  void failedUserCreationIsAConflictAndLaterWritesStillCommit(Vertx vertx) throws SQLException {
    Pool pool = db.pool(vertx);
    Users users = new Users(vertx, db, pool);
    await(users.createLocal("alice", HASH, List.of("user"), "pyrit_memory_alice.db"));
    Problem p = assertThrows(Problem.class,
        () -> await(users.createLocal("ALICE", HASH, List.of("user"), "pyrit_memory_other.db")));
    assertEquals(409, p.status(), "logins are unique regardless of case");
    assertEquals("user_exists", p.code());
    for (int i = 0; i < 10; i++) {
      await(new AuditLog(pool).record(new AuditLog.Entry("alice", "after.conflict", null, "ok", 200, null, null, null)));
    }
    try (Connection c = outsider()) {
      assertEquals(1, count(c, "SELECT count(*) FROM users"), "the failed user's row was rolled back");
      assertEquals(10, count(c, "SELECT count(*) FROM audit_log"));
    }
  }

  @Test
  void createdUserIsReadBackWithFrozenUsernameAndMemoryFile(Vertx vertx) {
    Users users = new Users(vertx, db, db.pool(vertx));
    UserRecord created = await(users.createLocal("alice", HASH, List.of("user", "admin"), "pyrit_memory_alice.db"));
    assertEquals("alice", created.username());
    assertEquals("alice", created.login());
    assertEquals(Users.LOCAL_ISSUER, created.issuer());
    assertEquals("pyrit_memory_alice.db", created.memoryFile());
    assertTrue(created.isAdmin());
    await(users.changeLogin(created.id(), "alice2"));
    UserRecord renamed = await(users.byLogin("alice2")).orElseThrow();
    assertEquals("alice", renamed.username(), "changing the login does not change the username");
    assertEquals("pyrit_memory_alice.db", renamed.memoryFile());
    assertTrue(await(users.byLogin("alice")).isEmpty());
  }

  @Test
  void theLastEnabledAdminKeepsTheRoleWhileAnotherAdminMayLoseIt(Vertx vertx) {
    Users users = new Users(vertx, db, db.pool(vertx));
    UserRecord root = await(users.createLocal("root", HASH, List.of("admin", "user"), "pyrit_memory_root.db"));
    UserRecord alice = await(users.createLocal("alice", HASH, List.of("user"), "pyrit_memory_alice.db"));
    Problem last = assertThrows(Problem.class, () -> await(users.changeRoles(root.id(), List.of("user"))));
    assertEquals("last_admin", last.code());
    await(users.changeRoles(alice.id(), List.of("admin", "user")));
    assertTrue(await(users.isAdmin("alice")));
    await(users.changeRoles(root.id(), List.of("user")));
    assertEquals(List.of("user"), await(users.byId(root.id())).orElseThrow().roles(), "another enabled admin remains: alice");
    assertEquals("last_admin", assertThrows(Problem.class, () -> await(users.setDisabled(alice.id(), true))).code());
  }

  @Test
  void failedTransactionRollsBackAndRestoresAutoCommit(Vertx vertx) throws SQLException {
    Pool pool = db.pool(vertx);
    Future<Object> failed = db.inTransaction(vertx, c -> {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO settings VALUES ('partial', 'x', ?)")) {
        ps.setString(1, Instant.now().toString());
        ps.executeUpdate();
      }
      throw new SQLException("boom");
    });
    Exception e = assertThrows(Exception.class, () -> await(failed));
    assertEquals("boom", e.getMessage());
    for (int i = 0; i < 10; i++) {
      await(new AuditLog(pool).record(new AuditLog.Entry(null, "after.rollback", null, "ok", 200, null, null, null)));
    }
    try (Connection c = outsider()) {
      assertEquals(0, count(c, "SELECT count(*) FROM settings WHERE key = 'partial'"));
      assertEquals(10, count(c, "SELECT count(*) FROM audit_log"));
    }
    try (Connection c = db.connection()) {
      assertTrue(c.getAutoCommit(), "connections go back to the pool in autocommit mode");
    }
  }

  @Test
  void switchEventsAreCounted(Vertx vertx) throws Exception {
    SwitchEventLog log = new SwitchEventLog(db.pool(vertx));
    assertEquals(0L, await(log.count()));
    log.record("alice", "pyrit_memory_a.db", "/data/memory/pyrit_memory_b.db", "test");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (await(log.count()) == 0 && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertEquals(1L, await(log.count()));
    try (Connection c = outsider(); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT username, registered_file, attempted_file FROM memory_switch_events")) {
      assertTrue(rs.next());
      assertEquals("alice", rs.getString(1));
      assertNotNull(rs.getString(3));
    }
  }
}
