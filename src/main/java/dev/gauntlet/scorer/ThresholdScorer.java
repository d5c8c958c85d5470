package dev.gauntlet.scorer;

import dev.gauntlet.catalog.Param;
import dev.gauntlet.catalog.ParamSchema;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.List;

/** True when another scorer's value (a float, or 1/0 for true/false) is at least the threshold; undetermined when that scorer's is. */
final class ThresholdScorer implements Scorer {

  static final ParamSchema SCHEMA = ParamSchema.of(
      Param.reference("scorer_id", Param.Kind.SCORER_ID).required().describe("the scorer whose value is compared"),
      Param.number("threshold").min(0).max(1).defaultValue(0.5).describe("the value at or above which the result is true"),
      Param.string("category").describe("score category recorded with each result; by default the member's"));

  private final Member member;
  private final double threshold;
  private final String category;

  private ThresholdScorer(Member member, double threshold, String category) {
    this.member = member;
    this.threshold = threshold;
    this.category = category;
  }

  static Scorer create(JsonObject p, ScorerContext context) {
    return new ThresholdScorer(Member.of(p, "scorer_id", context), p.getDouble("threshold"), p.getString("category"));
  }

  @Override
  public Future<List<ScoreResult>> score(ScoreInput input) {
    return member.first(input).map(r -> {
      String cat = category == null || category.isBlank() ? r.category() : category;
      if (r.undetermined()) {
        return List.of(ScoreResult.undetermined(ScoreResult.TRUE_FALSE, cat, "no value to compare: " + member.describe(r)));
      }
      double value = r.asNumber();
      boolean reached = value >= threshold;
      String why = value + (reached ? " reaches " : " is below ") + "the threshold " + threshold + ": " + member.describe(r);
      return List.of(new ScoreResult(Boolean.toString(reached), ScoreResult.TRUE_FALSE, cat, why, null,
          new JsonObject().put("value", value).put("threshold", threshold)));
    });
  }
}
