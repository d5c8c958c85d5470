package dev.gauntlet.orchestrator;

import dev.gauntlet.Problem;
import dev.gauntlet.scorer.ScoreInput;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * Multi-prompt: a fixed script of user turns sent one after the other in one conversation, each
 * with the whole history, every answer scored. A turn's {@code {prompt}} or {@code {objective}}
 * is replaced by the dataset prompt (or the objective). With {@code stop_on_success} the script
 * stops at the first answer a scorer says the attack succeeded on.
 */
final class MultiPrompt implements Orchestration {

  /** Turns per conversation at most: each carries the whole history, so the requests grow with it. */
  static final int MAX_TURNS = 100;

  private final AttackKit kit;
  private final List<String> turns = new ArrayList<>();
  private final boolean stopOnSuccess;

  MultiPrompt(AttackKit kit) {
    Conversation.requireObjectiveOrDataset(kit);
    this.kit = kit;
    JsonArray given = kit.parameters().getJsonArray("turns");
    if (given == null || given.isEmpty()) {
      throw Problem.badRequest("invalid_parameter", "parameters.turns must hold at least one turn");
    }
    if (given.size() > MAX_TURNS) {
      throw Problem.badRequest("invalid_parameter", "parameters.turns holds " + given.size() + " turns, at most " + MAX_TURNS);
    }
    for (int i = 0; i < given.size(); i++) {
      String turn = given.getString(i);
      if (turn.isBlank()) {
        throw Problem.badRequest("invalid_parameter", "parameters.turns[" + i + "] is blank");
      }
      turns.add(turn);
    }
    this.stopOnSuccess = kit.parameters().getBoolean("stop_on_success", true);
  }

  /** The turn with its placeholders filled. */
  static String fill(String turn, String prompt) {
    // one pass, so a prompt that itself contains a placeholder is sent as it is
    return String.join(prompt, turn.replace("{objective}", "{prompt}").split("\\{prompt}", -1));
  }

  @Override
  public Future<PromptOutcome> run(int index, String prompt) {
    Conversation c = new Conversation(kit, index);
    return c.run(() -> next(c, 0, prompt));
  }

  private Future<Void> next(Conversation c, int i, String prompt) {
    if (i >= turns.size()) {
      return Future.succeededFuture();
    }
    String text = fill(turns.get(i), prompt);
    JsonObject meta = new JsonObject().put("turn", i + 1).put("turns", turns.size());
    return c.ask(text, text, meta)
        .compose(a -> c.score(a.piece(), new ScoreInput(a.text(), text, prompt)))
        .compose(succeeded -> succeeded && stopOnSuccess ? Future.succeededFuture() : next(c, i + 1, prompt));
  }
}
