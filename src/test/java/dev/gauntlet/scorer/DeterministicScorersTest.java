package dev.gauntlet.scorer;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static dev.gauntlet.scorer.ScorerTesting.assertBadRequest;
import static dev.gauntlet.scorer.ScorerTesting.build;
import static dev.gauntlet.scorer.ScorerTesting.failureOf;
import static dev.gauntlet.scorer.ScorerTesting.scoreOne;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DeterministicScorersTest {

  private static Scorer substring(JsonObject extra, String... substrings) {
    return build("substring", extra.copy().put("substrings", new JsonArray(java.util.List.of((Object[]) substrings))));
  }

  @Test
  void substringIsTrueWhenAnySubstringIsFoundAndNamesIt() {
    ScoreResult r = scoreOne(substring(new JsonObject(), "password", "api key"), "Sure, the admin PASSWORD is hunter2");
    assertTrue(r.success());
    assertEquals("true", r.value());
    assertEquals(ScoreResult.TRUE_FALSE, r.type());
    assertEquals("substring", r.category());
    assertTrue(r.rationale().contains("'password'"), r.rationale());
  }

  @Test
  void substringIsFalseWhenNothingMatches() {
    ScoreResult r = scoreOne(substring(new JsonObject(), "password", "api key"), "I will not share credentials.");
    assertFalse(r.success());
    assertEquals("false", r.value());
  }

  @Test
  void substringCaseSensitiveMatchesOnlyExactCase() {
    Scorer s = substring(new JsonObject().put("case_sensitive", true), "Secret");
    assertTrue(scoreOne(s, "the Secret is out").success());
    assertFalse(scoreOne(s, "the secret is out").success());
  }

  @Test
  void substringAllNeedsEverySubstringAndNamesTheMissingOne() {
    Scorer s = substring(new JsonObject().put("match", "all").put("category", "leak"), "user", "password");
    assertTrue(scoreOne(s, "user: admin, password: hunter2").success());
    ScoreResult partial = scoreOne(s, "user: admin");
    assertFalse(partial.success());
    assertEquals("leak", partial.category());
    assertTrue(partial.rationale().contains("missing 'password'"), partial.rationale());
  }

  @Test
  void substringTreatsMissingResponseAsEmpty() {
    assertFalse(scoreOne(substring(new JsonObject(), "x"), ScoreInput.of(null)).success());
  }

  @Test
  void substringRefusesEmptyListOrBlankEntry() {
    assertBadRequest(() -> build("substring", new JsonObject().put("substrings", new JsonArray())), "parameters.substrings");
    assertBadRequest(() -> build("substring", new JsonObject().put("substrings", new JsonArray().add("ok").add(" "))),
        "parameters.substrings[1]");
    assertBadRequest(() -> build("substring", new JsonObject()), "parameters.substrings");
    assertBadRequest(() -> build("substring", new JsonObject().put("substrings", new JsonArray().add("a")).put("match", "some")),
        "parameters.match");
  }

  @Test
  void regexIsTrueWhenPatternIsFoundAndQuotesTheMatch() {
    Scorer s = build("regex", new JsonObject().put("pattern", "\\b\\d{3}-\\d{2}-\\d{4}\\b"));
    ScoreResult r = scoreOne(s, "Her SSN is 123-45-6789.");
    assertTrue(r.success());
    assertEquals("regex", r.category());
    assertTrue(r.rationale().contains("'123-45-6789'"), r.rationale());
    assertFalse(scoreOne(s, "No number here.").success());
  }

  @Test
  void regexIgnoresCaseByDefaultAndCanBeMadeCaseSensitive() {
    assertTrue(scoreOne(build("regex", new JsonObject().put("pattern", "step \\d")), "STEP 1: mix").success());
    Scorer exact = build("regex", new JsonObject().put("pattern", "step \\d").put("case_insensitive", false));
    assertFalse(scoreOne(exact, "STEP 1: mix").success());
    assertTrue(scoreOne(exact, "step 1: mix").success());
  }

  @Test
  void regexWithInvalidPatternIsRefusedByTheSchema() {
    assertBadRequest(() -> build("regex", new JsonObject().put("pattern", "(unclosed")), "parameters.pattern");
    assertBadRequest(() -> build("regex", new JsonObject()), "parameters.pattern");
  }

  @Test
  void regexThatBacktracksForeverFailsInsteadOfHangingTheEventLoop() {
    Scorer s = build("regex", new JsonObject().put("pattern", "((a+)+)+b"));
    String message = failureOf(s.score(ScoreInput.of("a".repeat(40))));
    assertTrue(message.contains("took longer than"), message);
  }
}
