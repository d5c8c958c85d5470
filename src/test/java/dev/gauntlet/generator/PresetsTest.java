package dev.gauntlet.generator;

import dev.gauntlet.catalog.Param;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The provider presets fill forms with settings their generator type accepts, and say what the user must still type. */
class PresetsTest {

  @Test
  void everyProviderTheFormsOfferHasAPreset() {
    Set<String> ids = new HashSet<>();
    Presets.all().forEach(p -> assertTrue(ids.add(p.id()), "one preset per id: " + p.id()));
    assertEquals(Set.of("openai", "azure_openai", "anthropic_gateway", "ollama", "vllm", "lm_studio", "llama_cpp", "http", "simulated"), ids);
    assertNull(Presets.get("nope"));
  }

  @Test
  void aPresetsValuesAreValidForItsTypeAndItsEssentialsAreThatTypesParameters() {
    for (Presets.Preset p : Presets.all()) {
      var type = Generators.catalog().get(p.type());
      JsonObject valid = type.schema().validate(p.parameters());
      assertEquals(p.parameters().getValue("timeout_ms") == null ? 60_000 : p.parameters().getValue("timeout_ms"), valid.getValue("timeout_ms"));
      List<String> names = type.schema().params().stream().map(Param::name).toList();
      assertFalse(p.essentials().isEmpty(), p.id());
      p.essentials().forEach(e -> assertTrue(names.contains(e), p.id() + ": " + e + " is a parameter of " + p.type()));
      p.placeholders().fieldNames().forEach(f -> assertTrue(names.contains(f), p.id() + ": placeholder for " + f));
      assertFalse(p.description().isBlank(), p.id());
    }
  }

  @Test
  void eachProviderGetsItsOwnUrlShapeAuthAndLimits() {
    Presets.Preset azure = Presets.get("azure_openai");
    assertTrue(azure.parameters().getString("base_url").contains(".openai.azure.com/openai/deployments/"));
    assertTrue(azure.parameters().getString("base_url").contains("?api-version="), "Azure's version stays in the query");
    assertTrue(azure.parameters().getJsonObject("headers").containsKey("api-key"), "Azure takes its key in an api-key header");
    assertFalse(azure.essentials().contains("api_key"), "not as a bearer token");

    Presets.Preset ollama = Presets.get("ollama");
    assertEquals("http://127.0.0.1:11434/v1", ollama.parameters().getString("base_url"));
    assertEquals("none", ollama.auth());
    assertFalse(ollama.essentials().contains("api_key"), "a local server needs no key");
    assertTrue(ollama.parameters().getInteger("max_concurrency") <= 2, "one GPU: few requests at once");

    Presets.Preset openai = Presets.get("openai");
    assertEquals("https://api.openai.com/v1", openai.parameters().getString("base_url"));
    assertTrue(openai.essentials().contains("api_key"));
    assertEquals("openai_chat", Presets.get("anthropic_gateway").type());
    assertEquals("http", Presets.get("http").type());
    assertTrue(Presets.get("http").parameters().getString("body_template").contains("{{prompt}}"));
    assertEquals("simulated", Presets.get("simulated").type());
  }
}
