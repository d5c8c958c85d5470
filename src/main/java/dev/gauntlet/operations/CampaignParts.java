package dev.gauntlet.operations;

import dev.gauntlet.Problem;
import dev.gauntlet.catalog.Param;
import dev.gauntlet.catalog.TypeSpec;
import dev.gauntlet.converter.Converter;
import dev.gauntlet.converter.ConverterFactory;
import dev.gauntlet.converter.Converters;
import dev.gauntlet.scorer.ScoreInput;
import dev.gauntlet.scorer.ScoreResult;
import dev.gauntlet.scorer.Scorer;
import dev.gauntlet.scorer.ScorerFactory;
import dev.gauntlet.scorer.Scorers;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A campaign's converters and scorers as asked for, checked and built unsaved from their catalogs:
 * only types that need no generator, judge or other scorer, so a plan can run them before anything
 * exists and a creation can refuse them before anything is stored.
 */
final class CampaignParts {

  static final int MAX_CONVERTERS = TryOuts.MAX_CHAIN;

  private CampaignParts() {}

  /** Converter types a campaign offers: those that need no generator and work with their defaults. */
  static List<TypeSpec<ConverterFactory>> offeredConverters() {
    List<TypeSpec<ConverterFactory>> out = new ArrayList<>();
    for (TypeSpec<ConverterFactory> t : Converters.catalog().all()) {
      if (t.schema().params().stream().noneMatch(p -> p.kind() == Param.Kind.GENERATOR_ID) && validatesEmpty(t)) {
        out.add(t);
      }
    }
    return out;
  }

  private static boolean validatesEmpty(TypeSpec<?> t) {
    try {
      t.schema().validate(new JsonObject());
      return true;
    } catch (Problem p) {
      return false;
    }
  }

  static List<String> converterTypes(JsonObject a) {
    if (a.getValue("converters") == null) {
      return List.of();
    }
    if (a.getValue("converters") instanceof JsonArray arr && arr.isEmpty()) {
      return List.of();
    }
    List<String> types = Args.strings(a, "converters", MAX_CONVERTERS);
    Set<String> offered = new HashSet<>(offeredConverters().stream().map(TypeSpec::name).toList());
    for (String t : types) {
      if (!offered.contains(t)) {
        throw Problem.badRequest("invalid_field", "'converters' may hold converter types that need no generator and no parameters; '"
            + t + "' is not one");
      }
    }
    return types;
  }

  /** The chain built from the types with their defaults; needs nothing from memory. */
  static List<Converter> chain(JsonObject a) {
    List<Converter> out = new ArrayList<>();
    for (String type : converterTypes(a)) {
      TypeSpec<ConverterFactory> t = Converters.catalog().get(type);
      out.add(t.factory().create(t.schema().validate(new JsonObject()), id -> {
        throw Problem.badRequest("invalid_field", "converter '" + type + "' needs a generator");
      }));
    }
    return out;
  }

  static Future<JsonObject> through(List<Converter> chain, String prompt) {
    JsonArray steps = new JsonArray();
    Future<String> text = Future.succeededFuture(prompt);
    for (Converter step : chain) {
      text = text.compose(step::convert).onSuccess(steps::add);
    }
    return text.map(last -> new JsonObject().put("original", prompt).put("converted", last).put("steps", steps));
  }

  /** The scorers asked for, each type checked to need no judge or other scorer, and its parameters valid. */
  static List<JsonObject> scorerValues(JsonObject a) {
    if (a.getValue("scorers") == null) {
      return List.of();
    }
    if (!(a.getValue("scorers") instanceof JsonArray arr) || arr.size() > 20) {
      throw Problem.badRequest("invalid_field", "'scorers' must be an array of at most 20 {type, parameters}");
    }
    List<JsonObject> out = new ArrayList<>();
    for (int i = 0; i < arr.size(); i++) {
      if (!(arr.getValue(i) instanceof JsonObject s) || !(s.getValue("type") instanceof String type) || !Scorers.catalog().has(type)) {
        throw Problem.badRequest("invalid_field", "scorers[" + i + "] must be {\"type\": a scorer type, \"parameters\": {...}}");
      }
      TypeSpec<ScorerFactory> t = Scorers.catalog().get(type);
      if (t.schema().params().stream().anyMatch(p -> p.kind().name().endsWith("_ID") || p.kind().name().endsWith("_IDS"))) {
        throw Problem.badRequest("invalid_field", "scorers[" + i + "]: '" + type + "' needs a judge or other scorers; create it on the scorers page");
      }
      Object params = s.getValue("parameters", new JsonObject());
      if (!(params instanceof JsonObject p)) {
        throw Problem.badRequest("invalid_field", "scorers[" + i + "].parameters must be an object");
      }
      out.add(new JsonObject().put("type", type).put("parameters", t.schema().validate(p)));
    }
    return out;
  }

  /** Each scorer's verdict on the sample answer; none without one. */
  static Future<JsonArray> verdicts(List<JsonObject> scorers, String answer, String prompt) {
    JsonArray out = new JsonArray();
    if (answer == null || answer.isEmpty()) {
      return Future.succeededFuture(out);
    }
    Future<Void> all = Future.succeededFuture();
    for (JsonObject s : scorers) {
      TypeSpec<ScorerFactory> t = Scorers.catalog().get(s.getString("type"));
      Scorer scorer = t.factory().create(s.getJsonObject("parameters"), null);
      all = all.compose(v -> scorer.score(new ScoreInput(answer, prompt, null)).map(results -> {
        for (ScoreResult r : results) {
          out.add(new JsonObject().put("scorer", s.getString("type")).put("verdict",
              r.undetermined() ? "undetermined" : r.success() ? "attack_succeeded" : "held").put("rationale", r.rationale()));
        }
        return null;
      }));
    }
    return all.map(v -> out);
  }

}
