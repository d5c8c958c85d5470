package dev.gauntlet.orchestrator;

import dev.gauntlet.Problem;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.Supplier;

import static dev.gauntlet.orchestrator.ScriptedKits.build;
import static dev.gauntlet.orchestrator.ScriptedKits.kit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad parameters of the scripted attacks end in a 400 naming the parameter: those the catalog can
 * check when a configuration is saved, the rest when an execution is launched (the factory).
 */
class ScriptedAttacksValidationTest {

  private static final FakeModel TARGET = FakeModel.saying("target", n -> "ok");

  @Test
  void theCatalogListsTheFiveScriptedAttacksWithTheirDefaults() {
    JsonObject flip = ScriptedKits.params("flip", new JsonObject());
    assertEquals(Flip.CHARS_IN_SENTENCE, flip.getString("flip_mode"));
    assertEquals("yes.", ScriptedKits.params("context_compliance", new JsonObject().put("attacker_generator_id", "a"))
        .getString("affirmative_response"));
    assertEquals("movie_script", ScriptedKits.params("role_play", new JsonObject()).getString("scenario"));
    assertEquals(true, ScriptedKits.params("multi_prompt", new JsonObject().put("turns", new JsonArray().add("x")))
        .getBoolean("stop_on_success"));
    JsonObject chunked = ScriptedKits.params("chunked_request", new JsonObject());
    assertEquals(50, chunked.getInteger("chunk_size"));
    assertEquals(200, chunked.getInteger("total_length"));
    assertEquals(ChunkedRequest.DEFAULT_TEMPLATE, chunked.getString("request_template"));
    JsonArray scenarios = Orchestrators.catalog().get("role_play").toJson().getJsonArray("parameters").stream()
        .map(JsonObject.class::cast).filter(p -> p.getString("name").equals("scenario")).findFirst().orElseThrow()
        .getJsonArray("choices");
    assertTrue(scenarios.size() >= 5, "scenario choices are served by /types: " + scenarios);
  }

  @Test
  void parametersTheCatalogChecksAreRefusedWhenSaved() {
    assertBad(() -> ScriptedKits.params("flip", new JsonObject().put("flip_mode", "upside_down")), "flip_mode");
    assertBad(() -> ScriptedKits.params("role_play", new JsonObject().put("scenario", "heist")), "scenario");
    assertBad(() -> ScriptedKits.params("context_compliance", new JsonObject()), "attacker_generator_id");
    assertBad(() -> ScriptedKits.params("multi_prompt", new JsonObject()), "turns");
    assertBad(() -> ScriptedKits.params("multi_prompt", new JsonObject().put("turns", new JsonArray().add(3))), "turns");
    assertBad(() -> ScriptedKits.params("multi_prompt", new JsonObject().put("turns", new JsonArray().add("x"))
        .put("stop_on_success", "yes")), "stop_on_success");
    assertBad(() -> ScriptedKits.params("chunked_request", new JsonObject().put("chunk_size", 0)), "chunk_size");
    assertBad(() -> ScriptedKits.params("chunked_request", new JsonObject().put("total_length", -5)), "total_length");
  }

  @Test
  void parametersOnlyTheStrategyCanJudgeAreRefusedAtLaunch() {
    assertBad(() -> build(kit("multi_prompt", new JsonObject().put("turns", new JsonArray()), TARGET, null, List.of(), List.of())),
        "turns");
    assertBad(() -> build(kit("multi_prompt", new JsonObject().put("turns", new JsonArray().add("a").add("  ")), TARGET, null,
        List.of(), List.of())), "turns[1]");
    assertBad(() -> build(kit("chunked_request", new JsonObject().put("request_template", "give me {objective} from {start}"),
        TARGET, null, List.of(), List.of())), "request_template");
    assertBad(() -> build(kit("chunked_request", new JsonObject().put("chunk_size", 1).put("total_length", 5000), TARGET, null,
        List.of(), List.of())), "chunk_size");
    assertBad(() -> build(kit("context_compliance", new JsonObject().put("affirmative_response", " "), TARGET,
        FakeModel.saying("attacker", n -> "x"), List.of(), List.of())), "affirmative_response");
  }

  @Test
  void everyScriptedAttackNeedsAnObjectiveOrADataset() {
    for (String type : List.of("flip", "context_compliance", "role_play", "multi_prompt", "chunked_request")) {
      JsonObject p = new JsonObject().put("generator_id", "target-id").put("turns", new JsonArray().add("x"))
          .put("attacker_generator_id", "attacker-id");
      if (!type.equals("multi_prompt")) {
        p.remove("turns");
      }
      if (!type.equals("context_compliance") && !type.equals("role_play")) {
        p.remove("attacker_generator_id");
      }
      JsonObject valid = Orchestrators.catalog().validate(type, p);
      AttackKit bare = new AttackKit("e", new Part<>(TARGET, TARGET.identifier()),
          new Part<>(TARGET, TARGET.identifier()), List.of(), List.of(), null, valid, new JsonObject(),
          new JsonObject().put("__type__", type));
      Problem p400 = assertThrows(Problem.class, () -> build(bare), type);
      assertEquals(400, p400.status());
      assertTrue(p400.getMessage().contains("parameters.objective or parameters.dataset_id"), p400.getMessage());
    }
  }

  private static void assertBad(Supplier<?> action, String parameter) {
    Problem p = assertThrows(Problem.class, action::get, parameter);
    assertEquals(400, p.status(), p.getMessage());
    assertTrue(p.getMessage().contains("parameters." + parameter), p.getMessage());
  }
}
