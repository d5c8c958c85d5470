package dev.gauntlet.probe;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * A scorer a probe asks for: a scorer catalog type and its parameters, created in the user's memory when the probe runs.
 * A combinator's member is named {@code detector:<name>} ({@link #ref}), another detector or member of the same probe,
 * whose id replaces it once that one is created ({@link ProbeScorers}).
 */
public record Detector(String name, String scorerType, JsonObject parameters) {

  /** The prefix of a reference to another detector of the same probe, in {@code scorer_id} or {@code scorer_ids}. */
  public static final String REF = "detector:";

  public JsonObject toJson() {
    return new JsonObject().put("name", name).put("type", scorerType).put("parameters", parameters.copy())
        .put("needs_judge", needsJudge());
  }

  /** A reference to the detector named {@code name}, for a combinator's parameters. */
  public static String ref(String name) {
    return REF + name;
  }

  /** An LLM judge without its judge generator: the user picks one when running the probe (the scan fills {@code generator_id}). */
  public boolean needsJudge() {
    return DetectorTypes.JUDGED.contains(scorerType) && !parameters.containsKey("generator_id");
  }

  /** The names of the detectors this one builds on. */
  public List<String> references() {
    List<String> out = new ArrayList<>();
    Object one = parameters.getValue("scorer_id");
    if (one instanceof String s && s.startsWith(REF)) {
      out.add(s.substring(REF.length()));
    }
    if (parameters.getValue("scorer_ids") instanceof JsonArray many) {
      for (Object o : many) {
        if (o instanceof String s && s.startsWith(REF)) {
          out.add(s.substring(REF.length()));
        }
      }
    }
    return out;
  }
}
