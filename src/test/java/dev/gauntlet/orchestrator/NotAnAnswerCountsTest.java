package dev.gauntlet.orchestrator;

import dev.gauntlet.Problem;
import dev.gauntlet.memory.ConfigKind;
import dev.gauntlet.memory.DashboardFilter;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Turns the target never gave as its answer (context compliance's fabricated offer, skeleton key's
 * priming reply, a chunked request's chunks before the last) are stored with the conversation but
 * counted nowhere: the dashboard, the compliance rows, the review queues and re-scoring see one
 * answer per prompt, each with its verdict, and no unscored ones.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class NotAnAnswerCountsTest extends ExecutionRunnerFixture {

  static final int PROMPTS = 2;

  @Test
  void dashboardComplianceAndReviewsCountTheRealAnswersOnly() {
    String target = generator("simulated", new JsonObject().put("mode", "comply"));
    String attacker = generator("simulated", new JsonObject().put("mode", "comply"));
    String dataset = dataset(PROMPTS, i -> "objective number " + i);
    String scorer = scorer("substring", new JsonObject().put("substrings", new JsonArray().add("never said")));
    Map<String, JsonObject> types = Map.of(
        "context_compliance", new JsonObject().put("attacker_generator_id", attacker),
        "chunked_request", new JsonObject().put("chunk_size", 40).put("total_length", 100),
        "skeleton_key", new JsonObject());
    List<String> executions = new ArrayList<>();
    for (var t : types.entrySet()) {
      String orchestrator = create(ConfigKind.ORCHESTRATORS, new JsonObject().put("name", t.getKey()).put("type", t.getKey())
          .put("parameters", t.getValue().copy().put("generator_id", target).put("dataset_id", dataset)
              .put("scorer_ids", new JsonArray().add(scorer))));
      String execution = start(orchestrator);
      JsonObject end = awaitEnd(execution);
      assertEquals(PROMPTS, end.getJsonObject("progress").getInteger("held"), t.getKey() + ": " + end.encode());
      executions.add(execution);
    }
    // the stored conversations keep every turn: 1 fabricated offer, 2 chunks and 1 priming reply per prompt
    long assistantPieces = 0;
    for (String e : executions) {
      for (Object o : await(memory.executions(alice).results(e, 0, 10)).getJsonArray("items")) {
        assistantPieces += ((JsonObject) o).getJsonArray("pieces").stream()
            .filter(p -> "assistant".equals(((JsonObject) p).getString("role"))).count();
      }
    }
    assertEquals((2 + 3 + 2) * PROMPTS, assistantPieces);

    JsonObject all = await(memory.dashboard(alice).summary(DashboardFilter.ALL.toJson()));
    assertEquals(3L * PROMPTS, all.getLong("responses"), "one answer per prompt: " + all.encode());
    JsonObject outcomes = all.getJsonObject("outcomes");
    assertEquals(3L * PROMPTS, outcomes.getLong("results"), outcomes.encode());
    assertEquals(3L * PROMPTS, outcomes.getLong("held"), outcomes.encode());
    assertEquals(0L, outcomes.getLong("unscored"), "no turn that is not an answer shows up unscored: " + outcomes.encode());

    for (Object o : await(memory.scans(alice).compliance(new JsonArray(executions))).getJsonArray("executions")) {
      JsonObject row = (JsonObject) o;
      JsonObject group = row.getJsonArray("probes").getJsonObject(0);
      assertEquals(PROMPTS, group.getInteger("prompts"), row.encode());
      assertEquals(PROMPTS, group.getInteger("held"), row.encode());
      assertEquals(0, group.getInteger("unscored"), row.getString("orchestrator_type") + ": " + row.encode());
    }

    JsonObject unscored = await(memory.reviews(alice).queue("unscored", null, null, 20, "", false, 0, 100));
    assertEquals(0, unscored.getJsonArray("items").size(), "nothing to review as unscored: " + unscored.encode());
    JsonObject sample = await(memory.reviews(alice).queue("sample", null, null, 100, "s", false, 0, 100));
    assertEquals(3 * PROMPTS, sample.getJsonArray("items").size(), sample.encode());

    // a fabricated turn cannot be given a verdict: the answer after it decides the conversation
    JsonObject first = await(memory.executions(alice).results(executions.get(0), 0, 1)).getJsonArray("items").getJsonObject(0);
    String notAnAnswer = first.getJsonArray("pieces").stream().map(p -> (JsonObject) p)
        .filter(p -> new JsonObject(p.getString("prompt_metadata")).getBoolean("not_an_answer", false))
        .findFirst().orElseThrow().getString("id");
    Problem p = assertThrows(Problem.class, () -> await(memory.reviews(alice).set(notAnAnswer, "attack_succeeded", null)));
    assertEquals(400, p.status());
    assertEquals("not_an_answer", p.code());
    assertTrue(p.getMessage().contains(notAnAnswer), p.getMessage());
  }
}
