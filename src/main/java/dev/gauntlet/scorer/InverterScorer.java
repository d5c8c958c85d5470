package dev.gauntlet.scorer;

import dev.gauntlet.catalog.Param;
import dev.gauntlet.catalog.ParamSchema;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.List;

/** Flips another scorer (PyRIT's TrueFalseInverterScorer): true becomes false, a float x becomes 1 - x; undetermined stays undetermined. */
final class InverterScorer implements Scorer {

  static final ParamSchema SCHEMA = ParamSchema.of(
      Param.reference("scorer_id", Param.Kind.SCORER_ID).required().describe("the scorer to invert"),
      Param.string("category").describe("score category recorded with each result; by default the member's"));

  private final Member member;
  private final String category;

  private InverterScorer(Member member, String category) {
    this.member = member;
    this.category = category;
  }

  static Scorer create(JsonObject p, ScorerContext context) {
    return new InverterScorer(Member.of(p, "scorer_id", context), p.getString("category"));
  }

  @Override
  public Future<List<ScoreResult>> score(ScoreInput input) {
    return member.first(input).map(r -> {
      String cat = category == null || category.isBlank() ? r.category() : category;
      String why = "inverted " + member.describe(r);
      if (r.undetermined()) {
        return List.of(ScoreResult.undetermined(r.type(), cat, why)); // nothing to invert
      }
      ScoreResult inverted = ScoreResult.TRUE_FALSE.equals(r.type())
          ? ScoreResult.trueFalse(!"true".equals(r.value()), cat, why)
          : ScoreResult.floatScale(Scorers.tidy(1 - r.asNumber()), cat, why);
      return List.of(inverted);
    });
  }
}
