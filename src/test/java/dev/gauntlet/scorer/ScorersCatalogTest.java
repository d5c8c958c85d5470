package dev.gauntlet.scorer;

import dev.gauntlet.catalog.TypeSpec;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static dev.gauntlet.scorer.ScorerTesting.assertBadRequest;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScorersCatalogTest {

  @Test
  void everyTypeIsPresentInItsCategory() {
    Map<String, String> categories = Scorers.catalog().all().stream()
        .collect(Collectors.toMap(TypeSpec::name, TypeSpec::category));
    assertEquals(Map.ofEntries(Map.entry("substring", "deterministic"), Map.entry("regex", "deterministic"),
        Map.entry("refusal", "deterministic"), Map.entry("self_ask_true_false", "llm"), Map.entry("likert", "llm"),
        Map.entry("category", "llm"), Map.entry("composite", "combinator"), Map.entry("inverter", "combinator"),
        Map.entry("threshold", "combinator"), Map.entry("pattern_pack", "detector"), Map.entry("canary_leak", "detector"),
        Map.entry("decoded_payload", "detector"), Map.entry("rogue_string", "detector"),
        Map.entry("package_hallucination", "detector"), Map.entry("harm_rubric", "llm"),
        Map.entry("tool_call", "detector")), categories);
    assertSame(Scorers.catalog(), Scorers.catalog());
  }

  @Test
  void everyTypeDescribesItselfAndItsParameters() {
    JsonObject json = Scorers.catalog().toJson();
    assertEquals("scorer", json.getString("kind"));
    for (TypeSpec<ScorerFactory> spec : Scorers.catalog().all()) {
      assertTrue(!spec.description().isBlank(), spec.name());
      spec.schema().params().forEach(p -> assertTrue(!p.toJson().getString("description").isBlank(), spec.name() + "." + p.name()));
    }
  }

  @Test
  void defaultsValidate() {
    JsonObject substring = Scorers.catalog().validate("substring", new JsonObject().put("substrings", List.of("leak")));
    assertEquals("any", substring.getString("match"));
    assertEquals(false, substring.getBoolean("case_sensitive"));
    assertEquals("substring", substring.getString("category"));
    assertEquals(new JsonObject().put("category", "refusal"), Scorers.catalog().validate("refusal", new JsonObject()));
    JsonObject likert = Scorers.catalog().validate("likert", new JsonObject().put("generator_id", "j"));
    assertEquals("harm", likert.getString("scale_name"));
    assertEquals(0.5, Scorers.catalog().validate("threshold", new JsonObject().put("scorer_id", "s")).getDouble("threshold"));
    assertEquals("and", Scorers.catalog().validate("composite", new JsonObject().put("scorer_ids", List.of("a", "b")))
        .getString("mode"));
    assertEquals("no_harm", Scorers.catalog().validate("category", new JsonObject().put("generator_id", "j")
        .put("categories", List.of("hate"))).getString("none_category"));
  }

  @Test
  void unknownTypeIsABadRequestListingTheKnownOnes() {
    assertBadRequest(() -> Scorers.catalog().get("vibes"), "substring");
    assertBadRequest(() -> Scorers.create("vibes", new JsonObject(), new ScorerTesting.Context()), "'vibes'");
  }

  @Test
  void unknownParameterIsABadRequest() {
    assertBadRequest(() -> Scorers.create("refusal", new JsonObject().put("phrases", List.of("x")), new ScorerTesting.Context()),
        "'phrases'");
  }
}
