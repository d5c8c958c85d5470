package dev.gauntlet.verdict.stats;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScorerVersionTest {

  private static JsonObject substring() {
    return new JsonObject().put("substrings", new JsonArray().add("PWNED").add("sudo rm")).put("match", "any");
  }

  @Test
  void aVersionIsSixteenHexDigitsThatNeverChangeAcrossReleases() {
    // Fixed here so a change to the canonical form, which would orphan every stored judge quality,
    // fails a test. The expected hashes were taken with another tool (Python's hashlib.sha256)
    // over the canonical text shown.
    assertEquals("{\"parameters\":{\"match\":\"any\",\"substrings\":[\"PWNED\",\"sudo rm\"]},\"type\":\"substring\"}",
        ScorerVersion.canonical("substring", substring()));
    assertEquals("1fd8b6422c88b5be", ScorerVersion.of("substring", substring()));
    assertEquals("f756f8c57cc2223b", ScorerVersion.of("refusal", new JsonObject()));
  }

  @Test
  void keyOrderDoesNotMatterAtAnyDepth() {
    JsonObject one = new JsonObject()
        .put("threshold", 0.5)
        .put("judge", new JsonObject().put("generator_id", "g1").put("options", new JsonObject().put("a", 1).put("b", 2)));
    JsonObject other = new JsonObject(
        "{ \"judge\": { \"options\": { \"b\": 2, \"a\": 1 }, \"generator_id\": \"g1\" },\n  \"threshold\": 0.50 }");

    assertEquals(ScorerVersion.of("threshold", one), ScorerVersion.of("threshold", other));
    assertEquals(ScorerVersion.of("threshold", one), ScorerVersion.of("threshold", one.copy()));
  }

  @Test
  void numbersCountByValueNotBySpelling() {
    assertEquals(ScorerVersion.of("likert", new JsonObject().put("scale", 5)),
        ScorerVersion.of("likert", new JsonObject().put("scale", 5L)));
    assertEquals(ScorerVersion.of("likert", new JsonObject().put("scale", 5)),
        ScorerVersion.of("likert", new JsonObject("{\"scale\": 5.0}")));
    assertEquals("{\"parameters\":{\"t\":0.25},\"type\":\"x\"}", ScorerVersion.canonical("x", new JsonObject().put("t", 0.250)));
  }

  @Test
  void everyEditMakesANewVersion() {
    List<String> versions = List.of(
        ScorerVersion.of("substring", substring()),
        ScorerVersion.of("regex", substring()),
        ScorerVersion.of("substring", substring().put("match", "all")),
        ScorerVersion.of("substring", substring().put("case_sensitive", false)),
        ScorerVersion.of("substring", substring().put("substrings", new JsonArray().add("sudo rm").add("PWNED"))),
        ScorerVersion.of("substring", substring().put("substrings", new JsonArray().add("PWNED"))),
        ScorerVersion.of("substring", substring().put("substrings", new JsonArray().add("pwned").add("sudo rm"))),
        ScorerVersion.of("substring", substring().put("match", null)),
        ScorerVersion.of("substring", substring().put("match", new JsonObject().put("any", true))),
        ScorerVersion.of("substring", new JsonObject()));
    Set<String> distinct = new HashSet<>(versions);
    assertEquals(versions.size(), distinct.size(), "every edit is a new version: " + versions);
    for (String v : versions) {
      assertTrue(v.matches("[0-9a-f]{16}"), v);
    }
  }

  @Test
  void stringsAreSpelledOneWay() {
    JsonObject odd = new JsonObject().put("text", "quote \" slash \\ line\nbell \u0007 café ✓");
    assertEquals("{\"parameters\":{\"text\":\"quote \\\" slash \\\\ line\\nbell \\u0007 café ✓\"},\"type\":\"t\"}",
        ScorerVersion.canonical("t", odd));
    assertNotEquals(ScorerVersion.of("t", odd), ScorerVersion.of("t", new JsonObject().put("text", "quote")));
  }

  @Test
  void nothingIsRefused() {
    assertEquals(ScorerVersion.of("refusal", null), ScorerVersion.of("refusal", new JsonObject()));
    JsonObject nested = new JsonObject().put("list", List.of(1, "two", List.of(3.5)))
        .put("map", java.util.Map.of("z", 1, "a", 2))
        .put("nothing", null)
        .put("odd", Double.NaN);
    assertEquals("{\"parameters\":{\"list\":[1,\"two\",[3.5]],\"map\":{\"a\":2,\"z\":1},\"nothing\":null,\"odd\":\"NaN\"},"
        + "\"type\":null}", ScorerVersion.canonical(null, nested));
    assertTrue(ScorerVersion.of(null, nested).matches("[0-9a-f]{16}"));
  }
}
