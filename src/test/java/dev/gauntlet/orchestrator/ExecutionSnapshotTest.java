package dev.gauntlet.orchestrator;

import dev.gauntlet.Problem;
import dev.gauntlet.memory.ConfigKind;
import dev.gauntlet.memory.MemoryOp;
import dev.gauntlet.memory.MemoryRequest;
import dev.gauntlet.testing.FakeOpenAi;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An execution runs from what it was launched with: the orchestrator, every configuration it
 * refers to and its prompts are resolved once, at launch, and kept with the execution. Editing or
 * deleting them afterwards changes neither a resume after a cancel nor one after a crash; a launch
 * costs three event-bus round trips however many configurations it refers to.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ExecutionSnapshotTest extends ExecutionRunnerFixture {

  static final int N = 120;

  /** The target under test (the fake, as "model-a", with a key), another generator, and a run of one against the other's place. */
  String target;
  String other;
  String data;
  String run;

  void launchSetup() {
    fake = new FakeOpenAi().latency(20);
    fake.start(0);
    target = generator("openai_chat", new JsonObject().put("base_url", fake.baseUrl()).put("model", "model-a")
        .put("max_retries", 0).put("api_key", secrets.seal("sk-model-a")));
    other = generator("simulated", new JsonObject().put("mode", "comply"));
    data = dataset(N, i -> "snap " + i);
    run = promptSending(target, data, 2);
  }

  /** Points the orchestrator at the other generator and breaks the first one's parameters (model and address). */
  void editOrchestratorAndGenerator() {
    replace(ConfigKind.ORCHESTRATORS, run, new JsonObject().put("name", "run").put("type", "prompt_sending")
        .put("parameters", new JsonObject().put("generator_id", other).put("dataset_id", data).put("concurrency", 2)));
    replace(ConfigKind.GENERATORS, target, new JsonObject().put("name", "edited").put("type", "openai_chat")
        .put("parameters", new JsonObject().put("base_url", "http://127.0.0.1:9/v1").put("model", "model-edited").put("max_retries", 0)));
  }

  @Test
  void cancelThenResumeRunsTheSnapshotsGeneratorAfterTheOrchestratorAndTheGeneratorWereEdited() {
    launchSetup();
    String execution = start(run);
    waitUntil(() -> status(execution).getJsonObject("progress").getInteger("done") >= 10, 10_000);
    assertEquals("cancelled", await(orchestrators.cancel(alice, execution)).getString("status"));

    editOrchestratorAndGenerator();
    replace(ConfigKind.DATASETS, data, new JsonObject().put("name", "other prompts")
        .put("prompts", new JsonArray().add(new JsonObject().put("value", "a prompt the run never had"))));
    assertEquals("queued", await(orchestrators.resume(alice, execution)).getString("status"));

    assertRanEntirelyOnTheFirstGenerator(execution, awaitEnd(execution));
  }

  @Test
  void cancelThenResumeCompletesAfterTheOrchestratorAndItsDatasetWereDeleted() {
    launchSetup();
    String execution = start(run);
    waitUntil(() -> status(execution).getJsonObject("progress").getInteger("done") >= 10, 10_000);
    assertEquals("cancelled", await(orchestrators.cancel(alice, execution)).getString("status"));

    await(memory.configs(alice).delete(ConfigKind.ORCHESTRATORS, run));
    await(memory.configs(alice).delete(ConfigKind.DATASETS, data));
    assertEquals("queued", await(orchestrators.resume(alice, execution)).getString("status"));

    assertRanEntirelyOnTheFirstGenerator(execution, awaitEnd(execution));
  }

  @Test
  void crashThenRestartRunsTheSnapshotAfterTheOrchestratorAndTheGeneratorWereEditedAndTheDatasetDeleted() {
    launchSetup();
    String execution = start(run);
    waitUntil(() -> status(execution).getJsonObject("progress").getInteger("done") >= 10, 10_000);

    // the crash: memory goes away with the process, what was in flight is never committed
    undeployMemory();
    await(vertx.undeploy(orchestratorDeployment));
    // the old runner, unable to commit, marked the index failed; a crashed process would have left it running
    await(index.setStatus(execution, "running"));

    deployMemory();
    int committed = await(memory.executions(alice).done(execution)).getJsonArray("indexes").size();
    assertTrue(committed > 0 && committed < N, "interrupted mid-run: " + committed + " committed");
    editOrchestratorAndGenerator();
    await(memory.configs(alice).delete(ConfigKind.DATASETS, data));
    deployOrchestrator(); // the restart resumes it

    assertRanEntirelyOnTheFirstGenerator(execution, awaitEnd(execution));
  }

  /** Every prompt of the launch answered by the first generator as it was at launch: its model, its address, its key. */
  void assertRanEntirelyOnTheFirstGenerator(String execution, JsonObject finished) {
    // the run has no scorer: every answer is unscored ("no scorer"), so it completes with errors
    assertEquals("completed_with_errors", finished.getString("status"), String.valueOf(finished));
    assertEquals(N, finished.getJsonObject("progress").getInteger("total"), "the launch's prompts, not the edited dataset's");
    assertEquals(N, finished.getJsonObject("progress").getInteger("succeeded"), "every prompt answered");
    assertOnePerPrompt(execution, N);
    for (int i = 0; i < N; i++) {
      assertTrue(fake.requestsFor("snap " + i) >= 1, "prompt " + i + " went to the first generator's address");
    }
    assertEquals(0, fake.requestsFor("a prompt the run never had"));
    assertEquals("model-a", fake.lastRequest().json().getString("model"));
    assertEquals("Bearer sk-model-a", fake.lastRequest().headers().get("Authorization"), "the sealed key, opened to build");
    JsonArray items = await(memory.executions(alice).results(execution, 0, N)).getJsonArray("items");
    for (Object o : items) {
      JsonObject result = (JsonObject) o;
      JsonObject conversation = await(memory.conversations(alice).get(result.getString("conversation_id")));
      for (Object p : conversation.getJsonArray("pieces")) {
        JsonObject targetId = ((JsonObject) p).getJsonObject("prompt_target_identifier");
        assertEquals(target, targetId.getString("id"), "prompt " + result.getInteger("prompt_index"));
        assertEquals("model-a", targetId.getString("model"), "prompt " + result.getInteger("prompt_index"));
      }
    }
  }

  @Test
  void aLaunchReadsEveryReferencedConfigurationOnceAndKeepsSecretsSealed() {
    launchSetup();
    String judge = generator("simulated", new JsonObject().put("mode", "comply"));
    String rewrite = create(ConfigKind.CONVERTERS, new JsonObject().put("name", "variation").put("type", "variation")
        .put("parameters", new JsonObject().put("generator_id", judge)));
    String words = scorer("substring", new JsonObject().put("substrings", new JsonArray().add("sure")));
    String asked = scorer("self_ask_true_false", new JsonObject().put("generator_id", judge).put("true_description", "it complied"));
    String both = scorer("composite", new JsonObject().put("scorer_ids", new JsonArray().add(words).add(asked)).put("mode", "or"));
    String orchestrator = create(ConfigKind.ORCHESTRATORS, new JsonObject().put("name", "wide").put("type", "prompt_sending")
        .put("parameters", new JsonObject().put("generator_id", target).put("dataset_id", data).put("sample_size", 7)
            .put("converter_ids", new JsonArray().add(rewrite)).put("scorer_ids", new JsonArray().add(both))));

    List<String> trips = launchTrips(orchestrator);

    assertEquals(List.of("orchestrator START", "memory CONFIG_WITH_REFERENCES", "memory EXECUTION_CREATE"), trips,
        "event-bus round trips before the launch is answered");
    String execution = await(memory.executions(alice).list(orchestrator, 0, 1)).getJsonArray("items").getJsonObject(0).getString("id");
    JsonObject snapshot = await(memory.executions(alice).snapshot(execution));
    JsonObject configs = snapshot.getJsonObject("configs");
    assertEquals(Set.of("orchestrators/" + orchestrator, "generators/" + target, "generators/" + judge, "converters/" + rewrite,
        "scorers/" + both, "scorers/" + words, "scorers/" + asked, "datasets/" + data), configs.fieldNames(),
        "the orchestrator and everything it refers to, transitively");
    String storedKey = configs.getJsonObject("generators/" + target).getJsonObject("parameters").getString("api_key");
    assertEquals(await(memory.configs(alice).get(ConfigKind.GENERATORS, target)).getJsonObject("parameters").getString("api_key"),
        storedKey, "the key as stored");
    assertFalse(configs.encode().contains("sk-model-a"), "no secret opened into the snapshot");
    assertEquals(7, snapshot.getJsonArray("prompts").size(), "the sample, frozen");
    assertEquals("snap 6", snapshot.getJsonArray("prompts").getString(6));
    assertEquals("completed", awaitEnd(execution).getString("status"));
  }

  @Test
  void aNewExecutionRunsFromTheSnapshotItsCreationAnsweredWithoutReadingItOrItsResultsAgain() {
    launchSetup();
    List<MemoryOp> ops = java.util.Collections.synchronizedList(new ArrayList<>());
    vertx.eventBus().addOutboundInterceptor(ctx -> {
      if (ctx.message().body() instanceof MemoryRequest r) {
        ops.add(r.op());
      }
      ctx.next();
    });

    String execution = start(run);

    assertRanEntirelyOnTheFirstGenerator(execution, awaitEnd(execution));
    assertEquals((long) N, fake.requests(), "every frozen prompt sent once, none twice");
    // what the run asked of the memory until its first results were recorded
    List<MemoryOp> all = List.copyOf(ops);
    assertTrue(all.contains(MemoryOp.EXECUTION_RECORD), "no results recorded: " + all);
    List<MemoryOp> seen = all.subList(0, all.indexOf(MemoryOp.EXECUTION_RECORD));
    assertTrue(seen.contains(MemoryOp.EXECUTION_CREATE), String.valueOf(seen));
    assertFalse(seen.contains(MemoryOp.EXECUTION_SNAPSHOT), "the snapshot read again: " + seen);
    assertFalse(seen.contains(MemoryOp.EXECUTION_DONE), "the committed results of a new execution read: " + seen);
  }

  @Test
  void aLaunchWithAMissingReferenceStoresNothing() {
    String generator = generator("simulated", new JsonObject().put("mode", "comply"));
    String orchestrator = promptSending(generator, dataset(3, i -> "p" + i), 1, "no-such-scorer");

    Problem refused = assertThrows(Problem.class, () -> start(orchestrator));

    assertEquals(409, refused.status());
    assertTrue(refused.getMessage().contains("no-such-scorer"), refused.getMessage());
    assertEquals(0, await(memory.executions(alice).list(null, 0, 10)).getJsonArray("items").size());
  }

  @Test
  void anExecutionLaunchedBeforeSnapshotsWereKeptStillResumesFromTheStoredConfigurations() {
    String generator = generator("simulated", new JsonObject().put("mode", "comply"));
    String prompts = dataset(20, i -> "old " + i);
    JsonObject parameters = new JsonObject().put("generator_id", generator).put("dataset_id", prompts).put("concurrency", 2);
    String orchestrator = create(ConfigKind.ORCHESTRATORS, new JsonObject().put("name", "old").put("type", "prompt_sending")
        .put("parameters", parameters));
    // what a launch stored before: the orchestrator's own configuration only, no snapshot, no frozen prompts
    String execution = await(memory.executions(alice).create(new JsonObject().put("id", orchestrator).put("name", "old")
        .put("type", "prompt_sending").put("parameters", parameters), null)).getString("id");
    assertEquals(null, await(memory.executions(alice).snapshot(execution)).getValue("configs"));
    await(memory.configs(alice).delete(ConfigKind.ORCHESTRATORS, orchestrator));

    await(orchestrators.resume(alice, execution));
    JsonObject finished = awaitEnd(execution);
    // no scorer configured: every prompt is unscored ("no scorer"), so it completes with errors

    assertEquals("completed_with_errors", finished.getString("status"), String.valueOf(finished));
    assertOnePerPrompt(execution, 20);
  }

  /**
   * Launches {@code orchestrator} and names, in order, each event-bus request sent from the
   * launch request until its answer (replies are not counted: a round trip is a request and its
   * reply). The runner starts only once the launch is answered, so its traffic is not counted.
   */
  List<String> launchTrips(String orchestrator) {
    List<String> trips = java.util.Collections.synchronizedList(new ArrayList<>());
    Set<String> replyAddresses = java.util.concurrent.ConcurrentHashMap.newKeySet();
    String[] launchReply = new String[1];
    AtomicBoolean answered = new AtomicBoolean();
    vertx.eventBus().addOutboundInterceptor(ctx -> {
      Message<?> m = ctx.message();
      if (!answered.get()) {
        if (m.address().equals(launchReply[0])) {
          answered.set(true);
        } else if (!replyAddresses.contains(m.address())) {
          if (m.body() instanceof OrchestratorRequest r) {
            trips.add("orchestrator " + r.op());
            if (r.op() == OrchestratorRequest.Op.START) {
              launchReply[0] = m.replyAddress();
            }
          } else if (m.body() instanceof MemoryRequest r && launchReply[0] != null) {
            trips.add("memory " + r.op());
          } else if (launchReply[0] != null) {
            trips.add(m.address());
          }
        }
        if (m.replyAddress() != null) {
          replyAddresses.add(m.replyAddress());
        }
      }
      ctx.next();
    });
    start(orchestrator);
    assertNotNull(launchReply[0], "the launch went over the event bus");
    assertTrue(answered.get(), "the launch's answer was seen");
    return new ArrayList<>(trips);
  }

  void replace(ConfigKind kind, String id, JsonObject body) {
    await(memory.configs(alice).replace(kind, id, kind.validate(body)));
  }
}
