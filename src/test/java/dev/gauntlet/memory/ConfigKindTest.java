package dev.gauntlet.memory;

import dev.gauntlet.Problem;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigKindTest {

  private static void assertRefused(ConfigKind kind, JsonObject body, String field) {
    Problem p = assertThrows(Problem.class, () -> kind.validate(body));
    assertEquals(400, p.status());
    assertTrue(p.getMessage().contains(field), "'" + p.getMessage() + "' should name " + field);
  }

  @Test
  void generatorBodyIsNormalizedToNameTypeParameters() {
    JsonObject params = new JsonObject().put("model", "gpt-4o").put("temperature", 0.2);
    JsonObject out = ConfigKind.GENERATORS.validate(new JsonObject().put("name", "gpt").put("type", "openai_chat")
        .put("parameters", params).put("id", "caller-chosen").put("owner", "mallory"));
    assertEquals(new JsonObject().put("name", "gpt").put("type", "openai_chat").put("parameters", params), out);
  }

  @Test
  void missingParametersBecomeEmptyObject() {
    JsonObject out = ConfigKind.SCORERS.validate(new JsonObject().put("name", "refusal").put("type", "substring"));
    assertEquals(new JsonObject(), out.getJsonObject("parameters"));
  }

  @Test
  void datasetBodyIsNormalizedWithDefaultHarmCategories() {
    JsonObject out = ConfigKind.DATASETS.validate(new JsonObject().put("name", "jailbreaks").put("description", "d")
        .put("type", "ignored")
        .put("prompts", new JsonArray()
            .add(new JsonObject().put("value", "p1").put("harm_categories", new JsonArray().add("violence")).put("extra", 1))
            .add(new JsonObject().put("value", "p2"))));
    assertEquals(new JsonObject().put("name", "jailbreaks").put("description", "d").put("prompts", new JsonArray()
        .add(new JsonObject().put("value", "p1").put("harm_categories", new JsonArray().add("violence")))
        .add(new JsonObject().put("value", "p2").put("harm_categories", new JsonArray()))), out);
  }

  @Test
  void missingOrBlankNameIsRefused() {
    for (ConfigKind kind : ConfigKind.values()) {
      assertRefused(kind, new JsonObject().put("type", "t").put("prompts", new JsonArray()), "'name'");
      assertRefused(kind, new JsonObject().put("name", "  ").put("type", "t").put("prompts", new JsonArray()), "'name'");
    }
  }

  @Test
  void overlongNameIsRefused() {
    assertRefused(ConfigKind.CONVERTERS, new JsonObject().put("name", "n".repeat(ConfigKind.MAX_NAME + 1)).put("type", "t"), "'name'");
  }

  @Test
  void missingTypeIsRefused() {
    assertRefused(ConfigKind.GENERATORS, new JsonObject().put("name", "g"), "'type'");
    assertRefused(ConfigKind.ORCHESTRATORS, new JsonObject().put("name", "o").put("type", 5), "'type'");
  }

  @Test
  void nonObjectParametersAreRefused() {
    assertRefused(ConfigKind.GENERATORS, new JsonObject().put("name", "g").put("type", "t")
        .put("parameters", new JsonArray().add(1)), "'parameters'");
    assertRefused(ConfigKind.GENERATORS, new JsonObject().put("name", "g").put("type", "t")
        .put("parameters", "model=x"), "'parameters'");
  }

  @Test
  void datasetWithoutPromptsArrayIsRefused() {
    assertRefused(ConfigKind.DATASETS, new JsonObject().put("name", "d"), "'prompts'");
    assertRefused(ConfigKind.DATASETS, new JsonObject().put("name", "d").put("prompts", "p"), "'prompts'");
  }

  @Test
  void datasetPromptMissingValueIsRefusedNamingIndex() {
    assertRefused(ConfigKind.DATASETS, new JsonObject().put("name", "d").put("prompts", new JsonArray()
        .add(new JsonObject().put("value", "ok")).add(new JsonObject().put("harm_categories", new JsonArray()))),
        "prompts[1].value");
    assertRefused(ConfigKind.DATASETS, new JsonObject().put("name", "d").put("prompts", new JsonArray()
        .add(new JsonObject().put("value", ""))), "prompts[0].value");
    assertRefused(ConfigKind.DATASETS, new JsonObject().put("name", "d").put("prompts", new JsonArray().add("bare")),
        "prompts[0]");
  }

  @Test
  void datasetPromptWithBadHarmCategoriesIsRefusedNamingIndex() {
    assertRefused(ConfigKind.DATASETS, new JsonObject().put("name", "d").put("prompts", new JsonArray()
        .add(new JsonObject().put("value", "p").put("harm_categories", "violence"))), "prompts[0].harm_categories");
    assertRefused(ConfigKind.DATASETS, new JsonObject().put("name", "d").put("prompts", new JsonArray()
        .add(new JsonObject().put("value", "p"))
        .add(new JsonObject().put("value", "q").put("harm_categories", new JsonArray().add(7)))), "prompts[1].harm_categories");
  }

  @Test
  void nonStringDescriptionIsRefused() {
    assertRefused(ConfigKind.DATASETS, new JsonObject().put("name", "d").put("description", 3)
        .put("prompts", new JsonArray()), "'description'");
  }

  @Test
  void kindsAreFoundByTableName() {
    assertEquals(ConfigKind.DATASETS, ConfigKind.byTable("datasets").orElseThrow());
    assertTrue(ConfigKind.byTable("users").isEmpty());
  }
}
