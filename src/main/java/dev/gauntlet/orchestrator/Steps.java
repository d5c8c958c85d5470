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
   * that fails outright (a bug, a pattern over its time budget) is recorded as an undetermined
   * score carrying its message, like a judge that could not answer, so the prompt is never
   * counted as held for want of a verdict. Completes with every score's verdict (TRUE attack
   * succeeded, FALSE held, null undetermined), whether each scorer (in the order given) said the
   * attack succeeded, and the undetermined scores' reasons.
   */
  static Future<Scored> score(Transcript t, UUID pieceId, List<Part<Scorer>> scorers, ScoreInput input) {
    if (scorers.isEmpty()) {
      return Future.succeededFuture(new Scored(List.of(), List.of(), null));
    }
    List<Future<List<ScoreResult>>> all = new ArrayList<>();
    for (Part<Scorer> s : scorers) {
      Future<List<ScoreResult>> f;
      try {
        f = s.value().score(input);
      } catch (RuntimeException e) {
        f = Future.failedFuture(e);
      }
      all.add(f);
    }
    return Future.join(all).transform(ignored -> {
      List<Boolean> verdicts = new ArrayList<>();
      List<Boolean> each = new ArrayList<>();
      List<String> reasons = new ArrayList<>();
      for (int i = 0; i < scorers.size(); i++) {
        Future<List<ScoreResult>> f = all.get(i);
        String name = scorers.get(i).identifier().getString("name", "?");
        List<ScoreResult> results = f.succeeded() && f.result() != null && !f.result().isEmpty() ? f.result()
            : List.of(ScoreResult.undetermined(ScoreResult.TRUE_FALSE, null, f.failed()
                ? "scorer failed: " + f.cause().getMessage() : "scorer gave no result"));
        boolean says = false;
        for (ScoreResult r : results) {
          t.score(pieceId, scorers.get(i), r, input.objective());
          verdicts.add(r.verdict());
          says |= r.success();
          if (r.undetermined()) {
            reasons.add("scorer " + name + ": " + r.rationale());
          }
        }
        each.add(says);
      }
      return Future.succeededFuture(new Scored(verdicts, each, reasons.isEmpty() ? null : String.join("; ", reasons)));
    });
  }

  /**
   * {@code verdicts}: every score's verdict; {@code each}: whether each scorer, in order, said the
   * attack succeeded; {@code reason}: why scores were undetermined, or null.
   */
  record Scored(List<Boolean> verdicts, List<Boolean> each, String reason) {}
}
