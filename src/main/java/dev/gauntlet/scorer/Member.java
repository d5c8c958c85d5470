package dev.gauntlet.scorer;

import dev.gauntlet.Problem;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.List;

/** A scorer a combinator builds on, resolved by id when the combinator is created; {@code name} is what rationales call it. */
record Member(String id, String name, Scorer scorer) {

  static Member of(String id, ScorerContext context) {
    if (id == null || id.isBlank()) {
      throw Problem.badRequest("invalid_parameter", "a member scorer id must not be blank");
    }
    return new Member(id, context.scorerName(id), context.scorer(id));
  }

  static Member of(JsonObject params, String name, ScorerContext context) {
    return of(params.getString(name), context);
  }

  /**
   * The member's first result (a category scorer may give several). A member that fails or gives
   * nothing is undetermined, its reason naming the member, so a combinator can propagate it.
   */
  Future<ScoreResult> first(ScoreInput input) {
    Future<List<ScoreResult>> scored;
    try {
      scored = scorer.score(input);
    } catch (RuntimeException e) {
      scored = Future.failedFuture(e);
    }
    return scored.transform(ar -> {
      if (ar.failed()) {
        return Future.succeededFuture(ScoreResult.undetermined(ScoreResult.TRUE_FALSE, null,
            "scorer '" + name + "' failed: " + ar.cause().getMessage()));
      }
      if (ar.result() == null || ar.result().isEmpty()) {
        return Future.succeededFuture(ScoreResult.undetermined(ScoreResult.TRUE_FALSE, null, "scorer '" + name + "' gave no result"));
      }
      return Future.succeededFuture(ar.result().get(0));
    });
  }

  /** How a member's result reads in a combinator's rationale: {@code 'leak'=true (found 'password')}. */
  String describe(ScoreResult r) {
    String why = r.rationale() == null || r.rationale().isBlank() ? "" : " (" + Scorers.shorten(r.rationale(), 120) + ")";
    return "'" + name + "'=" + (r.undetermined() ? "undetermined" : r.value()) + why;
  }
}
