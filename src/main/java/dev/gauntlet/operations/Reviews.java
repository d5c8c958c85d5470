package dev.gauntlet.operations;

import dev.gauntlet.Problem;
import dev.gauntlet.auth.Caller;
import dev.gauntlet.memory.MemoryClient;
import dev.gauntlet.review.HumanVerdicts;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import static dev.gauntlet.operations.Args.page;

/**
 * Human review: a person's verdict on a result (kept beside the automatic scores; it wins in
 * every figure), a result as a reviewer sees it, the reviews of an execution, and the queue of
 * results to review next.
 */
final class Reviews {

  static final String PIECE_ID = "piece_id";

  private final MemoryClient memory;

  Reviews(MemoryClient memory) {
    this.memory = memory;
  }

  Future<JsonObject> set(Caller c, JsonObject a) {
    String verdict = HumanVerdicts.checked(Args.string(a, "verdict"));
    return memory.reviews(c.owner()).set(Args.string(a, PIECE_ID), verdict, Args.optional(a, "comment"));
  }

  Future<JsonObject> get(Caller c, JsonObject a) {
    return memory.reviews(c.owner()).get(Args.string(a, PIECE_ID));
  }

  /** The current reviews of an execution, or of everything when none is named. */
  Future<JsonObject> list(Caller c, JsonObject a) {
    JsonObject page = page(a, 50);
    return memory.reviews(c.owner()).list(Args.optional(a, "execution_id"), page.getInteger("offset"), page.getInteger("limit"));
  }

  Future<JsonObject> queue(Caller c, JsonObject a) {
    String source = a.getString("source", "sample");
    if (!java.util.List.of("sample", "disagreement", "unscored").contains(source)) {
      throw Problem.badRequest("invalid_parameter", "'source' must be one of sample, disagreement, unscored");
    }
    JsonObject page = page(a, 100);
    int size = Args.bounded(a, "size", 20, 1, 1000);
    String seed = a.getValue("seed") == null ? "" : String.valueOf(a.getValue("seed"));
    return memory.reviews(c.owner()).queue(source, Args.optional(a, "execution_id"), Args.optional(a, "scorer"), size, seed,
        Boolean.TRUE.equals(a.getValue("include_reviewed")), page.getInteger("offset"), page.getInteger("limit"));
  }
}
