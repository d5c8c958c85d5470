package dev.gauntlet.orchestrator;

import dev.gauntlet.Problem;
import dev.gauntlet.appdb.AppDatabase;
import dev.gauntlet.appdb.ExecutionIndex;
import dev.gauntlet.auth.SecretBox;
import dev.gauntlet.config.MemoryConfig;
import dev.gauntlet.memory.ConfigKind;
import dev.gauntlet.memory.MemoryClient;
import dev.gauntlet.memory.MemoryOp;
import dev.gauntlet.memory.MemoryOwner;
import dev.gauntlet.memory.MemoryPaths;
import dev.gauntlet.memory.MemoryVerticle;
import dev.gauntlet.testing.FakeOpenAi;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Executions end to end below HTTP: a real memory shard on a worker, the app database's
 * execution index, and the orchestrator verticle, driven over the event bus as the REST API and
 * the bridge drive it. Targets are the simulated generator, or {@link FakeOpenAi} on a real port.
 */
@Timeout(value = 40, unit = TimeUnit.SECONDS)
class ExecutionRunnerTest {

  @TempDir
  Path dir;

  private Vertx vertx;
  private AppDatabase db;
  private ExecutionIndex index;
  private MemoryPaths paths;
  private MemoryConfig memoryConfig;
  private MemoryClient memory;
  private SecretBox secrets;
  private MemoryOwner alice;
  private final List<String> memoryDeployments = new ArrayList<>();
  private String orchestratorDeployment;
  private FakeOpenAi fake;

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

  // ----- a large run

  @Test
  void fifteenHundredPromptsCompleteWithEveryPieceAndScoreRecorded() {
    int n = 1_500;
    String generator = generator("simulated", new JsonObject().put("mode", "comply"));
    String orchestrator = promptSending(generator, dataset(n, i -> "prompt number " + i), 16,
        scorer("substring", new JsonObject().put("substrings", new JsonArray().add("sure"))));

    warmUp();

    long started = System.nanoTime();
    String execution = start(orchestrator);
    JsonObject finished = awaitEnd(execution);
    long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    System.out.printf("ExecutionRunnerTest: %d prompts (prompt_sending, simulated target, 1 scorer, concurrency 16)"
        + " from START to completed in %d ms%n", n, elapsedMs);

    assertEquals("completed", finished.getString("status"), finished::encode);
    JsonObject progress = finished.getJsonObject("progress");
    assertEquals(n, progress.getInteger("total"));
    assertEquals(n, progress.getInteger("done"));
    assertEquals(n, progress.getInteger("succeeded"));
    assertEquals(0, progress.getInteger("failed"));

    JsonObject results = call(MemoryOp.EXECUTION_RESULTS, new JsonObject().put("id", execution).put("limit", n));
    assertEquals(n, results.getLong("total"));
    JsonArray items = results.getJsonArray("items");
    assertEquals(n, items.size());
    for (int i = 0; i < n; i++) {
      JsonObject r = items.getJsonObject(i);
      assertEquals(i, r.getInteger("prompt_index"));
      assertEquals("succeeded", r.getString("status"));
      assertEquals(2, r.getJsonArray("pieces").size(), "prompt " + i + " has its prompt and answer");
      assertEquals(1, r.getJsonArray("scores").size(), "prompt " + i + " has its score");
      JsonObject user = r.getJsonArray("pieces").getJsonObject(0);
      assertEquals("prompt number " + i, user.getString("original_value"));
      assertEquals(execution, new JsonObject(user.getString("prompt_metadata")).getString("execution_id"));
      assertEquals("none", r.getJsonArray("pieces").getJsonObject(1).getString("response_error"));
      assertTrue(r.getBoolean("attack_success"));
    }
    JsonObject tables = call(MemoryOp.STATUS, new JsonObject()).getJsonObject("tables");
    assertEquals(2L * n, tables.getLong("PromptMemoryEntries"));
    assertEquals((long) n, tables.getLong("ScoreEntries"));
    assertTrue(elapsedMs < 10_000, "1,500 simulated prompts took " + elapsedMs + " ms");
    // the index follows the end asynchronously
    waitUntil(() -> await(index.unfinished()).isEmpty(), 5_000);
  }

