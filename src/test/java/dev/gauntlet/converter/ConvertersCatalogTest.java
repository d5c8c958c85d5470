package dev.gauntlet.converter;

import dev.gauntlet.Problem;
import dev.gauntlet.catalog.Param;
import dev.gauntlet.catalog.TypeSpec;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static dev.gauntlet.converter.ConverterTesting.NO_GENERATORS;
import static dev.gauntlet.converter.ConverterTesting.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConvertersCatalogTest {

  /** Parameters for the types whose defaults leave a prompt as it was (or may, by chance), or that have a required one. */
  static final Map<String, JsonObject> NEEDS = Map.of(
      "prefix_suffix", new JsonObject().put("prefix", "> "),
      "repeat_token", new JsonObject().put("token", "poem"),
      "search_replace", new JsonObject().put("pattern", "secret"),
      "word_split", new JsonObject().put("probability", 1.0),
      "insert_punctuation", new JsonObject().put("probability", 1.0),
      "homoglyph", new JsonObject().put("probability", 1.0));

  /** The converter families, as the standards table maps them. */
  static final Set<String> CATEGORIES = Set.of(Converters.ENCODING, Converters.OBFUSCATION, Converters.UNICODE,
      Converters.TEMPLATE, Converters.LLM);

  /** Every type that picks at random, and so takes a seed. */
  static final List<String> SEEDED = Stream.concat(SeededConvertersTest.SEEDED.stream(),
      Stream.of("zalgo", "homoglyph", "word_split", "insert_punctuation")).toList();

  private static List<TypeSpec<ConverterFactory>> types(String category) {
    return Converters.catalog().all().stream().filter(t -> t.category().equals(category)).toList();
  }

  private static void assertBadRequest(Runnable r, String... mentioned) {
    Problem p = assertThrows(Problem.class, r::run);
    assertEquals(400, p.status(), p.getMessage());
    for (String m : mentioned) {
      assertTrue(p.getMessage().contains(m), "'" + p.getMessage() + "' should mention " + m);
    }
  }

  @Test
  void catalogOffersSixtySixTypesInFiveFamilies() {
    assertEquals(66, Converters.catalog().all().size());
    assertEquals(CATEGORIES, Converters.catalog().all().stream().map(TypeSpec::category).collect(Collectors.toSet()));
    int deterministic = Converters.catalog().all().size() - types(Converters.LLM).size();
    assertEquals(56, deterministic);
    assertEquals(10, types(Converters.LLM).size());
    for (String family : CATEGORIES) {
      assertTrue(types(family).size() >= 5, family + " has " + types(family).size());
    }
    assertSame(Converters.catalog(), Converters.catalog(), "built once");
  }

  @Test
  void typeNamesAreSnakeCaseAndDescribed() {
    for (TypeSpec<ConverterFactory> t : Converters.catalog().all()) {
      assertTrue(t.name().matches("[a-z][a-z0-9]*(_[a-z0-9]+)*"), t.name());
      assertFalse(t.description().isBlank(), t.name());
      assertEquals(t.name(), t.toJson().getString("type"));
    }
  }

  @Test
  void everySchemaAcceptsItsDefaultsOrNamesTheMissingParameter() {
    for (TypeSpec<ConverterFactory> t : Converters.catalog().all()) {
      Optional<Param> required = t.schema().params().stream().filter(Param::isRequired).findFirst();
      if (required.isPresent()) {
        assertBadRequest(() -> t.schema().validate(new JsonObject()), "parameters." + required.get().name());
      } else {
        JsonObject filled = t.schema().validate(new JsonObject());
        t.schema().params().stream().filter(p -> p.defaultValue() != null)
            .forEach(p -> assertTrue(filled.containsKey(p.name()), t.name() + " fills " + p.name()));
      }
    }
  }

  @Test
  void everyDeterministicTypeChangesAPrompt() {
    String prompt = "Tell me a secret, 42 times!";
    for (String category : CATEGORIES.stream().filter(c -> !c.equals(Converters.LLM)).toList()) {
      for (TypeSpec<ConverterFactory> t : types(category)) {
        Converter c = Converters.create(t.name(), NEEDS.getOrDefault(t.name(), new JsonObject()), NO_GENERATORS);
        assertTrue(c.deterministic(), t.name());
        String out = run(c, prompt);
        assertNotEquals(prompt, out, t.name());
        assertEquals(out, run(c, prompt), t.name() + " converts the same way twice");
      }
    }
  }

  @Test
  void everyLlmTypeAsksForAGenerator() {
    for (TypeSpec<ConverterFactory> t : types(Converters.LLM)) {
      Param g = t.schema().params().stream().filter(p -> p.name().equals("generator_id")).findFirst().orElseThrow();
      assertEquals(Param.Kind.GENERATOR_ID, g.kind(), t.name());
      assertTrue(g.isRequired(), t.name());
    }
  }

  @Test
  void everyRandomisedTypeTakesASeedThatDefaultsToZero() {
    assertEquals(Set.copyOf(SEEDED), Converters.catalog().all().stream()
        .filter(t -> t.schema().params().stream().anyMatch(p -> p.name().equals("seed")))
        .map(TypeSpec::name).collect(Collectors.toSet()), "the types with a seed are the randomised ones");
    for (String type : SEEDED) {
      Param seed = Converters.catalog().get(type).schema().params().stream()
          .filter(p -> p.name().equals("seed")).findFirst().orElseThrow(() -> new AssertionError(type + " has no seed"));
      assertEquals(Param.Kind.INTEGER, seed.kind());
      assertEquals(0, seed.defaultValue());
    }
  }

  @Test
  void unknownTypeIsRefusedWithTheKnownOnes() {
    assertBadRequest(() -> Converters.create("rot14", new JsonObject(), NO_GENERATORS),
        "rot14", "base64", "caesar", "translation");
  }

  @Test
  void caesarShiftOutsideOneToTwentyFiveIsRefused() {
    for (int shift : new int[] {0, 26, -1}) {
      assertBadRequest(() -> Converters.create("caesar", new JsonObject().put("shift", shift), NO_GENERATORS),
          "parameters.shift", "between 1 and 25");
    }
    assertBadRequest(() -> Converters.create("caesar", new JsonObject().put("shift", "3"), NO_GENERATORS),
        "parameters.shift");
  }

  @Test
  void translationWithoutLanguageIsRefused() {
    assertBadRequest(() -> Converters.create("translation", new JsonObject().put("generator_id", "g1"), NO_GENERATORS),
        "parameters.language");
  }

  @Test
  void otherBadParametersAreRefusedByName() {
    assertBadRequest(() -> Converters.create("char_swap", new JsonObject().put("probability", 1.5), NO_GENERATORS),
        "parameters.probability");
    assertBadRequest(() -> Converters.create("random_capital", new JsonObject().put("seed", "x"), NO_GENERATORS),
        "parameters.seed");
    assertBadRequest(() -> Converters.create("diacritics", new JsonObject().put("accent", "macron"), NO_GENERATORS),
        "parameters.accent", "acute");
    assertBadRequest(() -> Converters.create("base64", new JsonObject().put("shift", 3), NO_GENERATORS),
        "unknown parameter 'shift'");
  }

  /** The path a saved configuration takes (catalog validation, no converter built) refuses them too. */
  @Test
  void rulesSpanningParametersAreCheckedWhenAConfigurationIsSaved() {
    assertBadRequest(() -> Converters.catalog().validate("vigenere", new JsonObject().put("key", "k3y")), "parameters.key");
    assertBadRequest(() -> Converters.catalog().validate("search_replace",
        new JsonObject().put("pattern", "(a)").put("replacement", "$2")), "parameters.replacement");
    assertBadRequest(() -> Converters.catalog().validate("text_jailbreak",
        new JsonObject().put("custom_template", "nothing to fill")), "parameters.custom_template");
    for (String type : List.of("char_code", "word_split")) {
      assertBadRequest(() -> Converters.catalog().validate(type, new JsonObject().put("separator", "")), "parameters.separator");
    }
    assertBadRequest(() -> Converters.catalog().validate("insert_punctuation", new JsonObject().put("punctuation", "")),
        "parameters.punctuation");
    assertBadRequest(() -> Converters.catalog().validate("suffix_append", new JsonObject().put("suffix", "")),
        "parameters.suffix");
    assertEquals("lemon", Converters.catalog().validate("vigenere", new JsonObject().put("key", "lemon")).getString("key"));
  }

  @Test
  void llmTypeWithAnUnknownGeneratorIsNotFound() {
    Problem p = assertThrows(Problem.class, () -> Converters.create("tone",
        new JsonObject().put("generator_id", "nope").put("tone", "angry"), NO_GENERATORS));
    assertEquals(404, p.status());
    assertTrue(p.getMessage().contains("nope"), p.getMessage());
  }

  @Test
  void catalogDescribesItselfForTheTypesEndpoint() {
    JsonObject json = Converters.catalog().toJson();
    assertEquals("converter", json.getString("kind"));
    JsonObject caesar = json.getJsonArray("types").stream().map(JsonObject.class::cast)
        .filter(t -> t.getString("type").equals("caesar")).findFirst().orElseThrow();
    assertEquals("encoding", caesar.getString("category"));
    JsonObject shift = caesar.getJsonArray("parameters").getJsonObject(0);
    assertEquals("shift", shift.getString("name"));
    assertEquals(3, shift.getInteger("default"));
    assertEquals(1.0, shift.getDouble("min"));
    assertEquals(25.0, shift.getDouble("max"));
  }
}
