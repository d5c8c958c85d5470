package dev.gauntlet.appdb;

import dev.gauntlet.testing.AppDbBackend;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Browser sessions in the real app database: kept across a reopen, stored by hash, gone when expired or the user is. */
@ExtendWith(VertxExtension.class)
class SessionsTest {

  /** The app database these tests run on; {@link SessionsOnPostgresTest} runs them all on PostgreSQL. */
  AppDbBackend backend() {
    return AppDbBackend.SQLITE;
  }

  private static final String HASH = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g";
  private static final String ID = "a-session-id-of-enough-random-characters-0123456789";

  @TempDir
  Path dir;

  private AppDatabase db;

  @BeforeEach
  void open() {
    db = backend().open(dir.resolve("gauntlet.db"));
  }

  @AfterEach
  void close() {
    db.close();
  }

  private static <T> T await(Future<T> f) {
    try {
      return f.await(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e.getMessage(), f.cause() != null ? f.cause() : e);
    }
  }

  private static Sessions.Stored signedIn(String userId, long secondsLeft) {
    Instant now = Instant.now();
    return new Sessions.Stored(userId, "csrf-token", null, now, now.plusSeconds(secondsLeft));
  }

  @Test
  void aSessionIsFoundAgainAfterTheDatabaseIsReopenedAndItsIdIsNowhereOnDisk(Vertx vertx) throws Exception {
    String user = await(new Users(vertx, db, db.pool(vertx)).createLocal("alice", HASH, List.of("user"), "a.db")).id();
    await(new Sessions(db.pool(vertx)).put(ID, signedIn(user, 3600)));
    db.close();

    db = backend().open(dir.resolve("gauntlet.db"));
    Sessions.Stored found = await(new Sessions(db.pool(vertx)).get(ID)).orElseThrow();

    assertEquals(user, found.userId());
    assertEquals("csrf-token", found.csrf());
    assertTrue(await(new Sessions(db.pool(vertx)).get(ID + "x")).isEmpty(), "another id finds nothing");
    db.close();
    for (Path f : List.of(dir.resolve("gauntlet.db"), dir.resolve("gauntlet.db-wal"))) {
      if (Files.exists(f)) {
        assertFalse(new String(Files.readAllBytes(f), java.nio.charset.StandardCharsets.ISO_8859_1).contains(ID), f + " holds the raw id");
      }
    }
    try (var c = backend().connect(dir.resolve("gauntlet.db")); var s = c.createStatement();
         var rs = s.executeQuery("SELECT id_hash FROM web_sessions")) {
      assertTrue(rs.next());
      assertFalse(rs.getString(1).contains(ID), "the table holds the id's hash only");
    }
    db = backend().open(dir.resolve("gauntlet.db"));
  }

  @Test
  void anExpiredSessionIsNotReturnedAndIsRemoved(Vertx vertx) {
    Sessions sessions = new Sessions(db.pool(vertx));
    Instant past = Instant.now().minusSeconds(10);
    await(sessions.put(ID, new Sessions.Stored(null, "t", null, past.minusSeconds(60), past)));
    await(sessions.put(ID + "-live", signedIn(null, 3600)));

    assertTrue(await(sessions.get(ID)).isEmpty());
    assertEquals(1, await(sessions.deleteExpired()));
    assertEquals(1, await(sessions.count()));
  }

  @Test
  void disablingOrDeletingAUserEndsTheirSessionsOnly(Vertx vertx) {
    Users users = new Users(vertx, db, db.pool(vertx));
    Sessions sessions = new Sessions(db.pool(vertx));
    String admin = await(users.createLocal("root", HASH, List.of("admin"), "r.db")).id();
    String alice = await(users.createLocal("alice", HASH, List.of("user"), "a.db")).id();
    String bob = await(users.createLocal("bob", HASH, List.of("user"), "b.db")).id();
    await(sessions.put("alice-" + ID, signedIn(alice, 3600)));
    await(sessions.put("bob-" + ID, signedIn(bob, 3600)));
    await(sessions.put("root-" + ID, signedIn(admin, 3600)));

    await(users.setDisabled(alice, true));
    await(users.delete(bob));

    assertTrue(await(sessions.get("alice-" + ID)).isEmpty());
    assertTrue(await(sessions.get("bob-" + ID)).isEmpty());
    assertEquals(admin, await(sessions.get("root-" + ID)).orElseThrow().userId());
  }
}
