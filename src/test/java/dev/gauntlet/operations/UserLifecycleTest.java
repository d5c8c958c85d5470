package dev.gauntlet.operations;

import dev.gauntlet.Problem;
import dev.gauntlet.appdb.ApiKeys;
import dev.gauntlet.appdb.Users;
import dev.gauntlet.auth.Accounts;
import dev.gauntlet.auth.Authenticator;
import dev.gauntlet.auth.Caller;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Disabling and deleting users, through the operations on the real app database and memory
 * shards: what stops at once, what is refused, and where a deleted user's memory goes.
 */
class UserLifecycleTest extends OperationsFixture {

  Caller root;
  Users users;
  Authenticator authenticator;

  @BeforeEach
  void admins() {
    var pool = db.pool(vertx);
    users = new Users(vertx, db, pool);
    authenticator = new Authenticator(vertx, "a-test-token-secret-of-enough-length-0123456789", users, new ApiKeys(pool), 3600);
    root = new Caller("id-root", "root", paths.fileName("root"), List.of("admin", "user"),
        Set.of(Caller.READ, Caller.WRITE, Caller.ADMIN), "test", null);
  }

  JsonObject create(String name, String... roles) {
    return run(root, "admin.users.create", new JsonObject().put("username", name).put("password", "a long password 1")
        .put("roles", new JsonArray(List.of(roles))));
  }

  Caller signedIn(String id) {
    return await(authenticator.bySession(id));
  }

