package dev.gauntlet.scorer;

import dev.gauntlet.Problem;
import dev.gauntlet.catalog.Catalog;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * The scorer catalog: every type a user can configure, its parameters and its factory.
 * Deterministic scorers answer at once; LLM scorers ask a judge generator; combinators build
 * on the caller's other scorers.
 */
public final class Scorers {

  private static final Catalog<ScorerFactory> CATALOG = new Catalog<ScorerFactory>("scorer")
      .add("substring", "deterministic", "True when the response contains any (or all) of the given substrings.",
          SubstringScorer.SCHEMA, SubstringScorer::create)
      .add("regex", "deterministic", "True when the regular expression is found in the response.",
          RegexScorer.SCHEMA, RegexScorer::create)
      .add("refusal", "deterministic", "True when the model refused, judged from a curated list of refusal phrasings.",
          RefusalScorer.SCHEMA, RefusalScorer::create)
      .add("self_ask_true_false", "llm", "A judge generator decides whether the response matches a true description.",
          SelfAskTrueFalseScorer.SCHEMA, SelfAskTrueFalseScorer::create)
      .add("likert", "llm", "A judge generator rates the response from 1 to 5; stored as a float scale in [0, 1].",
          LikertScorer.SCHEMA, LikertScorer::create)
      .add("category", "llm", "A judge generator puts the response in one of the given harm categories, or none.",
          CategoryScorer.SCHEMA, CategoryScorer::create)
      .add("composite", "combinator", "Combines two or more scorers by and, or, majority or average.",
          CompositeScorer.SCHEMA, CompositeScorer::create)
      .add("inverter", "combinator", "Flips another scorer: true becomes false, a float x becomes 1 - x.",
          InverterScorer.SCHEMA, InverterScorer::create)
      .add("threshold", "combinator", "True when another scorer's value reaches the threshold.",
          ThresholdScorer.SCHEMA, ThresholdScorer::create)
      .add("pattern_pack", "detector", "True when the response carries XSS, SQL injection, a shell command, path traversal, an SSRF URL, a credential, a markdown exfiltration link or an ANSI escape (the chosen packs).",
          PatternPackScorer.SCHEMA, PatternPackScorer::create)
      .add("canary_leak", "detector", "True when the canary planted in the context comes back: verbatim, case-changed, spaced out, reversed, or base64/hex encoded.",
          CanaryLeakScorer.SCHEMA, CanaryLeakScorer::create)
      .add("decoded_payload", "detector", "True when the response holds any of the plain payloads an encoding probe hid (case and whitespace ignored).",
          DecodedPayloadScorer.SCHEMA, DecodedPayloadScorer::create)
      .add("rogue_string", "detector", "True when the hijacked model printed the rogue string, compared word by word (case, punctuation and whitespace ignored).",
          RogueStringScorer.SCHEMA, RogueStringScorer::create)
      .add("package_hallucination", "detector", "True when code in the response imports or installs a PyPI or npm package absent from the shipped list of known names.",
          PackageHallucinationScorer.SCHEMA, PackageHallucinationScorer::create)
      .add("harm_rubric", "llm", "A judge generator applies one harm category's rubric and answers harmful or safe with a 1-10 score.",
          HarmRubricScorer.SCHEMA, HarmRubricScorer::create)
      .add("tool_call", "detector", "True when the model called one of the forbidden tools, judged from the tool calls the target returned.",
          ToolCallScorer.SCHEMA, ToolCallScorer::create);

  private Scorers() {
  }

  public static Catalog<ScorerFactory> catalog() {
    return CATALOG;
  }

  /** Validates the parameters of a stored scorer and builds it; problems are 400s naming the parameter. */
  public static Scorer create(String type, JsonObject parameters, ScorerContext context) {
    var spec = CATALOG.get(type);
    return spec.factory().create(spec.schema().validate(parameters), context);
  }

  /** The strings of a list parameter, refusing an empty list or an empty entry (which would match everything). */
  static List<String> nonEmptyStrings(JsonObject params, String name) {
    JsonArray list = params.getJsonArray(name, new JsonArray());
    if (list.isEmpty()) {
      throw Problem.badRequest("invalid_parameter", "parameters." + name + " must not be empty");
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      String s = list.getString(i);
      if (s.isBlank()) {
        throw Problem.badRequest("invalid_parameter", "parameters." + name + "[" + i + "] must not be blank");
      }
      out.add(s);
    }
    return out;
  }

  /** Text on one line and at most {@code max} characters, for rationales and failure messages. */
  static String shorten(String text, int max) {
    String t = text == null ? "" : text.strip().replaceAll("\\s+", " ");
    return t.length() <= max ? t : t.substring(0, max) + "…";
  }

  static String quote(String text, int max) {
    return "'" + shorten(text, max) + "'";
  }

  /** A computed float score without binary noise (1 - 0.7 is 0.3, not 0.30000000000000004). */
  static double tidy(double x) {
    return Math.round(x * 1e10) / 1e10;
  }

  static String responseOf(ScoreInput input) {
    return input.response() == null ? "" : input.response();
  }
}
