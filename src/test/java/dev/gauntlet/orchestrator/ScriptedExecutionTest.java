package dev.gauntlet.orchestrator;

import dev.gauntlet.Problem;
import dev.gauntlet.memory.ConfigKind;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The scripted attacks as executions, below HTTP (see {@link ExecutionRunnerFixture}): launched,
 * run against the simulated target and committed to a real memory, every turn in its prompt's
 * conversation; and refused at start, with nothing created, when a parameter only the strategy
 * can judge is wrong.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ScriptedExecutionTest extends ExecutionRunnerFixture {

  @Test
  void eachScriptedAttackRunsAsAnExecutionWithEveryTurnStoredInItsPromptsConversation() {
    String target = generator("simulated", new JsonObject().put("mode", "echo"));
    String attacker = generator("simulated", new JsonObject().put("mode", "comply"));
    String dataset = dataset(3, i -> "objective number " + i);
    String scorer = scorer("substring", new JsonObject().put("substrings", new JsonArray().add("never said")));
    Map<String, JsonObject> types = Map.of(
        "flip", new JsonObject().put("flip_mode", "words_in_sentence"),
        "context_compliance", new JsonObject().put("attacker_generator_id", attacker),
        "role_play", new JsonObject().put("scenario", "trivia_game"),
        "multi_prompt", new JsonObject().put("turns", new JsonArray().add("hello").add("now {prompt}")).put("stop_on_success", false),
        "chunked_request", new JsonObject().put("chunk_size", 40).put("total_length", 100));
    Map<String, List<String>> roles = Map.of(
        "flip", List.of("system", "user", "assistant"),
        "context_compliance", List.of("user", "assistant", "user", "assistant"),
        "role_play", List.of("user", "assistant", "user", "assistant"),
        "multi_prompt", List.of("user", "assistant", "user", "assistant"),
        "chunked_request", List.of("user", "assistant", "user", "assistant", "user", "assistant"));

    for (var t : types.entrySet()) {
      String orchestrator = create(ConfigKind.ORCHESTRATORS, new JsonObject().put("name", t.getKey()).put("type", t.getKey())
          .put("parameters", t.getValue().copy().put("generator_id", target).put("dataset_id", dataset)
              .put("scorer_ids", new JsonArray().add(scorer))));
      String execution = start(orchestrator);
      JsonObject end = awaitEnd(execution);

      assertEquals("completed", end.getString("status"), t.getKey() + ": " + end.encode());
      assertEquals(3, end.getJsonObject("progress").getInteger("held"), t.getKey());
      JsonArray items = await(memory.executions(alice).results(execution, 0, 10)).getJsonArray("items");
      assertEquals(3, items.size(), t.getKey());
      for (Object o : items) {
        JsonArray pieces = ((JsonObject) o).getJsonArray("pieces");
        assertEquals(roles.get(t.getKey()), pieces.stream().map(p -> ((JsonObject) p).getString("role")).toList(), t.getKey());
        String conversation = pieces.getJsonObject(0).getString("conversation_id");
        assertTrue(pieces.stream().allMatch(p -> conversation.equals(((JsonObject) p).getString("conversation_id"))),
            t.getKey() + ": one conversation per prompt");
        int fabricated = (int) pieces.stream()
            .filter(p -> new JsonObject(((JsonObject) p).getString("prompt_metadata")).getBoolean("fabricated", false)).count();
        assertEquals(t.getKey().equals("context_compliance") || t.getKey().equals("role_play") ? 2 : 0, fabricated, t.getKey());
      }
      if (t.getKey().equals("chunked_request")) {
        JsonArray pieces = items.getJsonObject(0).getJsonArray("pieces");
        JsonObject last = new JsonObject(pieces.getJsonObject(5).getString("prompt_metadata"));
        String combined = pieces.getJsonObject(1).getString("original_value") + pieces.getJsonObject(3).getString("original_value")
            + pieces.getJsonObject(5).getString("original_value");
        assertEquals(combined, last.getString("combined_answer"), "the joined answers are stored with the last one");
        assertEquals(1, items.getJsonObject(0).getJsonArray("scores").size());
      }
    }
  }

  @Test
  void aScriptedAttackWithAParameterOnlyItCanJudgeIsRefusedAtStartAndNothingIsCreated() {
    String target = generator("simulated", new JsonObject());
    String dataset = dataset(2, i -> "p" + i);
    String noTurns = create(ConfigKind.ORCHESTRATORS, new JsonObject().put("name", "no turns").put("type", "multi_prompt")
        .put("parameters", new JsonObject().put("generator_id", target).put("dataset_id", dataset).put("turns", new JsonArray())));
    String noEnd = create(ConfigKind.ORCHESTRATORS, new JsonObject().put("name", "no end").put("type", "chunked_request")
        .put("parameters", new JsonObject().put("generator_id", target).put("dataset_id", dataset)
            .put("request_template", "characters from {start} of {objective}")));
    String nothing = create(ConfigKind.ORCHESTRATORS, new JsonObject().put("name", "nothing").put("type", "flip")
        .put("parameters", new JsonObject().put("generator_id", target)));

    Map<String, String> named = Map.of(noTurns, "parameters.turns", noEnd, "parameters.request_template",
        nothing, "parameters.objective or parameters.dataset_id");
    for (var e : named.entrySet()) {
      Problem p = assertThrows(Problem.class, () -> start(e.getKey()));
      assertEquals(400, p.status(), p.getMessage());
      assertTrue(p.getMessage().contains(e.getValue()), p.getMessage());
    }
    assertEquals(0, await(memory.executions(alice).list(null, 0, 50)).getJsonArray("items").size(), "no execution was created");
  }
}
