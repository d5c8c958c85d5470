package dev.gauntlet.scorer;

import dev.gauntlet.Problem;
import dev.gauntlet.scorer.ScorerTesting.Context;
import dev.gauntlet.scorer.ScorerTesting.FakeJudge;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.gauntlet.scorer.ScorerTesting.assertBadRequest;
import static dev.gauntlet.scorer.ScorerTesting.failureOf;
import static dev.gauntlet.scorer.ScorerTesting.scoreOne;
import static dev.gauntlet.scorer.ScorerTesting.undeterminedReason;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CombinatorScorersTest {

  /** Members that see a response as "a", "b" and "c" are present: every combination of true and false. */
  private static Context members() {
    return new Context()
        .scorer("a", "substring", new JsonObject().put("substrings", new JsonArray().add("alpha")))
        .scorer("b", "substring", new JsonObject().put("substrings", new JsonArray().add("bravo")))
        .scorer("c", "regex", new JsonObject().put("pattern", "charlie"));
  }

  private static Scorer composite(Context ctx, String mode, String... ids) {
    return Scorers.create("composite", new JsonObject().put("mode", mode)
        .put("scorer_ids", new JsonArray(List.of((Object[]) ids))), ctx);
  }

  private static boolean judged(Scorer s, String response) {
    return scoreOne(s, response).success();
  }

  @Test
  void andIsTrueOnlyWhenEveryMemberSucceeds() {
    Scorer and = composite(members(), "and", "a", "b");
    assertTrue(judged(and, "alpha bravo"));
    assertFalse(judged(and, "alpha"));
    assertFalse(judged(and, "bravo"));
    assertFalse(judged(and, "nothing"));
  }

  @Test
  void orIsTrueWhenAnyMemberSucceeds() {
    Scorer or = composite(members(), "or", "a", "b");
    assertTrue(judged(or, "alpha bravo"));
    assertTrue(judged(or, "alpha"));
    assertTrue(judged(or, "bravo"));
    assertFalse(judged(or, "nothing"));
  }

  @Test
  void majorityNeedsMoreThanHalf() {
    Scorer three = composite(members(), "majority", "a", "b", "c");
    assertTrue(judged(three, "alpha bravo charlie"));
    assertTrue(judged(three, "alpha charlie"));
    assertFalse(judged(three, "bravo"));
    assertFalse(judged(three, "nothing"));
    Scorer two = composite(members(), "majority", "a", "b");
    assertFalse(judged(two, "alpha"), "a tie is not a majority");
  }

  @Test
  void compositeRationaleSummarisesEveryMember() {
    ScoreResult r = scoreOne(composite(members(), "or", "a", "b", "c"), "alpha");
    assertEquals("composite", r.category());
    assertTrue(r.rationale().startsWith("or: 1 of 3 scorers succeeded"), r.rationale());
    assertTrue(r.rationale().contains("'a'=true") && r.rationale().contains("'b'=false") && r.rationale().contains("'c'=false"),
        r.rationale());
    assertEquals("true", r.metadata().getJsonObject("members").getString("a"));
  }

  @Test
  void averageIsTheMeanOfMemberValuesAsAFloatScale() {
    Context ctx = members();
    ctx.scorer("harm", Scorers.create("likert", new JsonObject().put("generator_id", "judge"),
        ctx.generator("judge", FakeJudge.answering("{\"score_value\": \"2\"}", "{\"score_value\": \"5\"}"))));
    Scorer avg = composite(ctx, "average", "a", "b", "harm");
    ScoreResult low = scoreOne(avg, "alpha");             // 1, 0, 0.25
    assertEquals(ScoreResult.FLOAT_SCALE, low.type());
    assertEquals(0.4166666667, Double.parseDouble(low.value()), 1e-9);
    ScoreResult high = scoreOne(avg, "alpha bravo");      // 1, 1, 1.0
    assertEquals(1.0, Double.parseDouble(high.value()));
    assertTrue(high.success());
  }

  @Test
  void membersRunConcurrently() {
    List<Promise<List<ScoreResult>>> pending = new ArrayList<>();
    Scorer slow = input -> {
      Promise<List<ScoreResult>> p = Promise.promise();
      pending.add(p);
      return p.future();
    };
    Scorer composite = composite(new Context().scorer("x", slow).scorer("y", slow), "and", "x", "y");
    Future<List<ScoreResult>> result = composite.score(ScoreInput.of("r"));
    assertEquals(2, pending.size(), "both members asked before either answered");
    pending.forEach(p -> p.complete(List.of(ScoreResult.trueFalse(true, "c", "ok"))));
    assertTrue(ScorerTesting.await(result).get(0).success());
  }

  @Test
  void anUndeterminedMemberDecidesOnlyWhatItCouldChange() {
    Context ctx = members().generator("judge", FakeJudge.answering("nonsense"));
    ctx.scorer("judged", "self_ask_true_false", new JsonObject().put("generator_id", "judge").put("true_description", "leaks"));
    // 'a' is true on "alpha": an or is true whatever the judge would have said
    assertTrue(judged(composite(ctx, "or", "a", "judged"), "alpha"));
    // 'a' is false on "zulu": an and is false whatever the judge would have said
    ScoreResult and = scoreOne(composite(ctx, "and", "a", "judged"), "zulu");
    assertEquals("false", and.value());
    // but an and with 'a' true hangs on the judge: undetermined, naming it and why
    String why = undeterminedReason(composite(ctx, "and", "a", "judged"), ScoreInput.of("alpha"));
    assertTrue(why.contains("'judged'=undetermined"), why);
    assertTrue(why.contains("judge generator 'judge'"), why);
    undeterminedReason(composite(ctx, "average", "a", "judged"), ScoreInput.of("alpha"));
    assertTrue(undeterminedReason(Scorers.create("inverter", new JsonObject().put("scorer_id", "judged"), ctx), ScoreInput.of("x"))
        .contains("'judged'=undetermined"));
    assertTrue(undeterminedReason(Scorers.create("threshold", new JsonObject().put("scorer_id", "judged"), ctx), ScoreInput.of("x"))
        .contains("no value to compare"));
  }

  @Test
  void compositeNeedsTwoDistinctExistingMembers() {
    assertBadRequest(() -> composite(members(), "and", "a"), "at least 2");
    assertBadRequest(() -> composite(members(), "and", "a", "a"), "'a' twice");
    assertBadRequest(() -> composite(members(), "xor", "a", "b"), "parameters.mode");
    Problem missing = assertThrows(Problem.class, () -> composite(members(), "and", "a", "zulu"));
    assertEquals(404, missing.status());
  }

  @Test
  void inverterFlipsTrueFalse() {
    Scorer notA = Scorers.create("inverter", new JsonObject().put("scorer_id", "a"), members());
    ScoreResult r = scoreOne(notA, "alpha");
    assertFalse(r.success());
    assertEquals("substring", r.category());
    assertTrue(r.rationale().startsWith("inverted 'a'=true"), r.rationale());
    assertTrue(scoreOne(notA, "nothing").success());
  }

  @Test
  void inverterTurnsAFloatIntoOneMinusIt() {
    Context ctx = new Context().generator("judge", FakeJudge.answering("{\"score_value\": \"2\"}"));
    ctx.scorer("harm", "likert", new JsonObject().put("generator_id", "judge"));
    ScoreResult r = scoreOne(Scorers.create("inverter", new JsonObject().put("scorer_id", "harm").put("category", "safety"), ctx),
        "text");
    assertEquals(ScoreResult.FLOAT_SCALE, r.type());
    assertEquals("0.75", r.value());
    assertEquals("safety", r.category());
  }

  @Test
  void thresholdIsTrueAtOrAboveTheThreshold() {
    for (int level = 1; level <= 5; level++) {
      Context ctx = new Context().generator("judge", FakeJudge.answering("{\"score_value\": \"" + level + "\"}"));
      ctx.scorer("harm", "likert", new JsonObject().put("generator_id", "judge"));
      Scorer atLeastHalf = Scorers.create("threshold", new JsonObject().put("scorer_id", "harm").put("threshold", 0.5), ctx);
      ScoreResult r = scoreOne(atLeastHalf, "text");
      assertEquals(level >= 3, r.success(), "level " + level + ": " + r.rationale());
      assertEquals(ScoreResult.TRUE_FALSE, r.type());
      assertEquals("harm", r.category());
    }
  }

  @Test
  void thresholdDefaultsToHalfAndRefusesValuesOutsideTheUnitInterval() {
    Context ctx = members();
    assertTrue(judged(Scorers.create("threshold", new JsonObject().put("scorer_id", "a"), ctx), "alpha"));
    assertBadRequest(() -> Scorers.create("threshold", new JsonObject().put("scorer_id", "a").put("threshold", 1.5), ctx),
        "parameters.threshold");
  }

  @Test
  void combinatorOfACategoryScorerUsesItsFirstResult() {
    Scorer twoResults = input -> Future.succeededFuture(List.of(ScoreResult.trueFalse(true, "hate", "first"),
        ScoreResult.trueFalse(false, "violence", "second")));
    ScoreResult r = scoreOne(Scorers.create("inverter", new JsonObject().put("scorer_id", "cat"),
        new Context().scorer("cat", twoResults)), "x");
    assertFalse(r.success());
    assertEquals("hate", r.category());
  }
}
