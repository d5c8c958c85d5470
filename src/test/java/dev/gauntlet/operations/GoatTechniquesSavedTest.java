package dev.gauntlet.operations;

import dev.gauntlet.Problem;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A GOAT orchestrator's technique list is checked when it is saved (create and update), not first at launch. */
class GoatTechniquesSavedTest extends OperationsFixture {

  private String generator;
  private String scorer;

  private JsonObject goat(JsonArray techniques) {
    return value("goat", "goat", new JsonObject().put("generator_id", generator).put("attacker_generator_id", generator)
        .put("objective_scorer_id", scorer).put("objective", "get the secret").put("techniques", techniques));
  }

  @Test
  void anUnknownTechniqueIsA400NamingItOnCreateAndUpdate() {
    generator = id(run(alice, "generators.create", value("sim", "simulated", new JsonObject())));
    scorer = id(run(alice, "scorers.create", value("sure", "substring", new JsonObject().put("substrings", new JsonArray().add("Sure")))));

    Problem created = refusal(alice, "orchestrators.create", goat(new JsonArray().add("hypothetical").add("mind_control")));
    assertEquals(400, created.status());
    assertTrue(created.getMessage().contains("'mind_control'") && created.getMessage().contains("techniques"), created.getMessage());
    assertEquals(0, run(alice, "orchestrators.list", new JsonObject()).getJsonArray("items").size(), "nothing was saved");

    String saved = id(run(alice, "orchestrators.create", goat(new JsonArray().add("hypothetical")
        .add("code_switching: move between languages mid-request"))));
    Problem updated = refusal(alice, "orchestrators.update", goat(new JsonArray().add("telepathy")).put("id", saved));
    assertEquals(400, updated.status());
    assertTrue(updated.getMessage().contains("'telepathy'"), updated.getMessage());
    assertEquals(new JsonArray().add("hypothetical").add("code_switching: move between languages mid-request"),
        run(alice, "orchestrators.get", new JsonObject().put("id", saved)).getJsonObject("parameters").getJsonArray("techniques"),
        "the stored list is unchanged");
  }
}