  @Test
  void progressIsPublishedToTheOwnerWithDoneNeverGoingBack() {
    List<JsonObject> events = new CopyOnWriteArrayList<>();
    await(vertx.eventBus().<JsonObject>consumer("gauntlet.progress.alice", m -> events.add(m.body())).completion());
    String generator = generator("simulated", new JsonObject().put("mode", "comply").put("latency_ms", 5));
    String execution = start(promptSending(generator, dataset(400, i -> "p" + i), 8));
    awaitEnd(execution);
    waitUntil(() -> !events.isEmpty() && "completed".equals(events.get(events.size() - 1).getString("status")), 5_000);

    assertTrue(events.size() >= 3, "several progress events, got " + events.size());
    int last = -1;
    for (JsonObject e : events) {
      assertEquals(execution, e.getString("id"));
      int done = e.getJsonObject("progress").getInteger("done");
      assertTrue(done >= last, "done went back from " + last + " to " + done);
      assertEquals(400, e.getJsonObject("progress").getInteger("total"));
      last = done;
    }
    JsonObject end = events.get(events.size() - 1);
    assertEquals("completed", end.getString("status"));
    assertEquals(400, end.getJsonObject("progress").getInteger("done"));
  }

  // ----- cancel

  @Test
  void cancelStopsARunAndLeavesNoHalfWrittenPrompt() {
    int n = 500;
    String generator = generator("simulated", new JsonObject().put("mode", "comply").put("latency_ms", 50));
    String execution = start(promptSending(generator, dataset(n, i -> "slow " + i), 2,
        scorer("substring", new JsonObject().put("substrings", new JsonArray().add("sure")))));
    waitUntil(() -> status(execution).getJsonObject("progress").getInteger("done") >= 10, 10_000);

    JsonObject cancelled = orchestrator(OrchestratorRequest.Op.CANCEL, execution);
    assertEquals("cancelled", cancelled.getString("status"));

    JsonObject after = status(execution);
    assertEquals("cancelled", after.getString("status"));
    int done = after.getJsonObject("progress").getInteger("done");
    assertTrue(done >= 10 && done < n, "done " + done);
    assertEquals(n, after.getJsonObject("progress").getInteger("total"));
    JsonArray items = call(MemoryOp.EXECUTION_RESULTS, new JsonObject().put("id", execution).put("limit", n)).getJsonArray("items");
    assertEquals(done, items.size());
    for (Object o : items) {
      JsonObject r = (JsonObject) o;
      assertEquals(2, r.getJsonArray("pieces").size(), "prompt " + r.getInteger("prompt_index") + " has both pieces");
      assertEquals(1, r.getJsonArray("scores").size(), "prompt " + r.getInteger("prompt_index") + " has its score");
    }
    JsonObject tables = call(MemoryOp.STATUS, new JsonObject()).getJsonObject("tables");
    assertEquals(2L * done, tables.getLong("PromptMemoryEntries"), "no piece without its result row");
    assertEquals((long) done, tables.getLong("ScoreEntries"));
    waitUntil(() -> await(index.unfinished()).isEmpty(), 5_000);
    JsonObject again = status(execution);
    assertEquals(done, again.getJsonObject("progress").getInteger("done"), "nothing more is sent after a cancel");
  }

  // ----- resume

  @Test
  void restartResumesFromTheLastCommitWithoutSkippingOrRepeatingPrompts() {
    int n = 200;
    fake = new FakeOpenAi().latency(20);
    fake.start(0);
    String execution = start(promptSending(openAi(), dataset(n, i -> "resume " + i), 4));
    waitUntil(() -> status(execution).getJsonObject("progress").getInteger("done") >= 40, 10_000);

    await(vertx.undeploy(orchestratorDeployment)); // a graceful stop: in-flight prompts are committed, nothing new sent
    long sentBeforeStop = fake.requests();
    JsonObject paused = call(MemoryOp.EXECUTION_GET, new JsonObject().put("id", execution));
    assertEquals("running", paused.getString("status"), "a stopped execution is still running, to resume");
    int committed = paused.getJsonObject("progress").getInteger("done");
    assertEquals(sentBeforeStop, committed, "everything sent before the stop was committed");
    assertEquals(List.of(execution), await(index.unfinished()).stream().map(ExecutionIndex.Entry::id).toList());

    deployOrchestrator(); // the next start resumes it
    JsonObject finished = awaitEnd(execution);

    assertEquals("completed", finished.getString("status"));
    assertOnePerPrompt(execution, n);
    long resent = fake.requests() - n;
    assertEquals(0, resent, "re-sent after a graceful restart: " + resent);
    for (int i = 0; i < n; i++) {
      assertEquals(1, fake.requestsFor("resume " + i), "prompt " + i + " sent once");
    }
  }

