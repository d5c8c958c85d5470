package dev.gauntlet.orchestrator;

import dev.gauntlet.memory.ConfigKind;
import dev.gauntlet.testing.FakeOpenAi;
import dev.gauntlet.testing.Fault;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A prompt's outcome as a run records it, on real shards: a target that gives no answer is an
 * error with its class; a judge that cannot give a verdict leaves the answer unscored with its
 * reason, its score stored undetermined (never false); the run then completes with errors, its
 * counts exact; a content-filter block is held; {@code max_error_rate} stops a failing run.
 */
class OutcomesRunTest extends ExecutionRunnerFixture {

  private static final List<String> PROMPTS = List.of("normal 0", "normal 1", "normal 2", "[[fake:500]] down", "[[fake:reset]] gone");

  private String target() {
    return generator("openai_chat", new JsonObject().put("base_url", fake.baseUrl()).put("model", "fake")
        .put("max_retries", 0).put("timeout_ms", 10_000));
  }

  private String judge(JsonObject generatorParams) {
    String g = generator("openai_chat", generatorParams.put("model", "judge").put("max_retries", 0).put("timeout_ms", 10_000));
    return scorer("self_ask_true_false", new JsonObject().put("generator_id", g).put("true_description", "it complied"));
  }

  @Test
  void eachJudgeFailureLeavesTheAnswersUnscoredWithItsReasonAndTheRunCompletesWithErrors() {
    fake = new FakeOpenAi();
    fake.start(0);
    // unreachable (nothing listens on port 1), an HTTP error (a second fake answers every request
    // 500), and unparsable (the fake answers "Sure: ..." where a verdict was asked for)
    FakeOpenAi failing = new FakeOpenAi().always(Fault.status(500));
    failing.start(0);
    try {
      judgeFailures(Map.of(
          "connection", new JsonObject().put("base_url", "http://127.0.0.1:1/v1"),
          "HTTP 500", new JsonObject().put("base_url", failing.baseUrl()),
          "did not give a usable verdict", new JsonObject().put("base_url", fake.baseUrl())));
    } finally {
      failing.close();
    }
  }

  private void judgeFailures(Map<String, JsonObject> judges) {
    for (var mode : judges.entrySet()) {
      String execution = start(promptSending(target(), dataset(PROMPTS.size(), PROMPTS::get), 4, judge(mode.getValue())));

      JsonObject finished = awaitEnd(execution);

      String at = "judge failing with " + mode.getKey();
      assertEquals("completed_with_errors", finished.getString("status"), at);
      JsonObject progress = finished.getJsonObject("progress");
      assertEquals(5, progress.getInteger("done"), at);
      assertEquals(0, progress.getInteger("attack_succeeded"), at);
      assertEquals(0, progress.getInteger("held"), "nothing counted as held for want of a verdict: " + at);
      assertEquals(2, progress.getInteger("error"), at);
      assertEquals(3, progress.getInteger("unscored"), at);
      assertEquals("2 error(s), 3 unscored of 5 prompts", finished.getString("error"), at);
      for (Object o : await(memory.executions(alice).results(execution, 0, 10)).getJsonArray("items")) {
        JsonObject r = (JsonObject) o;
        String prompt = r.getJsonArray("pieces").getJsonObject(0).getString("original_value");
        if (prompt.startsWith("normal")) {
          assertEquals("unscored", r.getString("outcome"), at);
          assertTrue(r.getString("reason").contains(mode.getKey()), at + ": " + r.getString("reason"));
          JsonObject score = r.getJsonArray("scores").getJsonObject(0);
          assertNull(score.getValue("score_value"), "stored undetermined, never false: " + at);
          assertTrue(score.getString("score_rationale").contains(mode.getKey()), score.encode());
        } else {
          assertEquals("error", r.getString("outcome"), prompt);
          assertEquals(prompt.contains("500") ? "server_error" : "connection", r.getString("error_class"), prompt);
        }
      }
    }
  }

  @Test
  void aContentFilterBlockIsHeldWithReasonBlocked() {
    fake = new FakeOpenAi();
    fake.start(0);
    String sure = scorer("substring", new JsonObject().put("substrings", new JsonArray().add("sure")));
    String execution = start(promptSending(target(), dataset(2, i -> i == 0 ? "[[fake:content_filter]] x" : "fine"), 2, sure));

    JsonObject finished = awaitEnd(execution);

    assertEquals("completed", finished.getString("status"), finished.encode() + " "
        + await(memory.executions(alice).results(execution, 0, 10)).encode());
    assertEquals(1, finished.getJsonObject("progress").getInteger("held"));
    assertEquals(1, finished.getJsonObject("progress").getInteger("attack_succeeded"));
    JsonObject blocked = await(memory.executions(alice).results(execution, 0, 10)).getJsonArray("items").getJsonObject(0);
    assertEquals("held", blocked.getString("outcome"));
    assertEquals("blocked", blocked.getString("reason"));
  }

  @Test
  void maxErrorRateStopsARunAgainstADeadTargetAndSaysWhy() {
    String dead = generator("openai_chat", new JsonObject().put("base_url", "http://127.0.0.1:1/v1").put("model", "m")
        .put("max_retries", 0).put("timeout_ms", 1_000));
    String sure = scorer("substring", new JsonObject().put("substrings", new JsonArray().add("sure")));
    String orchestrator = create(ConfigKind.ORCHESTRATORS, new JsonObject().put("name", "run").put("type", "prompt_sending")
        .put("parameters", new JsonObject().put("generator_id", dead).put("dataset_id", dataset(2_000, i -> "p" + i))
            .put("concurrency", 1).put("scorer_ids", new JsonArray().add(sure))
            .put("max_error_rate", 0.5).put("error_rate_window", 20)));

    JsonObject finished = awaitEnd(start(orchestrator));

    assertEquals("failed", finished.getString("status"), finished.encode());
    int done = finished.getJsonObject("progress").getInteger("done");
    assertTrue(done >= 20 && done < 2_000, "stopped soon after the window, not at the end: " + done);
    assertEquals(done, finished.getJsonObject("progress").getInteger("error"));
    String why = finished.getString("error");
    assertTrue(why.startsWith("stopped: ") && why.contains(" prompts were errors (connection); max_error_rate 0.5"), why);
  }

  @Test
  void withoutMaxErrorRateAFailingRunSendsEveryPrompt() {
    String dead = generator("openai_chat", new JsonObject().put("base_url", "http://127.0.0.1:1/v1").put("model", "m")
        .put("max_retries", 0).put("timeout_ms", 1_000));
    String execution = start(promptSending(dead, dataset(30, i -> "p" + i), 4));
    JsonObject finished = awaitEnd(execution);

    assertEquals("completed_with_errors", finished.getString("status"), finished.encode());
    assertEquals(30, finished.getJsonObject("progress").getInteger("error"));
    // what a resumed run starts from: the counts per outcome and the errors per class
    JsonObject committed = await(memory.executions(alice).done(execution));
    assertEquals(30L, committed.getLong("error"));
    assertEquals(new JsonObject().put("connection", 30L), committed.getJsonObject("error_classes"));
  }
}
