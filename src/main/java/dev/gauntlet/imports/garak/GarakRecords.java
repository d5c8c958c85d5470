package dev.gauntlet.imports.garak;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns one garak record into a {@link GarakAttempt}, checking each field's type. garak's shapes
 * changed over its versions, and both are read: a prompt is a conversation
 * ({@code {"turns": [{"role", "content": {"text"}}]}}, 0.11 and later) or plain text (earlier); an
 * output is a message ({@code {"text"}}), plain text, or null (no output).
 */
final class GarakRecords {

  private GarakRecords() {}

  /** A plugin name without its namespace prefix: {@code probes.dan.Dan_11_0} and {@code garak.probes.dan.Dan_11_0} are {@code dan.Dan_11_0}. */
  static String plugin(String name, String prefix) {
    String n = name.startsWith("garak.") ? name.substring(6) : name;
    return n.startsWith(prefix) ? n.substring(prefix.length()) : n;
  }

  static GarakAttempt attempt(JsonObject o, long index, long line, Lines in) {
    Object probe = o.getValue("probe_classname");
    if (!(probe instanceof String p) || p.isBlank()) {
      throw in.refused(line, "attempt has no probe_classname");
    }
    List<GarakAttempt.Turn> prompt = prompt(o.getValue("prompt"), line, in);
    List<String> outputs = outputs(o.getValue("outputs"), line, in);
    Map<String, List<Double>> results = detectorResults(o.getValue("detector_results"), outputs.size(), line, in);
    Object seq = o.getValue("seq");
    JsonObject notes = o.getValue("notes") instanceof JsonObject n ? n : new JsonObject();
    List<String> triggers = new ArrayList<>();
    if (notes.getValue("triggers") instanceof JsonArray t) {
      t.forEach(x -> triggers.add(String.valueOf(x)));
    } else if (notes.getValue("triggers") instanceof String s) {
      triggers.add(s);
    }
    return new GarakAttempt(o.getString("uuid"), index, seq instanceof Number n ? n.intValue() : -1, o.getInteger("status"),
        plugin(p, "probes."), prompt, outputs, results, text(o.getValue("goal")), text(o.getValue("intent")), triggers, line);
  }

  static List<GarakAttempt.Turn> prompt(Object value, long line, Lines in) {
    if (value instanceof String s) {
      return List.of(new GarakAttempt.Turn("user", s));
    }
    if (!(value instanceof JsonObject conv)) {
      throw in.refused(line, "attempt has no prompt");
    }
    if (!(conv.getValue("turns") instanceof JsonArray turns) || turns.isEmpty()) {
      // a bare message ({"text": …}) from a version between the two shapes
      if (conv.getValue("text") instanceof String s) {
        return List.of(new GarakAttempt.Turn("user", s));
      }
      throw in.refused(line, "attempt prompt has no turns");
    }
    List<GarakAttempt.Turn> out = new ArrayList<>(turns.size());
    for (int i = 0; i < turns.size(); i++) {
      if (!(turns.getValue(i) instanceof JsonObject turn) || !(turn.getValue("role") instanceof String role)) {
        throw in.refused(line, "attempt prompt turn " + i + " has no role");
      }
      Object content = turn.getValue("content");
      String text = content instanceof JsonObject c ? text(c.getValue("text")) : text(content);
      out.add(new GarakAttempt.Turn(role, text == null ? "" : text));
    }
    return out;
  }

  static List<String> outputs(Object value, long line, Lines in) {
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof JsonArray list)) {
      throw in.refused(line, "attempt outputs is not a list");
    }
    List<String> out = new ArrayList<>(list.size());
    for (int i = 0; i < list.size(); i++) {
      Object v = list.getValue(i);
      if (v == null || v instanceof String) {
        out.add((String) v);
      } else if (v instanceof JsonObject m) {
        out.add(text(m.getValue("text")));
      } else {
        throw in.refused(line, "attempt output " + i + " is neither text nor a message");
      }
    }
    return out;
  }

  static Map<String, List<Double>> detectorResults(Object value, int outputs, long line, Lines in) {
    Map<String, List<Double>> out = new LinkedHashMap<>();
    if (value == null) {
      return out;
    }
    if (!(value instanceof JsonObject results)) {
      throw in.refused(line, "attempt detector_results is not an object");
    }
    for (String detector : results.fieldNames()) {
      if (!(results.getValue(detector) instanceof JsonArray scores)) {
        throw in.refused(line, "attempt detector_results." + detector + " is not a list");
      }
      if (scores.size() > outputs) {
        throw in.refused(line, "attempt detector_results." + detector + " has " + scores.size() + " scores for " + outputs + " outputs");
      }
      List<Double> list = new ArrayList<>(scores.size());
      for (int i = 0; i < scores.size(); i++) {
        Object s = scores.getValue(i);
        if (s == null) {
          list.add(null);
        } else if (s instanceof Number n && n.doubleValue() >= 0 && n.doubleValue() <= 1) {
          list.add(n.doubleValue());
        } else {
          throw in.refused(line, "attempt detector_results." + detector + "[" + i + "] is not a score between 0 and 1");
        }
      }
      out.put(plugin(detector, "detectors."), list);
    }
    return out;
  }

  private static String text(Object v) {
    return v == null ? null : v instanceof String s ? s : String.valueOf(v);
  }
}
