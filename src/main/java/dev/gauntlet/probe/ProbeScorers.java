package dev.gauntlet.probe;

import dev.gauntlet.Problem;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How a probe's detectors become scorers: members first (the detectors others build on), then
 * the verdict detectors, each combinator's {@code detector:<name>} references replaced by the ids
 * of the scorers already created.
 */
public final class ProbeScorers {

  private ProbeScorers() {}

  /** Every scorer to create for {@code seed}, in an order where each comes after the ones it references. */
  public static List<Detector> plan(Probe probe, long seed) {
    List<Detector> all = new ArrayList<>(probe.members(seed));
    all.addAll(probe.detectors(seed));
    return all;
  }

  /** {@code d}'s parameters with its references replaced by scorer ids ({@code idsByName}: detector name → id). */
  public static JsonObject resolve(Detector d, Map<String, String> idsByName) {
    JsonObject p = d.parameters().copy();
    if (p.getValue("scorer_id") instanceof String s) {
      p.put("scorer_id", id(s, d, idsByName));
    }
    if (p.getValue("scorer_ids") instanceof JsonArray many) {
      JsonArray ids = new JsonArray();
      many.forEach(o -> ids.add(o instanceof String s ? id(s, d, idsByName) : o));
      p.put("scorer_ids", ids);
    }
    return p;
  }

  private static String id(String value, Detector d, Map<String, String> idsByName) {
    if (!value.startsWith(Detector.REF)) {
      return value;
    }
    String id = idsByName.get(value.substring(Detector.REF.length()));
    if (id == null) {
      throw Problem.badRequest("detector_unavailable", "detector '" + d.name() + "' needs '" + value.substring(Detector.REF.length())
          + "', which was not created");
    }
    return id;
  }
}
