package dev.gauntlet.orchestrator;

import dev.gauntlet.generator.ChatMessage;
import dev.gauntlet.memory.PieceBatch;
import dev.gauntlet.scorer.ScoreInput;
import dev.gauntlet.verdict.Outcomes;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Strategies that send each prompt once, perhaps wrapped or preceded by a priming turn:
 * prompt sending, many-shot and skeleton key. {@code frame} turns the dataset prompt into what
 * is sent; {@code priming} is an optional first turn in the same conversation.
 */
final class SingleTurn implements Orchestration {

  /** The error class of a prompt whose converter chain failed, so nothing was sent. */
  static final String CONVERTER_FAILED = "converter_failed";

  private final AttackKit kit;
  private final UnaryOperator<String> frame;
  private final String priming;

  SingleTurn(AttackKit kit, UnaryOperator<String> frame, String priming) {
    this.kit = kit;
    this.frame = frame;
    this.priming = priming;
  }

  @Override
  public Future<PromptOutcome> run(int index, String prompt) {
    return run(index, prompt, null);
  }

  @Override
  public Future<PromptOutcome> run(int index, String prompt, String ownSystemPrompt) {
    return run(index, prompt, ownSystemPrompt, null);
  }

  @Override
  public Future<PromptOutcome> run(int index, String prompt, String ownSystemPrompt, JsonArray tools) {
    Transcript t = new Transcript(index, kit);
    String system = ownSystemPrompt != null ? ownSystemPrompt : kit.param("system_prompt");
    // the prompt's own system prompt is evidence (what canary was planted): kept on its user piece
    JsonObject sentWith = ownSystemPrompt == null ? null : new JsonObject().put("system_prompt", ownSystemPrompt);
    List<ChatMessage> prefix = new ArrayList<>();
    if (system != null && !system.isBlank()) {
      prefix.add(ChatMessage.system(system));
    }
    Future<Boolean> primed = Future.succeededFuture(true);
    if (priming != null) {
      t.sent("user", priming, priming, null, new JsonObject().put("turn", "priming"));
      primed = kit.target().value().send(concat(prefix, t.history())).map(reply -> {
        // the reply to the priming turn is history: the answer to the prompt is what is judged and counted
        t.answered(reply, new JsonObject().put("turn", "priming").put(PieceBatch.NOT_AN_ANSWER, true));
        return reply.ok();
      });
    }
    String framed = frame.apply(prompt);
    return primed.compose(ok -> Steps.convert(kit, framed).compose(
        converted -> {
          t.sent("user", prompt, converted.text(), converted.identifiers(), sentWith);
          return kit.target().value().send(concat(prefix, t.history()), tools).compose(reply -> {
            var answer = t.answered(reply, null);
            if (!reply.ok()) {
              return Future.succeededFuture(t.outcome(Outcomes.decide(reply.error().value(), List.of(), null),
                  reply.error().value() + (reply.detail() == null ? "" : ": " + reply.detail())));
            }
            return Steps.score(t, answer, kit.scorers(), new ScoreInput(reply.text(), prompt, null, reply.toolCalls()))
                .map(s -> t.outcome(Outcomes.decide(Outcomes.NONE, s.verdicts(), s.reason()), s.reason()));
          });
        },
        conversionFailed -> Future.succeededFuture(t.outcome(Outcomes.decide(CONVERTER_FAILED, List.of(), null),
            "converter failed: " + conversionFailed.getMessage()))));
  }

  private static List<ChatMessage> concat(List<ChatMessage> a, List<ChatMessage> b) {
    if (a.isEmpty()) {
      return List.copyOf(b);
    }
    List<ChatMessage> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }
}
