package dev.gauntlet.generator;

import dev.gauntlet.Problem;
import dev.gauntlet.catalog.Param;
import dev.gauntlet.catalog.TypeSpec;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The generator types as /types serves them. */
class GeneratorCatalogTest {

  @Test
  void catalogOffersThreeTypesEachWithTheSharedResilienceSettings() {
    assertSame(Generators.catalog(), Generators.catalog());
    assertEquals(List.of("openai_chat", "http", "simulated"),
        Generators.catalog().all().stream().map(TypeSpec::name).toList());
    for (TypeSpec<GeneratorFactory> t : Generators.catalog().all()) {
      List<String> names = t.schema().params().stream().map(Param::name).toList();
      assertTrue(names.containsAll(List.of("max_concurrency", "requests_per_minute", "timeout_ms", "max_retries",
          "retry_backoff_ms", "max_response_bytes")), t.name() + ": " + names);
    }
    assertEquals("offline", Generators.catalog().get("simulated").category());
  }

  @Test
  void validationFillsDefaults() {
    JsonObject p = Generators.catalog().validate("simulated", new JsonObject());

    assertEquals("refuse_harmful", p.getString("mode"));
    assertEquals(16, p.getInteger("max_concurrency"));
    assertEquals(60_000, p.getInteger("timeout_ms"));
    assertEquals(3, p.getInteger("max_retries"));
    assertEquals(10_485_760, p.getInteger("max_response_bytes"));
    assertTrue(p.getJsonArray("refusal_cues").contains("bomb"));
  }

  @Test
  void outOfRangeConcurrencyIsRefusedNamingTheParameter() {
    Problem p = assertThrows(Problem.class, () -> Generators.catalog().validate("openai_chat",
        new JsonObject().put("base_url", "http://x/v1").put("model", "m").put("max_concurrency", 0)));

    assertTrue(p.getMessage().contains("max_concurrency"), p.getMessage());
  }

  @Test
  void secretParametersAreDeclaredAsSecrets() {
    var schema = Generators.catalog().get("openai_chat").schema().params();

    assertEquals(Param.Kind.SECRET, schema.stream().filter(p -> p.name().equals("api_key")).findFirst().orElseThrow().kind());
    assertEquals(Param.Kind.SECRET_MAP, schema.stream().filter(p -> p.name().equals("headers")).findFirst().orElseThrow().kind());
  }
}
