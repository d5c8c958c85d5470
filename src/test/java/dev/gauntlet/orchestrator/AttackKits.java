package dev.gauntlet.orchestrator;

import dev.gauntlet.Problem;
import dev.gauntlet.memory.PieceBatch;
import dev.gauntlet.scorer.Scorer;
import dev.gauntlet.scorer.ScorerContext;
import dev.gauntlet.scorer.Scorers;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What the attacker-led strategies' tests share: a kit of fake models (target, attacker, an
 * optional evaluator) and a real substring scorer as the objective scorer, built through the
 * catalog as a run builds it, and ways to read the conversations a strategy wrote.
 */
final class AttackKits {

  static final String EXECUTION = "exec-llm";

  private AttackKits() {}

  static AttackKit kit(String type, JsonObject params, FakeModel target, FakeModel attacker, FakeModel evaluator,
                       String objectiveSubstring) {
    JsonObject given = params.copy().put("generator_id", "target-id").put("attacker_generator_id", "attacker-id")
        .put("objective_scorer_id", "objective-id");
    if (evaluator != null) {
      given.put("evaluator_generator_id", "evaluator-id");
    }
    JsonObject valid = Orchestrators.catalog().validate(type, given);
    JsonObject orchestrator = new JsonObject().put("__type__", type).put("__module__", "gauntlet.orchestrator")
        .put("id", "orch-llm").put("execution_id", EXECUTION);
    return new AttackKit(EXECUTION, new Part<>(target, target.identifier()), new Part<>(attacker, attacker.identifier()),
        List.of(), List.of(), substring(objectiveSubstring), valid, new JsonObject().put("execution_id", EXECUTION),
        orchestrator, evaluator == null ? null : new Part<>(evaluator, evaluator.identifier()));
  }

  static Part<Scorer> substring(String text) {
    Scorer s = Scorers.create("substring", new JsonObject().put("substrings", new JsonArray().add(text)), new ScorerContext() {
      @Override
      public dev.gauntlet.generator.Generator generator(String id) {
        throw Problem.notFound("generator", id);
      }

      @Override
      public Scorer scorer(String id) {
        throw Problem.notFound("scorer", id);
      }
    });
    return new Part<>(s, new JsonObject().put("__type__", "substring").put("__module__", "gauntlet.scorer").put("id", "objective-id"));
  }

  static PromptOutcome run(AttackKit kit, int index, String objective) {
    Orchestration o = Orchestrators.catalog().get(kit.orchestratorIdentifier().getString("__type__")).factory().create(kit);
    try {
      return o.run(index, objective).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("the strategy did not complete: " + e, e);
    }
  }

  /** The pieces of each conversation, in the order the conversations were first written. */
  static Map<String, List<PieceBatch.Piece>> conversations(PromptOutcome o) {
    Map<String, List<PieceBatch.Piece>> out = new LinkedHashMap<>();
    for (PieceBatch.Piece p : o.pieces()) {
      out.computeIfAbsent(p.conversationId(), k -> new java.util.ArrayList<>()).add(p);
    }
    return out;
  }

  static JsonObject meta(PieceBatch.Piece p) {
    return new JsonObject(p.promptMetadata());
  }

  /** The message of the system prompt a fake evaluator was asked with: tells a judge from an on-topic check. */
  static boolean isOnTopicCheck(List<dev.gauntlet.generator.ChatMessage> m) {
    return m.get(0).content().equals(Refinement.ON_TOPIC_SYSTEM);
  }
}