  @Test
  void stopWithATargetSlowerThanTheGraceLeavesItsPromptsToBeSentAgain() {
    int n = 300;
    fake = new FakeOpenAi().latency(10);
    fake.start(0);
    await(vertx.undeploy(orchestratorDeployment));
    orchestratorDeployment = await(vertx.deployVerticle(new OrchestratorVerticle(memory, 16, secrets, index).stopGrace(300)));
    String execution = start(promptSending(openAi(), dataset(n, i -> "stuck " + i), 4));
    waitUntil(() -> status(execution).getJsonObject("progress").getInteger("done") >= 20, 10_000);
    fake.latency(5_000); // the target stalls: the stop's grace runs out with four prompts unanswered
    // all four slots stalled, and everything answered before committed
    waitUntil(() -> fake.inFlight() == 4 && status(execution).getJsonObject("progress").getInteger("done") == fake.requests() - 4,
        5_000);
    Set<Integer> stuck = new HashSet<>();
    long sentBeforeStop = fake.requests();

    await(vertx.undeploy(orchestratorDeployment));
    JsonArray committedRows = call(MemoryOp.EXECUTION_DONE, new JsonObject().put("id", execution)).getJsonArray("indexes");
    assertEquals(sentBeforeStop - 4, committedRows.size(),
        "the stalled prompts are not committed (as failures of the shutdown's own closed connections)");
    for (int i = 0; i < n; i++) {
      if (fake.requestsFor("stuck " + i) > 0 && !committedRows.contains(i)) {
        stuck.add(i);
      }
    }
    assertEquals(4, stuck.size());

    fake.latency(1);
    deployOrchestrator();
    JsonObject finished = awaitEnd(execution);

    assertEquals("completed", finished.getString("status"));
    assertEquals(n, finished.getJsonObject("progress").getInteger("succeeded"), "no prompt failed because of the stop");
    assertOnePerPrompt(execution, n);
    assertEquals(4, fake.requests() - n, "only the stalled prompts are sent again");
    for (int i : stuck) {
      assertEquals(2, fake.requestsFor("stuck " + i));
    }
  }

  @Test
  void crashResumesAndResendsOnlyWhatWasInFlight() {
    int n = 200;
    fake = new FakeOpenAi().latency(20);
    fake.start(0);
    String execution = start(promptSending(openAi(), dataset(n, i -> "crash " + i), 4));
    waitUntil(() -> status(execution).getJsonObject("progress").getInteger("done") >= 40, 10_000);

    // the crash: memory goes away with the process, so what was in flight is never committed
    undeployMemory();
    await(vertx.undeploy(orchestratorDeployment));
    Set<Integer> sent = new HashSet<>();
    for (int i = 0; i < n; i++) {
      if (fake.requestsFor("crash " + i) > 0) {
        sent.add(i);
      }
    }
    long sentBeforeCrash = fake.requests();
    // the old runner, unable to commit, marked the index failed; a crashed process would have left it running
    await(index.setStatus(execution, "running"));

    deployMemory();
    JsonArray committedRows = call(MemoryOp.EXECUTION_DONE, new JsonObject().put("id", execution)).getJsonArray("indexes");
    Set<Integer> committed = new HashSet<>();
    committedRows.forEach(i -> committed.add(((Number) i).intValue()));
    assertEquals("running", call(MemoryOp.EXECUTION_GET, new JsonObject().put("id", execution)).getString("status"));
    Set<Integer> inFlight = new HashSet<>(sent);
    inFlight.removeAll(committed);
    assertTrue(sent.containsAll(committed));
    assertEquals(sentBeforeCrash, sent.size(), "each prompt sent at most once before the crash");

    deployOrchestrator();
    JsonObject finished = awaitEnd(execution);

    assertEquals("completed", finished.getString("status"));
    assertOnePerPrompt(execution, n);
    long resent = fake.requests() - n;
    assertEquals(inFlight.size(), resent, "re-sent after the crash: " + resent + " (sent but uncommitted at the crash: "
        + inFlight.size() + ", committed: " + committed.size() + ")");
    for (int i = 0; i < n; i++) {
      assertEquals(inFlight.contains(i) ? 2 : 1, fake.requestsFor("crash " + i), "requests for prompt " + i);
    }
    System.out.printf("ExecutionRunnerTest: crash at %d committed of %d; %d prompts re-sent%n", committed.size(), n, resent);
  }

