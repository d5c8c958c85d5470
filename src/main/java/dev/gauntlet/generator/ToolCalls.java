package dev.gauntlet.generator;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * The tools a model called, as Gauntlet records them on the answer piece ({@code tool_calls} in
 * its metadata): one object per call with its {@code name} and {@code arguments} (the JSON object
 * the model wrote, or its text when that is not a JSON object), and the call's {@code id} if any.
 * Kept in one shape whatever the target's wire format, so detectors and the UI read one thing.
 */
public final class ToolCalls {

  /** The metadata key of an answer piece that holds its tool calls. */
  public static final String KEY = "tool_calls";

  private ToolCalls() {}

  /** The calls of an OpenAI chat message's {@code tool_calls} (function calls only); empty when none. */
  static JsonArray fromOpenAi(Object toolCalls) {
    JsonArray out = new JsonArray();
    if (!(toolCalls instanceof JsonArray calls)) {
      return out;
    }
    for (Object o : calls) {
      if (!(o instanceof JsonObject call) || !(call.getValue("function") instanceof JsonObject fn)
          || !(fn.getValue("name") instanceof String name) || name.isBlank()) {
        continue;
      }
      JsonObject recorded = new JsonObject().put("name", name).put("arguments", arguments(fn.getValue("arguments")));
      if (call.getValue("id") instanceof String id) {
        recorded.put("id", id);
      }
      out.add(recorded);
    }
    return out;
  }

  /** OpenAI sends arguments as JSON text: kept as an object when it is one, else as the text. */
  private static Object arguments(Object given) {
    if (given instanceof JsonObject o) {
      return o;
    }
    if (given instanceof String s) {
      try {
        return new JsonObject(s);
      } catch (DecodeException | ClassCastException notAnObject) {
        return s;
      }
    }
    return new JsonObject();
  }

  /** The calls as a reader sees them, one a line: {@code [tool call] send_email({"to":"x"})}. */
  public static String readable(JsonArray calls) {
    StringBuilder out = new StringBuilder();
    for (Object o : calls) {
      if (o instanceof JsonObject call) {
        if (!out.isEmpty()) {
          out.append('\n');
        }
        Object args = call.getValue("arguments");
        out.append("[tool call] ").append(call.getString("name", "?")).append('(')
            .append(args instanceof JsonObject j ? j.encode() : args == null ? "" : String.valueOf(args)).append(')');
      }
    }
    return out.toString();
  }

  /** The names of the tools called, in order. */
  public static List<String> names(JsonArray calls) {
    List<String> out = new ArrayList<>();
    if (calls != null) {
      for (Object o : calls) {
        if (o instanceof JsonObject call && call.getValue("name") instanceof String n) {
          out.add(n);
        }
      }
    }
    return out;
  }

  /** Tool definitions as a request carries them: a non-empty JSON array, else null (send none). */
  public static JsonArray definitions(Object value) {
    return value instanceof JsonArray a && !a.isEmpty() ? a : null;
  }
}
