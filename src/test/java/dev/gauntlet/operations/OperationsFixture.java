package dev.gauntlet.operations;

import dev.gauntlet.Problem;
import dev.gauntlet.appdb.ApiKeys;
import dev.gauntlet.appdb.AppDatabase;
import dev.gauntlet.appdb.AuditLog;
import dev.gauntlet.appdb.ExecutionIndex;
import dev.gauntlet.appdb.SwitchEventLog;
import dev.gauntlet.appdb.Users;
import dev.gauntlet.auth.Accounts;
import dev.gauntlet.auth.Authenticator;
import dev.gauntlet.auth.Caller;
import dev.gauntlet.auth.SecretBox;
import dev.gauntlet.config.MemoryConfig;
import dev.gauntlet.files.UserFiles;
import dev.gauntlet.memory.MemoryClient;
import dev.gauntlet.memory.MemoryPaths;
import dev.gauntlet.memory.MemoryVerticle;
import dev.gauntlet.orchestrator.GeneratorPool;
import dev.gauntlet.orchestrator.OrchestratorVerticle;
import dev.gauntlet.orchestrator.Resolver;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The operations registry on real parts, as the operation tests share it: two memory shards on
 * workers over real DuckDB files, the orchestrator verticle, the app database; every call goes
 * through {@link Operations#run} as REST, the bridge and MCP call it, for callers built as the
 * guard builds them.
 */
abstract class OperationsFixture {

  @TempDir
  Path dir;

  Vertx vertx;
  AppDatabase db;
  Operations ops;
  MemoryPaths paths;
  MemoryClient memory;
  Accounts accounts;
  Caller alice;
  Caller bob;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    MemoryClient.registerCodec(vertx);
    OrchestratorVerticle.registerCodec(vertx);
    db = AppDatabase.open(dir.resolve("data/gauntlet.db"));
    var pool = db.pool(vertx);
    paths = new MemoryPaths(dir.resolve("memory"), "test-salt".getBytes(StandardCharsets.UTF_8));
    MemoryConfig config = new MemoryConfig(paths.dir(), "", 2, 8, 0, "256MB", 1);
    for (int i = 0; i < config.shards(); i++) {
      await(vertx.deployVerticle(new MemoryVerticle(i, paths, config, (u, r, a, o) -> { }),
          new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER)));
    }
    memory = new MemoryClient(vertx, config.shards());
    SecretBox secrets = SecretBox.load(SecretBox.generateKey(), dir.resolve("data/secret.key"));
    await(vertx.deployVerticle(new OrchestratorVerticle(memory, 16, secrets, new ExecutionIndex(pool))));
    Users users = new Users(vertx, db, pool);
    ApiKeys keys = new ApiKeys(pool);
    Authenticator authenticator = new Authenticator(vertx, "a-test-token-secret-of-enough-length-0123456789", users, keys, 3600);
    accounts = new Accounts(vertx, users, paths, authenticator);
    ops = Registry.of(new Registry.Services(vertx, memory, new Resolver(vertx, memory, secrets, new GeneratorPool(8)), secrets, db,
        users, keys, new AuditLog(pool), new SwitchEventLog(pool), accounts, paths, new UserFiles(dir.resolve("files"), paths)),
        JsonObject::new);
    alice = caller("alice");
    bob = caller("bob");
  }

  @AfterEach
  void tearDown() {
    await(vertx.close());
    db.close();
  }

  Caller caller(String name) {
    return caller(name, Set.of(Caller.READ, Caller.WRITE));
  }

  Caller caller(String name, Set<String> scopes) {
    return new Caller("id-" + name, name, paths.fileName(name), List.of("user"), scopes, "test", null);
  }

  JsonObject run(Caller c, String op, JsonObject args) {
    return await(ops.run(op, c, args));
  }

  /** The caller's error an operation refused with; fails the test when it succeeded or failed otherwise. */
  Problem refusal(Caller c, String op, JsonObject args) {
    Future<JsonObject> f = ops.run(op, c, args);
    try {
      f.await(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      if (f.cause() instanceof Problem p) {
        return p;
      }
      fail(op + " failed with something other than a caller's error: " + (f.cause() != null ? f.cause() : e));
    }
    fail(op + " was not refused");
    return null;
  }

  static <T> T await(Future<T> f) {
    try {
      return f.await(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e.getMessage(), f.cause() != null ? f.cause() : e);
    }
  }

  static JsonObject value(String name, String type, JsonObject parameters) {
    return new JsonObject().put("value", new JsonObject().put("name", name).put("type", type).put("parameters", parameters));
  }

  static String id(JsonObject o) {
    return o.getString("id");
  }
}