  static Problem failure(Future<?> f) {
    try {
      f.await(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      if (f.cause() instanceof Problem p) {
        return p;
      }
      fail("failed with something other than a caller's error: " + f.cause());
    }
    fail("was not refused");
    return null;
  }

  @Test
  void disabledUsersTokenKeyAndSessionAreRefusedFromTheNextRequestAndComeBackWhenEnabled() {
    String id = create("carol", "user").getString("id");
    String token = await(new Accounts(vertx, users, paths, authenticator).signIn("carol", "a long password 1")).getString("access_token");
    Authenticator.NewKey key = Authenticator.newKey();
    await(authenticator.keys().create(key.id(), id, "ci", key.prefix(), key.hash(), List.of("read"), null));
    assertEquals("carol", await(authenticator.authenticate(token, "127.0.0.1")).username());
    assertEquals("carol", await(authenticator.authenticate(key.key(), "127.0.0.1")).username());

    JsonObject disabled = run(root, "admin.users.disable", new JsonObject().put("id", id));

    assertTrue(disabled.getBoolean("disabled"));
    assertEquals(401, failure(authenticator.authenticate(token, "127.0.0.1")).status());
    assertEquals(401, failure(authenticator.authenticate(key.key(), "127.0.0.1")).status());
    assertEquals(401, failure(authenticator.bySession(id)).status());
    assertEquals(401, failure(new Accounts(vertx, users, paths, authenticator).signIn("carol", "a long password 1")).status());

    run(root, "admin.users.enable", new JsonObject().put("id", id));
    assertEquals("carol", await(authenticator.authenticate(key.key(), "127.0.0.1")).username());
  }

  @Test
  void theLastEnabledAdminCanBeNeitherDisabledNorDeleted() {
    String first = create("first", "admin", "user").getString("id");
    String other = create("other", "user").getString("id");
    // the fixture's root caller is not in the database: "first" is the only admin there
    assertEquals("last_admin", refusal(root, "admin.users.disable", new JsonObject().put("id", first)).code());
    assertEquals("last_admin", refusal(root, "admin.users.delete", new JsonObject().put("id", first)).code());
    assertFalse(await(users.byId(first)).orElseThrow().disabled());

    String second = create("second", "admin").getString("id");
    run(root, "admin.users.disable", new JsonObject().put("id", first));
    // a disabled admin does not count: "second" is now the last enabled one
    Problem p = refusal(root, "admin.users.disable", new JsonObject().put("id", second));
    assertEquals(409, p.status());
    assertEquals("last_admin", p.code());
    assertEquals("last_admin", refusal(root, "admin.users.delete", new JsonObject().put("id", second)).code());
    assertEquals("last_admin", refusal(root, "admin.users.update", new JsonObject().put("id", second)
        .put("roles", new JsonArray().add("user"))).code(), "a disabled admin does not let the last enabled one lose the role");
    run(root, "admin.users.disable", new JsonObject().put("id", other));
    assertEquals("not_found", refusal(root, "admin.users.disable", new JsonObject().put("id", "no-such-user")).code());
  }

  @Test
  void deletedUsersMemoryIsMovedToTheArchiveAndANewUserOfTheSameNameStartsEmpty() throws Exception {
    create("keeper", "admin", "user");
    String id = create("dave", "user").getString("id");
    Caller dave = signedIn(id);
    run(dave, "generators.create", value("target", "simulated", new JsonObject().put("mode", "comply")));
    Authenticator.NewKey key = Authenticator.newKey();
    await(authenticator.keys().create(key.id(), id, "ci", key.prefix(), key.hash(), List.of("read"), null));
    Path file = paths.fileFor("dave");
    assertTrue(Files.exists(file));

    JsonObject deleted = run(root, "admin.users.delete", new JsonObject().put("id", id));

    assertFalse(Files.exists(file), "the memory left the memory folder");
    Path archive = Path.of(deleted.getString("archive"));
    assertEquals(paths.dir().resolveSibling("archive"), archive.getParent());
    assertTrue(archive.getFileName().toString().startsWith("dave-"));
    assertTrue(Files.size(archive.resolve(file.getFileName())) > 0, "the archived memory is the whole file");
    assertTrue(await(users.byId(id)).isEmpty());
    assertEquals(401, failure(authenticator.authenticate(key.key(), "127.0.0.1")).status());
    JsonObject health = run(root, "admin.memory.health", new JsonObject());
    assertEquals(archive.getFileName().toString(), health.getJsonArray("archived").getJsonObject(0).getString("dir"));
    assertEquals(file.getFileName().toString(),
        health.getJsonArray("archived").getJsonObject(0).getJsonArray("files").getJsonObject(0).getString("name"));
    assertTrue(health.getJsonArray("orphans").isEmpty());

    Caller newDave = signedIn(create("dave", "user").getString("id"));
    assertEquals(0, run(newDave, "generators.list", new JsonObject()).getJsonArray("items").size(),
        "the new dave does not open the old dave's memory");
    assertTrue(Files.exists(archive.resolve(file.getFileName())), "the archive is untouched");
  }

  @Test
  void aGeneratedFirstAdminPasswordMustBeReplacedBeforeAnythingElseAndItsFileThenGoes() throws Exception {
    Path data = dir.resolve("data");
    String generated = Accounts.bootstrapAdmin(db, paths, null, data);
    Path file = data.resolve(Accounts.INITIAL_PASSWORD_FILE);
    assertTrue(Files.exists(file));
    accounts.withInitialPasswordFile(file);
    String token = await(accounts.signIn("admin", generated)).getString("access_token");
    Caller admin = await(authenticator.authenticate(token, "127.0.0.1"));

    Problem refused = refusal(admin, "generators.list", new JsonObject());
    assertEquals(403, refused.status());
    assertEquals("password_change_required", refused.code());
    assertTrue(refused.getMessage().contains("auth.change_password"), refused.getMessage());
    assertEquals("password_change_required", refusal(admin, "admin.users.list", new JsonObject()).code());
    assertTrue(run(admin, "auth.me", new JsonObject()).getBoolean("must_change_password"));
    assertEquals("wrong_password", refusal(admin, "auth.change_password", new JsonObject()
        .put("current_password", "not it at all").put("new_password", "my own password 1")).code());
    assertEquals("same_password", refusal(admin, "auth.change_password", new JsonObject()
        .put("current_password", generated).put("new_password", generated)).code());
    assertTrue(Files.exists(file), "a refused change leaves the file");

    run(admin, "auth.change_password", new JsonObject().put("current_password", generated).put("new_password", "my own password 1"));

    assertFalse(Files.exists(file), "the generated password's file is removed");
    Caller after = await(authenticator.authenticate(token, "127.0.0.1"));
    assertFalse(after.mustChangePassword());
    assertEquals(0, run(after, "generators.list", new JsonObject()).getJsonArray("items").size());
    assertEquals(401, failure(accounts.signIn("admin", generated)).status());
    await(accounts.signIn("admin", "my own password 1"));
  }

  @Test
  void aConfiguredFirstAdminPasswordNeedsNoChange() {
    Accounts.bootstrapAdmin(db, paths, "configured password", dir.resolve("data"));
    assertFalse(await(users.byLogin("admin")).orElseThrow().mustChangePassword());
    assertFalse(Files.exists(dir.resolve("data").resolve(Accounts.INITIAL_PASSWORD_FILE)));
  }

  @Test
  void anOlderInstallationsInitialPasswordFileIsFlaggedWhileItStillWorksAndRemovedOnceItDoesNot() throws Exception {
    Path data = dir.resolve("data");
    String generated = Accounts.bootstrapAdmin(db, paths, null, data);
    String id = await(users.byLogin("admin")).orElseThrow().id();
    // as a version without the forced change left it: the file on disk, no flag
    try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + data.resolve("gauntlet.db"));
         var s = c.createStatement()) {
      s.executeUpdate("UPDATE local_accounts SET must_change_password = 0");
    }
    assertFalse(await(users.byId(id)).orElseThrow().mustChangePassword());

    Accounts.bootstrapAdmin(db, paths, null, data);

    assertTrue(await(users.byId(id)).orElseThrow().mustChangePassword(), "the still-valid generated password must be replaced");
    assertTrue(Files.exists(data.resolve(Accounts.INITIAL_PASSWORD_FILE)));
    await(users.changePassword(id, dev.gauntlet.auth.Passwords.hash("changed by an admin reset")));
    Files.writeString(data.resolve(Accounts.INITIAL_PASSWORD_FILE), generated + "\n");

    Accounts.bootstrapAdmin(db, paths, null, data);

    assertFalse(Files.exists(data.resolve(Accounts.INITIAL_PASSWORD_FILE)), "a file whose password opens nothing is removed");
    assertFalse(await(users.byId(id)).orElseThrow().mustChangePassword());
  }
}
