package dev.gauntlet.orchestrator;

import dev.gauntlet.scorer.Scorer;
import dev.gauntlet.scorer.ScorerContext;
import dev.gauntlet.scorer.Scorers;
import io.vertx.core.json.JsonObject;

/** The built-in refusal detector Crescendo uses to decide when to back off. */
final class Refusals {

  private Refusals() {}

  static Scorer scorer() {
    var spec = Scorers.catalog().get("refusal");
    return spec.factory().create(spec.schema().validate(new JsonObject()), new ScorerContext() {
      @Override
      public dev.gauntlet.generator.Generator generator(String id) {
        throw new IllegalStateException("the refusal scorer uses no generator");
      }

      @Override
      public Scorer scorer(String id) {
        throw new IllegalStateException("the refusal scorer uses no other scorer");
      }
    });
  }
}
