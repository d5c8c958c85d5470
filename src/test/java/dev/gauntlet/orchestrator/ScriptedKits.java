package dev.gauntlet.orchestrator;

import dev.gauntlet.Problem;
import dev.gauntlet.converter.Converter;
import dev.gauntlet.converter.ConverterChain;
import dev.gauntlet.converter.Converters;
import dev.gauntlet.memory.PieceBatch;
import dev.gauntlet.scorer.Scorer;
import dev.gauntlet.scorer.ScorerContext;
import dev.gauntlet.scorer.Scorers;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Builds the scripted attacks as a launch does: parameters validated by the catalog, the strategy
 * made by its factory from a kit of fake models and real converters and scorers.
 */
final class ScriptedKits {

  static final String EXECUTION = "exec-7";

  private ScriptedKits() {}

  /** The parameters as the catalog completes them, with a target and a dataset. */
  static JsonObject params(String type, JsonObject given) {
    JsonObject p = given.copy().put("generator_id", "target-id");
    if (!p.containsKey("objective")) {
      p.put("dataset_id", "dataset-id");
    }
    return Orchestrators.catalog().validate(type, p);
  }

  static AttackKit kit(String type, JsonObject given, FakeModel target, FakeModel attacker,
                       List<Part<Converter>> converters, List<Part<Scorer>> scorers) {
    JsonObject p = given.copy();
    if (attacker != null) {
      p.put("attacker_generator_id", "attacker-id");
    }
    JsonObject orchestrator = new JsonObject().put("__type__", type).put("__module__", "gauntlet.orchestrator")
        .put("id", "orch-9").put("execution_id", EXECUTION);
    return new AttackKit(EXECUTION, new Part<>(target, target.identifier()),
        attacker == null ? null : new Part<>(attacker, attacker.identifier()), converters, scorers, null, params(type, p),
        new JsonObject().put("execution_id", EXECUTION), orchestrator);
  }

  /** The strategy the catalog's factory builds from the kit: where launch-time checks run. */
  static Orchestration build(AttackKit kit) {
    return Orchestrators.catalog().get(kit.orchestratorIdentifier().getString("__type__")).factory().create(kit);
  }

  static PromptOutcome run(AttackKit kit, int index, String prompt) {
    return await(build(kit).run(index, prompt));
  }

  static Part<Scorer> substring(String... words) {
    JsonArray a = new JsonArray();
    for (String w : words) {
      a.add(w);
    }
    Scorer s = Scorers.create("substring", new JsonObject().put("substrings", a), new ScorerContext() {
      @Override
      public dev.gauntlet.generator.Generator generator(String id) {
        throw Problem.notFound("generator", id);
      }

      @Override
      public Scorer scorer(String id) {
        throw Problem.notFound("scorer", id);
      }
    });
    return new Part<>(s, new JsonObject().put("__type__", "substring").put("__module__", "gauntlet.scorer").put("id", "sub-id"));
  }

  static Part<Converter> converter(String type) {
    return new Part<>(Converters.create(type, new JsonObject(), id -> {
      throw Problem.notFound("generator", id);
    }), ConverterChain.identifier(type, type + "-id", type));
  }

  static JsonObject meta(PieceBatch.Piece p) {
    return new JsonObject(p.promptMetadata());
  }

  static List<String> roles(PromptOutcome o) {
    return o.pieces().stream().map(PieceBatch.Piece::role).toList();
  }

  /** Every piece in the outcome's conversation, in sequence, stamped with the execution and the prompt index. */
  static boolean oneConversation(PromptOutcome o, int index) {
    for (int i = 0; i < o.pieces().size(); i++) {
      PieceBatch.Piece p = o.pieces().get(i);
      if (!p.conversationId().equals(o.conversationId()) || p.sequence() != i
          || !EXECUTION.equals(meta(p).getString("execution_id")) || meta(p).getInteger("prompt_index") != index) {
        return false;
      }
    }
    return true;
  }

  static <T> T await(Future<T> f) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("the strategy did not complete: " + e, e);
    }
  }
}
