package dev.gauntlet.orchestrator;

import dev.gauntlet.converter.Converter;
import dev.gauntlet.generator.Generator;
import dev.gauntlet.scorer.Scorer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * Everything an orchestration needs for one execution, resolved from the caller's stored
 * configuration before the first prompt is sent: the target, an attacker if the strategy uses
 * one, the converter chain, the scorers, and what to label every piece with. What every piece
 * repeats (labels, orchestrator and converter identifiers) is encoded once here, not per piece.
 */
public record AttackKit(String executionId, Part<Generator> target, Part<Generator> attacker,
                        List<Part<Converter>> converters, List<Part<Scorer>> scorers, Part<Scorer> objectiveScorer,
                        JsonObject parameters, JsonObject labels, JsonObject orchestratorIdentifier,
                        String labelsJson, String orchestratorJson, String converterIdentifiersJson,
                        Part<Generator> evaluator) {

  public AttackKit(String executionId, Part<Generator> target, Part<Generator> attacker,
                   List<Part<Converter>> converters, List<Part<Scorer>> scorers, Part<Scorer> objectiveScorer,
                   JsonObject parameters, JsonObject labels, JsonObject orchestratorIdentifier) {
    this(executionId, target, attacker, converters, scorers, objectiveScorer, parameters, labels, orchestratorIdentifier, null);
  }

  /** With an evaluator (TAP's and PAIR's judge, {@code evaluator_generator_id}) apart from the attacker. */
  public AttackKit(String executionId, Part<Generator> target, Part<Generator> attacker,
                   List<Part<Converter>> converters, List<Part<Scorer>> scorers, Part<Scorer> objectiveScorer,
                   JsonObject parameters, JsonObject labels, JsonObject orchestratorIdentifier, Part<Generator> evaluator) {
    this(executionId, target, attacker, converters, scorers, objectiveScorer, parameters, labels, orchestratorIdentifier,
        labels.encode(), orchestratorIdentifier.encode(), converterIdentifiers(converters).encode(), evaluator);
  }

  /** The model that judges and checks prompts: the evaluator when one is given, else the attacker. */
  public Part<Generator> judge() {
    return evaluator != null ? evaluator : attacker;
  }

  /** The chain's identifiers in order: PyRIT's {@code converter_identifiers} of a converted prompt. */
  static JsonArray converterIdentifiers(List<Part<Converter>> converters) {
    JsonArray ids = new JsonArray();
    converters.forEach(c -> ids.add(c.identifier()));
    return ids;
  }

  public String param(String name) {
    return parameters.getString(name);
  }

  public int intParam(String name, int fallback) {
    return parameters.getInteger(name, fallback);
  }
}