  // ----- refusals at START

  @Test
  void startIsRefusedWhenTheOrchestratorRefersToAMissingDatasetOrGenerator() {
    String generator = generator("simulated", new JsonObject());
    String dataset = dataset(3, i -> "p" + i);
    String missingDataset = create(ConfigKind.ORCHESTRATORS, new JsonObject().put("name", "no dataset").put("type", "prompt_sending")
        .put("parameters", new JsonObject().put("generator_id", generator).put("dataset_id", "no-such-dataset")));
    String missingGenerator = create(ConfigKind.ORCHESTRATORS, new JsonObject().put("name", "no generator").put("type", "prompt_sending")
        .put("parameters", new JsonObject().put("generator_id", "no-such-generator").put("dataset_id", dataset)));

    for (String orchestrator : List.of(missingDataset, missingGenerator)) {
      Problem p = assertThrows(Problem.class, () -> start(orchestrator));
      assertEquals(404, p.status(), p.getMessage());
      assertEquals("not_found", p.code());
    }
    assertEquals(0, call(MemoryOp.EXECUTION_LIST, new JsonObject()).getJsonArray("items").size(), "no execution was created");
    assertEquals(0L, await(index.countByStatus("queued")) + await(index.countByStatus("running"))
        + await(index.countByStatus("failed")));
  }

  // ----- target faults

  @Test
  void targetFaultsEndAsRecordedResultsAndTheExecutionCompletes() {
    fake = new FakeOpenAi();
    fake.start(0);
    Map<String, String> expected = new HashMap<>();
    expected.put("[[fake:500]] server down", "server_error");
    expected.put("[[fake:malformed]] garbage", "invalid_response");
    expected.put("[[fake:timeout]] silence", "timeout");
    expected.put("[[fake:huge:2000000]] flood", "too_large");
    expected.put("[[fake:429:1*1]] busy once", "none");
    expected.put("[[fake:reset]] hang up", "connection");
    for (int i = 0; i < 10; i++) {
      expected.put("normal " + i, "none");
    }
    List<String> prompts = new ArrayList<>(expected.keySet());
    String generator = generator("openai_chat", new JsonObject().put("base_url", fake.baseUrl()).put("model", "fake")
        .put("max_retries", 1).put("timeout_ms", 300).put("retry_backoff_ms", 10).put("max_response_bytes", 1_048_576));
    String execution = start(promptSending(generator, dataset(prompts.size(), prompts::get), 16,
        scorer("substring", new JsonObject().put("substrings", new JsonArray().add("sure")))));

    JsonObject finished = awaitEnd(execution);

    assertEquals("completed", finished.getString("status"));
    assertEquals(prompts.size(), finished.getJsonObject("progress").getInteger("done"));
    assertEquals(5, finished.getJsonObject("progress").getInteger("failed"), "the five faults that did not recover");
    JsonArray items = call(MemoryOp.EXECUTION_RESULTS, new JsonObject().put("id", execution).put("limit", 100)).getJsonArray("items");
    assertEquals(prompts.size(), items.size());
    for (Object o : items) {
      JsonObject r = (JsonObject) o;
      JsonArray pieces = r.getJsonArray("pieces");
      String prompt = pieces.getJsonObject(0).getString("original_value");
      String error = expected.get(prompt);
      assertEquals(error, pieces.getJsonObject(1).getString("response_error"), "response_error for '" + prompt + "'");
      assertEquals("none".equals(error) ? "succeeded" : "failed", r.getString("status"), prompt);
      assertEquals("none".equals(error) ? 1 : 0, r.getJsonArray("scores").size(), "scores for '" + prompt + "'");
      if ("none".equals(error)) {
        assertEquals("Sure: " + prompt, pieces.getJsonObject(1).getString("original_value"));
      }
    }
    assertEquals(2, fake.requestsFor("[[fake:429:1*1]] busy once"), "one 429, then the answer");
    assertEquals(2, fake.requestsFor("[[fake:500]] server down"), "one retry");
  }

  // ----- helpers

