package dev.gauntlet.scorer;

import io.vertx.core.Future;

import java.util.List;

/**
 * Judges a response. Most scorers give one result; a category scorer may give one per
 * category. LLM-based scorers ask a generator; a judge that cannot answer fails the future.
 */
public interface Scorer {

  Future<List<ScoreResult>> score(ScoreInput input);
}
