package dev.gauntlet.orchestrator;

import dev.gauntlet.appdb.ExecutionIndex;
import dev.gauntlet.testing.FakeOpenAi;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Executions stopped and resumed, end to end below HTTP (see {@link ExecutionRunnerFixture}):
 * cancel, restart, a stop with a target slower than the grace, and a crash. None skips or repeats
 * a prompt or leaves one half-written. Running them: {@link ExecutionRunnerTest}.
 */
@Timeout(value = 40, unit = TimeUnit.SECONDS)
class ExecutionResumeTest extends ExecutionRunnerFixture {

  // ----- cancel

  @Test
  void cancelStopsARunAndLeavesNoHalfWrittenPrompt() {
    int n = 500;
    String generator = generator("simulated", new JsonObject().put("mode", "comply").put("latency_ms", 50));
    String execution = start(promptSending(generator, dataset(n, i -> "slow " + i), 2,
        scorer("substring", new JsonObject().put("substrings", new JsonArray().add("sure")))));
    waitUntil(() -> status(execution).getJsonObject("progress").getInteger("done") >= 10, 10_000);

    JsonObject cancelled = await(orchestrators.cancel(alice, execution));
    assertEquals("cancelled", cancelled.getString("status"));

    JsonObject after = status(execution);
    assertEquals("cancelled", after.getString("status"));
    int done = after.getJsonObject("progress").getInteger("done");
    assertTrue(done >= 10 && done < n, "done " + done);
    assertEquals(n, after.getJsonObject("progress").getInteger("total"));
    JsonArray items = await(memory.executions(alice).results(execution, 0, n)).getJsonArray("items");
    assertEquals(done, items.size());
    for (Object o : items) {
      JsonObject r = (JsonObject) o;
      assertEquals(2, r.getJsonArray("pieces").size(), "prompt " + r.getInteger("prompt_index") + " has both pieces");
      assertEquals(1, r.getJsonArray("scores").size(), "prompt " + r.getInteger("prompt_index") + " has its score");
    }
    JsonObject tables = await(memory.file(alice).status()).getJsonObject("tables");
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
    JsonObject paused = await(memory.executions(alice).get(execution));
    assertEquals("running", paused.getString("status"), "a stopped execution is still running, to resume");
    int committed = paused.getJsonObject("progress").getInteger("done");
    assertEquals(sentBeforeStop, committed, "everything sent before the stop was committed");
    assertEquals(List.of(execution), await(index.unfinished()).stream().map(ExecutionIndex.Entry::id).toList());

    deployOrchestrator(); // the next start resumes it
    JsonObject finished = awaitEnd(execution);

    assertEquals("completed_with_errors", finished.getString("status"));
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
    JsonArray committedRows = await(memory.executions(alice).done(execution)).getJsonArray("indexes");
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

    assertEquals("completed_with_errors", finished.getString("status"));
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
    JsonArray committedRows = await(memory.executions(alice).done(execution)).getJsonArray("indexes");
    Set<Integer> committed = new HashSet<>();
    committedRows.forEach(i -> committed.add(((Number) i).intValue()));
    assertEquals("running", await(memory.executions(alice).get(execution)).getString("status"));
    Set<Integer> inFlight = new HashSet<>(sent);
    inFlight.removeAll(committed);
    assertTrue(sent.containsAll(committed));
    assertEquals(sentBeforeCrash, sent.size(), "each prompt sent at most once before the crash");

    deployOrchestrator();
    JsonObject finished = awaitEnd(execution);

    assertEquals("completed_with_errors", finished.getString("status"));
    assertOnePerPrompt(execution, n);
    long resent = fake.requests() - n;
    assertEquals(inFlight.size(), resent, "re-sent after the crash: " + resent + " (sent but uncommitted at the crash: "
        + inFlight.size() + ", committed: " + committed.size() + ")");
    for (int i = 0; i < n; i++) {
      assertEquals(inFlight.contains(i) ? 2 : 1, fake.requestsFor("crash " + i), "requests for prompt " + i);
    }
    System.out.printf("ExecutionRunnerTest: crash at %d committed of %d; %d prompts re-sent%n", committed.size(), n, resent);
  }
}
