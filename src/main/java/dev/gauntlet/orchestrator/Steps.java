package dev.gauntlet.orchestrator;

import dev.gauntlet.converter.Converter;
import dev.gauntlet.scorer.ScoreInput;
import dev.gauntlet.scorer.ScoreResult;
import dev.gauntlet.scorer.Scorer;
import io.vertx.core.Future;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** The steps strategies share: converting a prompt through the chain, and scoring an answer. */
final class Steps {

  /** A converted prompt with its chain's identifiers, encoded ({@code converter_identifiers}). */
  record Converted(String text, String identifiers) {}

  private Steps() {}

  /** Applies the kit's converters in order. */
  static Future<Converted> convert(AttackKit kit, String prompt) {
    Future<String> text = Future.succeededFuture(prompt);
    for (Part<Converter> c : kit.converters()) {
      text = text.compose(t -> c.value().convert(t));
    }
    return text.map(t -> new Converted(t, kit.converterIdentifiersJson()));
  }

  /**
   * Runs every scorer on an answer and records the results against the answer's piece. A scorer
   * that fails (an unparsable judge, say) adds no score; its message is returned so the prompt's
   * outcome can carry it. Completes with whether any score marked the attack a success, and
   * which scorers did (in the order given).
   */
  static Future<Scored> score(Transcript t, UUID pieceId, List<Part<Scorer>> scorers, ScoreInput input) {
    if (scorers.isEmpty()) {
      return Future.succeededFuture(new Scored(false, List.of(), null));
    }
    List<Future<List<ScoreResult>>> all = new ArrayList<>();
    for (Part<Scorer> s : scorers) {
      all.add(s.value().score(input));
    }
    return Future.join(all).transform(ignored -> {
      boolean success = false;
      List<Boolean> each = new ArrayList<>();
      List<String> errors = new ArrayList<>();
      for (int i = 0; i < scorers.size(); i++) {
        Future<List<ScoreResult>> f = all.get(i);
        boolean says = false;
        if (f.succeeded()) {
          for (ScoreResult r : f.result()) {
            t.score(pieceId, scorers.get(i), r, input.objective());
            says |= r.success();
          }
        }
        each.add(says);
        success |= says;
        if (f.failed()) {
          errors.add("scorer " + scorers.get(i).identifier().getString("name", "?") + ": " + f.cause().getMessage());
        }
      }
      return Future.succeededFuture(new Scored(success, each, errors.isEmpty() ? null : String.join("; ", errors)));
    });
  }

  /** {@code each}: whether each scorer, in order, said the attack succeeded. */
  record Scored(boolean success, List<Boolean> each, String error) {}
}