  /** A small run in another user's memory, so the timed run measures the engine rather than class loading. */
  private void warmUp() {
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

  private void assertOnePerPrompt(String execution, int n) {
    JsonArray items = call(MemoryOp.EXECUTION_RESULTS, new JsonObject().put("id", execution).put("limit", n + 10)).getJsonArray("items");
    List<Integer> indexes = items.stream().map(o -> ((JsonObject) o).getInteger("prompt_index")).toList();
    assertEquals(IntStream.range(0, n).boxed().toList(), indexes, "one result per prompt index, none skipped, none twice");
    for (Object o : items) {
      assertEquals(2, ((JsonObject) o).getJsonArray("pieces").size());
    }
    assertEquals(2L * n, call(MemoryOp.STATUS, new JsonObject()).getJsonObject("tables").getLong("PromptMemoryEntries"),
        "no pieces of a prompt recorded twice");
  }

  private void deployMemory() {
    memoryDeployments.clear();
    for (int i = 0; i < memoryConfig.shards(); i++) {
      memoryDeployments.add(await(vertx.deployVerticle(new MemoryVerticle(i, paths, memoryConfig, (u, r, a, o) -> { }),
          new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER))));
    }
  }

  private void undeployMemory() {
    for (String id : memoryDeployments) {
      await(vertx.undeploy(id));
    }
    memoryDeployments.clear();
  }

  private void deployOrchestrator() {
    orchestratorDeployment = await(vertx.deployVerticle(new OrchestratorVerticle(memory, 16, secrets, index)));
  }

  private String openAi() {
    return generator("openai_chat", new JsonObject().put("base_url", fake.baseUrl()).put("model", "fake").put("max_retries", 0));
  }

  private String generator(String type, JsonObject params) {
    return create(ConfigKind.GENERATORS, new JsonObject().put("name", type).put("type", type).put("parameters", params));
  }

  private String scorer(String type, JsonObject params) {
    return create(ConfigKind.SCORERS, new JsonObject().put("name", type).put("type", type).put("parameters", params));
  }

  private String dataset(int n, java.util.function.IntFunction<String> prompt) {
    JsonArray prompts = new JsonArray();
    for (int i = 0; i < n; i++) {
      prompts.add(new JsonObject().put("value", prompt.apply(i)));
    }
    return create(ConfigKind.DATASETS, new JsonObject().put("name", "prompts").put("prompts", prompts));
  }

  private String promptSending(String generator, String dataset, int concurrency, String... scorers) {
    return create(ConfigKind.ORCHESTRATORS, new JsonObject().put("name", "run").put("type", "prompt_sending")
        .put("parameters", new JsonObject().put("generator_id", generator).put("dataset_id", dataset)
            .put("concurrency", concurrency).put("scorer_ids", new JsonArray(List.of((Object[]) scorers)))));
  }

  private String create(ConfigKind kind, JsonObject body) {
    return await(memory.config(alice, MemoryOp.CONFIG_CREATE, kind, new JsonObject().put("value", kind.validate(body))))
        .getString("id");
  }

  private JsonObject call(MemoryOp op, JsonObject body) {
    return await(memory.call(alice, op, body));
  }

  private String start(String orchestratorId) {
    JsonObject reply = orchestrator(OrchestratorRequest.Op.START, orchestratorId);
    assertEquals("queued", reply.getString("status"));
    return reply.getString("id");
  }

  private JsonObject status(String execution) {
    return orchestrator(OrchestratorRequest.Op.STATUS, execution);
  }

  private JsonObject orchestrator(OrchestratorRequest.Op op, String id) {
    return await(vertx.eventBus().<JsonObject>request(OrchestratorVerticle.ADDRESS,
            new OrchestratorRequest(op, alice, id, new JsonObject()), new DeliveryOptions().setSendTimeout(30_000))
        .map(m -> m.body()).recover(t -> Future.failedFuture(Problem.from(t))));
  }

  /** Polls the execution until it is completed, failed or cancelled. */
  private JsonObject awaitEnd(String execution) {
    Set<String> ends = Set.of("completed", "failed", "cancelled");
    JsonObject[] last = new JsonObject[1];
    waitUntil(() -> ends.contains((last[0] = status(execution)).getString("status")), 30_000);
    return last[0];
  }

  private static void waitUntil(java.util.function.BooleanSupplier condition, long maxMs) {
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

  private static <T> T await(Future<T> f) {
    try {
      return f.await(30, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("no reply in time", e);
    }
  }
}
