package dev.gauntlet.orchestrator;

import dev.gauntlet.appdb.AppDatabase;
import dev.gauntlet.appdb.ExecutionIndex;
import dev.gauntlet.auth.SecretBox;
import dev.gauntlet.config.MemoryConfig;
import dev.gauntlet.memory.ConfigKind;
import dev.gauntlet.memory.MemoryClient;
import dev.gauntlet.memory.MemoryOwner;
import dev.gauntlet.memory.MemoryPaths;
import dev.gauntlet.memory.MemoryVerticle;
import dev.gauntlet.testing.FakeOpenAi;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What the execution tests share: a real memory shard on a worker, the app database's execution
 * index and the orchestrator verticle in a fresh Vert.x per test, driven over the event bus as the
 * REST API and the bridge drive them, and helpers to create configurations, start runs and wait
 * for their end. Targets are the simulated generator, or {@link FakeOpenAi} on a real port.
 */
abstract class ExecutionRunnerFixture {

  @TempDir
  Path dir;

  Vertx vertx;
  AppDatabase db;
  ExecutionIndex index;
  MemoryPaths paths;
  MemoryConfig memoryConfig;
  MemoryClient memory;
  OrchestratorClient orchestrators;
  SecretBox secrets;
  MemoryOwner alice;
  final List<String> memoryDeployments = new ArrayList<>();
  String orchestratorDeployment;
  FakeOpenAi fake;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    MemoryClient.registerCodec(vertx);
    OrchestratorVerticle.registerCodec(vertx);
    db = AppDatabase.open(dir.resolve("data/gauntlet.db"));
    index = new ExecutionIndex(db.pool(vertx));
    paths = new MemoryPaths(dir.resolve("memory"), "test-salt".getBytes(StandardCharsets.UTF_8));
    memoryConfig = new MemoryConfig(paths.dir(), "", 1, 8, 0, "256MB", 1);
    memory = new MemoryClient(vertx, memoryConfig.shards());
    orchestrators = new OrchestratorClient(vertx);
    secrets = SecretBox.load(SecretBox.generateKey(), dir.resolve("data/secret.key"));
    alice = new MemoryOwner("alice", paths.fileName("alice"));
    deployMemory();
    deployOrchestrator();
  }

  @AfterEach
  void tearDown() {
    if (fake != null) {
      fake.close();
    }
    await(vertx.close());
    db.close();
  }


  // ----- helpers

  /** A small run in another user's memory, so the timed run measures the engine rather than class loading. */
  void warmUp() {
    MemoryOwner me = alice;
    alice = new MemoryOwner("warm-up", paths.fileName("warm-up"));
    try {
      String g = generator("simulated", new JsonObject().put("mode", "comply"));
      awaitEnd(start(promptSending(g, dataset(100, i -> "warm-up " + i), 16,
          scorer("substring", new JsonObject().put("substrings", new JsonArray().add("sure"))))));
    } finally {
      alice = me;
    }
  }

  void assertOnePerPrompt(String execution, int n) {
    JsonArray items = await(memory.executions(alice).results(execution, 0, n + 10)).getJsonArray("items");
    List<Integer> indexes = items.stream().map(o -> ((JsonObject) o).getInteger("prompt_index")).toList();
    assertEquals(IntStream.range(0, n).boxed().toList(), indexes, "one result per prompt index, none skipped, none twice");
    for (Object o : items) {
      assertEquals(2, ((JsonObject) o).getJsonArray("pieces").size());
    }
    assertEquals(2L * n, await(memory.file(alice).status()).getJsonObject("tables").getLong("PromptMemoryEntries"),
        "no pieces of a prompt recorded twice");
  }

  void deployMemory() {
    memoryDeployments.clear();
    for (int i = 0; i < memoryConfig.shards(); i++) {
      memoryDeployments.add(await(vertx.deployVerticle(new MemoryVerticle(i, paths, memoryConfig, (u, r, a, o) -> { }),
          new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER))));
    }
  }

  void undeployMemory() {
    for (String id : memoryDeployments) {
      await(vertx.undeploy(id));
    }
    memoryDeployments.clear();
  }

  void deployOrchestrator() {
    orchestratorDeployment = await(vertx.deployVerticle(new OrchestratorVerticle(memory, 16, secrets, index)));
  }

  String openAi() {
    return generator("openai_chat", new JsonObject().put("base_url", fake.baseUrl()).put("model", "fake").put("max_retries", 0));
  }

  String generator(String type, JsonObject params) {
    return create(ConfigKind.GENERATORS, new JsonObject().put("name", type).put("type", type).put("parameters", params));
  }

  String scorer(String type, JsonObject params) {
    return create(ConfigKind.SCORERS, new JsonObject().put("name", type).put("type", type).put("parameters", params));
  }

  String dataset(int n, java.util.function.IntFunction<String> prompt) {
    JsonArray prompts = new JsonArray();
    for (int i = 0; i < n; i++) {
      prompts.add(new JsonObject().put("value", prompt.apply(i)));
    }
    return create(ConfigKind.DATASETS, new JsonObject().put("name", "prompts").put("prompts", prompts));
  }

  String promptSending(String generator, String dataset, int concurrency, String... scorers) {
    return create(ConfigKind.ORCHESTRATORS, new JsonObject().put("name", "run").put("type", "prompt_sending")
        .put("parameters", new JsonObject().put("generator_id", generator).put("dataset_id", dataset)
            .put("concurrency", concurrency).put("scorer_ids", new JsonArray(List.of((Object[]) scorers)))));
  }

  String create(ConfigKind kind, JsonObject body) {
    // names here say what a configuration is (its type), not who it is: two of a type take "(2)"
    return await(memory.configs(alice).create(kind, kind.validate(body), dev.gauntlet.memory.ConfigNaming.NEXT_FREE)).getString("id");
  }

  String start(String orchestratorId) {
    JsonObject reply = await(orchestrators.start(alice, orchestratorId, null));
    assertEquals("queued", reply.getString("status"));
    return reply.getString("id");
  }

  JsonObject status(String execution) {
    return await(orchestrators.status(alice, execution));
  }

  /** Polls the execution until it has ended: completed (with errors or not), failed or cancelled. */
  JsonObject awaitEnd(String execution) {
    Set<String> ends = Set.of("completed", "completed_with_errors", "failed", "cancelled");
    JsonObject[] last = new JsonObject[1];
    waitUntil(() -> ends.contains((last[0] = status(execution)).getString("status")), 30_000);
    return last[0];
  }

  static void waitUntil(java.util.function.BooleanSupplier condition, long maxMs) {
    long deadline = System.currentTimeMillis() + maxMs;
    while (!condition.getAsBoolean()) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("condition not met within " + maxMs + " ms");
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  static <T> T await(Future<T> f) {
    try {
      return f.await(30, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("no reply in time", e);
    }
  }
}
