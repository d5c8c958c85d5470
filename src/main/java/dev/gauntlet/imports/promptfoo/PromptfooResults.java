package dev.gauntlet.imports.promptfoo;

import dev.gauntlet.Problem;
import dev.gauntlet.imports.ImportSource;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns one promptfoo result, as JSON ({@code EvaluateResult}: the element of {@code results.results}
 * in results.json, or an {@code eval_results} row's columns put together), into a
 * {@link PromptfooResult}, checking each field's type and naming where a wrong one was.
 */
final class PromptfooResults {

  /** promptfoo's {@code failureReason} for a result that failed by error rather than by assertion. */
  static final int FAILURE_ERROR = 2;

  private PromptfooResults() {}

  static Problem refused(String where, String why) {
    return ImportSource.refuse("promptfoo " + where, why);
  }

  static PromptfooResult from(JsonObject r, String evalId, String where) {
    Object provider = r.getValue("provider");
    String providerId;
    String providerLabel = null;
    if (provider instanceof String s) {
      providerId = s;
    } else if (provider instanceof JsonObject p && p.getValue("id") instanceof String s) {
      providerId = s;
      providerLabel = p.getValue("label") instanceof String l ? l : null;
    } else {
      throw refused(where + ".provider", "has no provider id");
    }
    if (!(r.getValue("success") instanceof Boolean success)) {
      throw refused(where + ".success", "is not true or false");
    }
    double score = number(r.getValue("score"), success ? 1 : 0, where + ".score");
    JsonObject testCase = r.getValue("testCase") instanceof JsonObject t ? t : new JsonObject();
    JsonObject testMeta = testCase.getValue("metadata") instanceof JsonObject m ? m : new JsonObject();
    JsonObject meta = r.getValue("metadata") instanceof JsonObject m ? m : new JsonObject();
    JsonObject response = r.getValue("response") instanceof JsonObject o ? o : null;
    Object grading = r.getValue("gradingResult");
    if (grading != null && !(grading instanceof JsonObject)) {
      throw refused(where + ".gradingResult", "is not an object");
    }
    List<PromptfooResult.Assertion> assertions = assertions((JsonObject) grading, where + ".gradingResult");
    JsonObject gradingMeta = grading instanceof JsonObject g && g.getValue("metadata") instanceof JsonObject m ? m : new JsonObject();
    String error = r.getValue("error") instanceof String e && !e.isBlank() ? e : null;
    int failure = (int) number(r.getValue("failureReason"), 0, where + ".failureReason");
    if (error == null && response != null && response.getValue("error") instanceof String e && !e.isBlank()) {
      error = e;
    }
    if (error == null && failure == FAILURE_ERROR) {
      error = "promptfoo recorded an error";
    }
    String description = r.getValue("description") instanceof String d ? d : testCase.getValue("description") instanceof String d2 ? d2 : null;
    return new PromptfooResult(evalId, r.getValue("id") instanceof String id ? id : null,
        (int) number(r.getValue("promptIdx"), 0, where + ".promptIdx"), (int) number(r.getValue("testIdx"), 0, where + ".testIdx"),
        providerId, providerLabel, turns(r, response, where), error, success, score, assertions,
        firstString(meta, testMeta, gradingMeta, "pluginId"), firstString(meta, testMeta, gradingMeta, "strategyId"), description,
        meta, where);
  }

  /** The exchanges: a multi-turn strategy's history when the response has one, else the rendered prompt and the output. */
  private static List<PromptfooResult.Turn> turns(JsonObject r, JsonObject response, String where) {
    List<PromptfooResult.Turn> out = new ArrayList<>();
    JsonObject responseMeta = response != null && response.getValue("metadata") instanceof JsonObject m ? m : null;
    if (responseMeta != null && responseMeta.getValue("redteamHistory") instanceof JsonArray history && !history.isEmpty()) {
      for (int i = 0; i < history.size(); i++) {
        if (!(history.getValue(i) instanceof JsonObject turn)) {
          throw refused(where + ".response.metadata.redteamHistory[" + i + "]", "is not an object");
        }
        out.add(new PromptfooResult.Turn(text(turn.getValue("prompt")), text(turn.getValue("output"))));
      }
      return out;
    }
    String prompt = null;
    if (r.getValue("prompt") instanceof JsonObject p) {
      prompt = p.getValue("raw") instanceof String raw ? raw : p.getValue("label") instanceof String label ? label : null;
    } else if (r.getValue("prompt") instanceof String s) {
      prompt = s;
    }
    if (prompt == null && r.getValue("vars") instanceof JsonObject vars && vars.getValue("prompt") instanceof String s) {
      prompt = s;
    }
    if (prompt == null) {
      throw refused(where + ".prompt", "has no raw text");
    }
    out.add(new PromptfooResult.Turn(prompt, response == null ? null : text(response.getValue("output"))));
    return out;
  }

  private static List<PromptfooResult.Assertion> assertions(JsonObject grading, String where) {
    List<PromptfooResult.Assertion> out = new ArrayList<>();
    if (grading == null) {
      return out;
    }
    if (grading.getValue("componentResults") instanceof JsonArray parts && !parts.isEmpty()) {
      for (int i = 0; i < parts.size(); i++) {
        if (!(parts.getValue(i) instanceof JsonObject part)) {
          throw refused(where + ".componentResults[" + i + "]", "is not an object");
        }
        out.add(assertion(part, where + ".componentResults[" + i + "]"));
      }
      return out;
    }
    out.add(assertion(grading, where));
    return out;
  }

  private static PromptfooResult.Assertion assertion(JsonObject g, String where) {
    if (!(g.getValue("pass") instanceof Boolean pass)) {
      throw refused(where + ".pass", "is not true or false");
    }
    JsonObject a = g.getValue("assertion") instanceof JsonObject o ? o : new JsonObject();
    String type = a.getValue("type") instanceof String t ? t : "promptfoo";
    return new PromptfooResult.Assertion(type, pass, number(g.getValue("score"), pass ? 1 : 0, where + ".score"),
        g.getValue("reason") instanceof String reason ? reason : null, a.getValue("metric") instanceof String m ? m : null);
  }

  private static double number(Object v, double fallback, String where) {
    if (v == null) {
      return fallback;
    }
    if (v instanceof Number n && Double.isFinite(n.doubleValue())) {
      return n.doubleValue();
    }
    throw refused(where, "is not a number");
  }

  private static String firstString(JsonObject a, JsonObject b, JsonObject c, String key) {
    for (JsonObject o : new JsonObject[] {a, b, c}) {
      if (o.getValue(key) instanceof String s && !s.isBlank()) {
        return s;
      }
    }
    return null;
  }

  /** Text as shown: a string as it is, anything else (a structured output, a tool call) as its JSON. */
  static String text(Object v) {
    if (v == null) {
      return null;
    }
    if (v instanceof String s) {
      return s;
    }
    if (v instanceof JsonObject o) {
      return o.encode();
    }
    if (v instanceof JsonArray a) {
      return a.encode();
    }
    return String.valueOf(v);
  }
}
