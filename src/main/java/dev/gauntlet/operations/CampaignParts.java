package dev.gauntlet.operations;

import dev.gauntlet.Problem;
import dev.gauntlet.catalog.Param;
import dev.gauntlet.catalog.TypeSpec;
import dev.gauntlet.converter.Converter;
import dev.gauntlet.converter.ConverterContext;
import dev.gauntlet.converter.ConverterFactory;
import dev.gauntlet.converter.Converters;
import dev.gauntlet.scorer.ScoreInput;
import dev.gauntlet.scorer.ScoreResult;
import dev.gauntlet.scorer.Scorer;
import dev.gauntlet.scorer.ScorerContext;
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
 * types that work with their defaults, LLM rewrites and judges given one helper generator (the
 * target unless another is chosen), none combining other scorers; so a plan can run them before
 * anything exists and a creation can refuse them before anything is stored.
 */
final class CampaignParts {

  static final int MAX_CONVERTERS = TryOuts.MAX_CHAIN;

  private CampaignParts() {}

  /** What a campaign's LLM converters and judge scorers are given for their generator: the helper, the target by default. */
  static final String HELPER = "generator_id";

  /**
   * Converter types a campaign offers: those that work with their defaults, given the helper
   * generator where they need one (an LLM rewrite); types needing more (a language, a tone) are
   * left to the converters page.
   */
  static List<TypeSpec<ConverterFactory>> offeredConverters() {
    List<TypeSpec<ConverterFactory>> out = new ArrayList<>();
    for (TypeSpec<ConverterFactory> t : Converters.catalog().all()) {
      if (validates(t, needsHelper(t) ? new JsonObject().put(HELPER, "helper") : new JsonObject())) {
        out.add(t);
      }
    }
    return out;
  }

  /** Whether a converter or scorer type rewrites or judges with a generator. */
  static boolean needsHelper(TypeSpec<?> t) {
    return t.schema().params().stream().anyMatch(p -> p.kind() == Param.Kind.GENERATOR_ID);
  }

  private static boolean validates(TypeSpec<?> t, JsonObject params) {
    try {
      t.schema().validate(params);
      return true;
    } catch (Problem p) {
      return false;
    }
  }

  /** The generator LLM converters and judges use: the one asked for, else the target (null while the target is yet to be created). */
  static String helperId(JsonObject a) {
    return a.getValue("helper_generator_id") instanceof String h ? h : a.getString("generator_id");
  }

  /** Whether any converter or scorer asked for needs the helper generator. */
  static boolean needHelper(List<String> converterTypes, List<JsonObject> scorers) {
    return converterTypes.stream().anyMatch(t -> needsHelper(Converters.catalog().get(t)))
        || scorers.stream().anyMatch(s -> needsHelper(Scorers.catalog().get(s.getString("type"))));
  }

  /** A converter's stored parameters: its defaults, and the helper for an LLM rewrite. */
  static JsonObject converterParameters(String type, String helper) {
    return needsHelper(Converters.catalog().get(type)) ? new JsonObject().put(HELPER, helper) : new JsonObject();
  }

  /** A scorer's value with the helper as its judge where it needs one. */
  static JsonObject helped(JsonObject scorer, String helper) {
    JsonObject out = scorer.copy();
    if (needsHelper(Scorers.catalog().get(out.getString("type")))) {
      out.put("parameters", out.getJsonObject("parameters").copy().put(HELPER, helper));
    }
    return out;
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

  /** The chain built from the types with their defaults, LLM rewrites asking the helper of {@code context}. */
  static List<Converter> chain(List<String> types, String helper, ConverterContext context) {
    List<Converter> out = new ArrayList<>();
    for (String type : types) {
      TypeSpec<ConverterFactory> t = Converters.catalog().get(type);
      out.add(t.factory().create(t.schema().validate(converterParameters(type, helper)), context != null ? context : id -> {
        throw Problem.badRequest("invalid_field", "converter '" + type + "' needs a helper generator");
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

  /**
   * The scorers asked for, each type checked to need no other scorer, and its parameters valid; a
   * judge's generator is the helper, filled in by {@link #helped} once it is known.
   */
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
      if (t.schema().params().stream().anyMatch(p -> p.kind() == Param.Kind.SCORER_ID || p.kind() == Param.Kind.SCORER_IDS)) {
        throw Problem.badRequest("invalid_field", "scorers[" + i + "]: '" + type + "' combines other scorers; create it on the scorers page");
      }
      Object params = s.getValue("parameters", new JsonObject());
      if (!(params instanceof JsonObject p)) {
        throw Problem.badRequest("invalid_field", "scorers[" + i + "].parameters must be an object");
      }
      boolean judged = needsHelper(t);
      if (judged && p.containsKey(HELPER)) {
        throw Problem.badRequest("invalid_field", "scorers[" + i + "].parameters.generator_id: a campaign's judges use its helper"
            + " generator; give 'helper_generator_id' instead");
      }
      JsonObject valid = t.schema().validate(judged ? p.copy().put(HELPER, "helper") : p);
      if (judged) {
        valid.remove(HELPER);
      }
      out.add(new JsonObject().put("type", type).put("parameters", valid));
    }
    return out;
  }

  /** Each scorer's verdict on the sample answer, judges asking through {@code context}; none without one. */
  static Future<JsonArray> verdicts(List<JsonObject> scorers, String answer, String prompt, ScorerContext context) {
    JsonArray out = new JsonArray();
    if (answer == null || answer.isEmpty()) {
      return Future.succeededFuture(out);
    }
    Future<Void> all = Future.succeededFuture();
    for (JsonObject s : scorers) {
      TypeSpec<ScorerFactory> t = Scorers.catalog().get(s.getString("type"));
      Scorer scorer = t.factory().create(s.getJsonObject("parameters"), context);
      // a judge that cannot give a verdict (unreachable, unparsable) is an undetermined one, as scorers.test says it
      all = all.compose(v -> scorer.score(new ScoreInput(answer, prompt, null)).recover(e -> e instanceof Problem ? Future.failedFuture(e)
          : Future.succeededFuture(List.of(ScoreResult.undetermined(ScoreResult.TRUE_FALSE, null, "scorer failed: " + e.getMessage()))))
          .map(results -> {
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
