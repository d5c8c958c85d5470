package dev.gauntlet.orchestrator;

import dev.gauntlet.Problem;
import dev.gauntlet.memory.ConfigKind;
import dev.gauntlet.testing.FakeOpenAi;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A TAP execution over three objectives crashes after the first is committed and resumes: the
 * finished objective's tree is never sent again, and every objective ends with its whole tree
 * (all its conversations) recorded once. {@link FakeOpenAi} plays target, attacker and judge: it
 * answers "Sure: " and the last user message, which the judge cannot rate (lowest) and the
 * objective scorer finds nothing in.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LlmAttackResumeTest extends ExecutionRunnerFixture {

  /** Width 1, depth 2, branching 2: 4 nodes per objective, each 2 pieces; 2 first asks per objective. */
  private static final int PIECES_PER_OBJECTIVE = 8;
  private static final int FIRST_ASKS = 2;

  @Test
  void aResumedTapRunNeverResendsAFinishedObjective() {
    fake = new FakeOpenAi().latency(40);
    fake.start(0);
    // a short stop grace: the crash below should not wait for the objective in flight
    await(vertx.undeploy(orchestratorDeployment));
    orchestratorDeployment = await(vertx.deployVerticle(new OrchestratorVerticle(memory, 16, secrets, index).stopGrace(200)));
    String model = openAi();
    String judge = openAi(); // a separate evaluator configuration: the launch follows its reference too
    List<String> objectives = List.of("objective zero", "objective one", "objective two");
    JsonArray prompts = new JsonArray();
    objectives.forEach(o -> prompts.add(new JsonObject().put("value", o)));
    String dataset = create(ConfigKind.DATASETS, new JsonObject().put("name", "objectives").put("prompts", prompts));
    String objectiveScorer = scorer("substring", new JsonObject().put("substrings", new JsonArray().add("never said")));
    String tap = create(ConfigKind.ORCHESTRATORS, new JsonObject().put("name", "tap").put("type", "tap")
        .put("parameters", new JsonObject().put("generator_id", model).put("attacker_generator_id", model)
            .put("objective_scorer_id", objectiveScorer).put("evaluator_generator_id", judge).put("dataset_id", dataset).put("concurrency", 1)
            .put("width", 1).put("depth", 2).put("branching_factor", 2)));
    String execution = start(tap);
    waitUntil(() -> status(execution).getJsonObject("progress").getInteger("done") >= 1, 20_000);

    // the crash: memory goes with the process, so the objective in flight is not committed
    undeployMemory();
    await(vertx.undeploy(orchestratorDeployment));
    int[] asksBefore = IntStream.range(0, 3).map(i -> fake.requestsFor(Refinement.firstAsk(objectives.get(i)))).toArray();
    await(index.setStatus(execution, "running"));
    deployMemory();
    Set<Integer> committed = new HashSet<>();
    await(memory.executions(alice).done(execution)).getJsonArray("indexes").forEach(i -> committed.add(((Number) i).intValue()));
    assertTrue(committed.contains(0) && committed.size() < 3, "crashed with objective 0 committed: " + committed);

    deployOrchestrator();
    JsonObject finished = awaitEnd(execution);

    assertTrue(finished.getString("status").startsWith("completed"), finished.encode());
    for (int i = 0; i < 3; i++) {
      int asks = fake.requestsFor(Refinement.firstAsk(objectives.get(i)));
      if (committed.contains(i)) {
        assertEquals(FIRST_ASKS, asks, "objective " + i + " was finished before the crash and not sent again");
        assertEquals(asksBefore[i], asks);
      } else {
        assertEquals(asksBefore[i] + FIRST_ASKS, asks, "objective " + i + " is attacked again from its root");
      }
    }
    JsonArray items = await(memory.executions(alice).results(execution, 0, 10)).getJsonArray("items");
    assertEquals(List.of(0, 1, 2), items.stream().map(o -> ((JsonObject) o).getInteger("prompt_index")).toList(),
        "one result per objective");
    for (Object o : items) {
      assertEquals("held", ((JsonObject) o).getString("outcome"), ((JsonObject) o).encode());
    }
    assertEquals(3L * PIECES_PER_OBJECTIVE, await(memory.file(alice).status()).getJsonObject("tables").getLong("PromptMemoryEntries"),
        "each objective's tree recorded once, none half-written");
    System.out.printf("LlmAttackResumeTest: crash with objectives %s committed; requests to the fake in all: %d%n",
        committed, fake.requests());
  }

  @Test
  void aGoatLaunchWithAnUnknownTechniqueIsRefusedNamingItAndStoresNothing() {
    String model = generator("simulated", new JsonObject().put("mode", "comply"));
    String objectiveScorer = scorer("substring", new JsonObject().put("substrings", new JsonArray().add("x")));
    String goat = create(ConfigKind.ORCHESTRATORS, new JsonObject().put("name", "goat").put("type", "goat")
        .put("parameters", new JsonObject().put("generator_id", model).put("attacker_generator_id", model)
            .put("objective_scorer_id", objectiveScorer).put("objective", "get it")
            .put("techniques", new JsonArray().add("hypothetical").add("telepathy"))));

    Problem refused = assertThrows(Problem.class, () -> start(goat));

    assertEquals(400, refused.status());
    assertTrue(refused.getMessage().contains("parameters.techniques") && refused.getMessage().contains("telepathy"), refused.getMessage());
    assertTrue(await(index.unfinished()).isEmpty(), "no execution was created");
  }
}
