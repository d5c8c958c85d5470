package dev.gauntlet.orchestrator;

import dev.gauntlet.generator.ChatMessage;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * Prompt Automatic Iterative Refinement (Chao et al., 2023): {@code streams} independent attacker
 * conversations run side by side. In each, for up to {@code iterations} rounds, the attacker writes
 * a candidate prompt (asked for {@code {"improvement", "prompt"}}, plain text tolerated), the
 * target answers it, the judge rates the answer 1–10, and the answer with its rating goes back to
 * the attacker. Every stream stops as soon as one reaches the objective (the objective scorer
 * says so). Each stream is one conversation of its own; its pieces carry {@code pair_stream},
 * {@code pair_iteration} and {@code pair_judge_score}.
 */
final class Pair implements Orchestration {

  private final AttackKit kit;
  private final int streams;
  private final int iterations;

  Pair(AttackKit kit) {
    this.kit = kit;
    this.streams = kit.intParam("streams", 3);
    this.iterations = kit.intParam("iterations", 3);
  }

  @Override
  public Future<PromptOutcome> run(int index, String objective) {
    Refinement r = new Refinement(kit, index, objective);
    List<Future<Void>> all = new ArrayList<>();
    for (int s = 1; s <= streams; s++) {
      all.add(stream(r, s, r.open(), Refinement.attackerStart(objective), 1));
    }
    return Future.join(all).transform(ignored -> Future.succeededFuture(r.outcome()));
  }

  private Future<Void> stream(Refinement r, int s, Transcript t, List<ChatMessage> attacker, int iteration) {
    if (iteration > iterations || r.reached) {
      return Future.succeededFuture();
    }
    return kit.attacker().value().send(List.copyOf(attacker)).compose(reply -> {
      AttackerAnswers.Candidate candidate = reply.ok() ? AttackerAnswers.candidate(reply.text()) : null;
      if (candidate == null) {
        r.failed("attacker", reply);
        return Future.succeededFuture();
      }
      if (r.reached) {
        return Future.<Void>succeededFuture();
      }
      attacker.add(ChatMessage.assistant(reply.text()));
      JsonObject meta = new JsonObject().put("pair_stream", s).put("pair_iteration", iteration)
          .put("attacker_format", candidate.json() ? "json" : "text");
      if (candidate.improvement() != null) {
        meta.put("pair_improvement", candidate.improvement());
      }
      return r.attempt(t, candidate.prompt(), meta, "pair_judge_score").compose(tried -> {
        attacker.add(ChatMessage.user(tried.response() == null
            ? "The target gave no answer (" + tried.note() + "). Try a different prompt. Answer with the JSON object only."
            : Refinement.feedback(r.objective, tried.response(), tried.rating(), tried.note())));
        return stream(r, s, t, attacker, iteration + 1);
      });
    }).otherwise(e -> {
      r.failed("attack_failed", "PAIR stream " + s + " failed: " + e.getMessage());
      return null;
    });
  }
}
